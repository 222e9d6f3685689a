/**
 * The simulator's stand-in for S3: presigned upload (PUT) and download (GET) of feed documents, and download
 * of report documents. Errors are S3-style XML, not SP-API JSON.
 */
import { createHash } from "node:crypto"
import type { IncomingHttpHeaders } from "node:http"
import type { SimContext } from "../context"
import { parseAmzDate, PRESIGN_TTL_SECONDS, type PresignInput, s3ErrorXml } from "../domain/presign"
import type { HandlerResult } from "../http"
import { matchPath } from "../http"

function xml(status: number, code: string, message: string, extra?: Record<string, string>): HandlerResult {
  return { status, raw: s3ErrorXml(code, message, extra), contentType: "application/xml" }
}

/** Handle `/_s3/...`; undefined when the path is not an S3 route. */
export function handleS3(
  ctx: SimContext,
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  body: Buffer,
): HandlerResult | undefined {
  const upload = matchPath("/_s3/upload/{documentId}", url.pathname)
  const download = matchPath("/_s3/download/{documentId}", url.pathname)
  if (!upload && !download) return undefined
  const kind = upload ? "upload" : "download"
  const documentId = (upload ?? download)?.documentId as string
  const expected = kind === "upload" ? "PUT" : "GET"
  if (method !== expected) return xml(405, "MethodNotAllowed", `The specified method is not allowed against this resource (use ${expected}).`)

  const q = url.searchParams
  const signature = q.get("X-Amz-Signature") ?? ""
  const signedAt = parseAmzDate(q.get("X-Amz-Date") ?? "")
  const expires = Number(q.get("X-Amz-Expires"))
  if (!signature || signedAt === undefined || expires !== PRESIGN_TTL_SECONDS) {
    return xml(403, "AccessDenied", "Query-string authentication requires the X-Amz-Signature, X-Amz-Date and X-Amz-Expires parameters.")
  }
  const now = ctx.clock.now()
  if (now > signedAt + expires * 1000) {
    return xml(403, "AccessDenied", "Request has expired", {
      "X-Amz-Expires": String(expires),
      Expires: new Date(signedAt + expires * 1000).toISOString(),
      ServerTime: new Date(now).toISOString(),
    })
  }

  const contentEncoding = q.get("response-content-encoding") ?? undefined
  const input: PresignInput =
    kind === "upload"
      ? { method: "PUT", documentId, contentType: headers["content-type"] ?? "", signedAt }
      : { method: "GET", documentId, signedAt, contentEncoding }
  if (!ctx.signer.verify(input, signature)) {
    // The signature covers the Content-Type: an upload with another type than createFeedDocument's lands here.
    return xml(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      kind === "upload" ? { ContentTypeProvided: headers["content-type"] ?? "" } : {},
    )
  }

  if (kind === "download") {
    const report = ctx.state.reportDocuments.get(documentId)
    if (report) {
      return { status: 200, chunks: report.chunks, contentType: report.contentType, headers: contentEncoding ? { "content-encoding": contentEncoding } : {} }
    }
  }
  const doc = ctx.state.documents.get(documentId)
  if (!doc) return xml(404, "NoSuchKey", "The specified key does not exist.", { Key: documentId })

  if (kind === "upload") {
    doc.content = body
    doc.uploadedAt = now
    return { status: 200, headers: { etag: `"${createHash("md5").update(body).digest("hex")}"` } }
  }
  if (!doc.content) return xml(404, "NoSuchKey", "The specified key does not exist.", { Key: documentId })
  return {
    status: 200,
    raw: doc.content,
    contentType: doc.contentType,
    headers: contentEncoding ? { "content-encoding": contentEncoding } : {},
  }
}
