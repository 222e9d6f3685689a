/**
 * Presigned document URLs served by the simulator itself, modelled on S3's query-string signatures: the
 * signature covers the method, the document, the Content-Type the upload must carry, the signing time and the
 * lifetime. An upload with another Content-Type therefore fails with SignatureDoesNotMatch, as on S3.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"

export const PRESIGN_TTL_SECONDS = 300

export type PresignMethod = "PUT" | "GET"

export interface PresignInput {
  method: PresignMethod
  documentId: string
  /** Content-Type the PUT must send (uploads only). */
  contentType?: string
  /** Simulated epoch ms of signing. */
  signedAt: number
  /** `response-content-encoding` override for downloads (enableContentEncodingUrlHeader). */
  contentEncoding?: string
}

export class UrlSigner {
  private readonly secret = randomBytes(32)

  sign(input: PresignInput): string {
    const canonical = [input.method, input.documentId, input.contentType ?? "", amzDate(input.signedAt), PRESIGN_TTL_SECONDS, input.contentEncoding ?? ""].join("\n")
    return createHmac("sha256", this.secret).update(canonical).digest("hex")
  }

  /** The path+query of a presigned URL (the caller puts the origin in front). */
  presignedPath(input: PresignInput): string {
    const kind = input.method === "PUT" ? "upload" : "download"
    const query = new URLSearchParams({
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Date": amzDate(input.signedAt),
      "X-Amz-Expires": String(PRESIGN_TTL_SECONDS),
      "X-Amz-SignedHeaders": input.method === "PUT" ? "content-type;host" : "host",
    })
    if (input.contentEncoding) query.set("response-content-encoding", input.contentEncoding)
    query.set("X-Amz-Signature", this.sign(input))
    return `/_s3/${kind}/${encodeURIComponent(input.documentId)}?${query.toString()}`
  }

  verify(input: PresignInput, signature: string): boolean {
    const expected = Buffer.from(this.sign(input), "hex")
    const given = Buffer.from(signature, "hex")
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
}

/** `20260101T120000Z`, the X-Amz-Date format. */
export function amzDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, "").replace(".000", "")
}

export function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
}

/** An S3-style XML error body. */
export function s3ErrorXml(code: string, message: string, extra: Record<string, string> = {}): string {
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join("")
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${fields}<RequestId>${randomBytes(8)
    .toString("hex")
    .toUpperCase()}</RequestId></Error>`
}

function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}
