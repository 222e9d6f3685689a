/**
 * Test helpers: a tiny fetch-based SP-API client against a running simulator.
 */
import { gunzipSync } from "node:zlib"
import { decodeCp1252, type SellerSeed, type SimulatorHandle } from "../../index"

export interface CallOptions {
  token?: string
  body?: unknown
  /** Raw body (sent as is). */
  rawBody?: string | Buffer
  headers?: Record<string, string>
  query?: Record<string, string | number | boolean | string[] | undefined>
}

export interface CallResult<T = unknown> {
  status: number
  headers: Headers
  /** Parsed JSON (undefined when the body is empty or not JSON). */
  body: T
  text: string
}

export function buildQuery(query: CallOptions["query"]): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue
    params.set(key, Array.isArray(value) ? value.join(",") : String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ""
}

export async function call<T = unknown>(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) }
  if (options.token) headers["x-amz-access-token"] = options.token
  let body: string | Buffer | undefined = options.rawBody
  if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers["content-type"] ??= "application/json"
  }
  const res = await fetch(`${baseUrl}${path}${buildQuery(options.query)}`, { method, headers, body })
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text }
}

export const SELLER: SellerSeed = {
  sellerId: "A2TESTSELLER1",
  clientId: "amzn1.application-oa2-client.test",
  clientSecret: "test-secret",
  refreshToken: "Atzr|test-refresh-1",
  marketplaceIds: ["A1PA6795UKMFR9", "A13V1IB3VIYZZH"],
}

export const OTHER_SELLER: SellerSeed = {
  sellerId: "A3OTHERSELLER",
  clientId: "amzn1.application-oa2-client.test",
  clientSecret: "test-secret",
  refreshToken: "Atzr|test-refresh-2",
  marketplaceIds: ["A1PA6795UKMFR9"],
}

export const DE = "A1PA6795UKMFR9"

/** Exchange a refresh token for an access token at the simulator's LWA endpoint. */
export async function accessToken(sim: SimulatorHandle, seller: SellerSeed = SELLER): Promise<string> {
  const res = await fetch(`${sim.url}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: seller.refreshToken,
      client_id: seller.clientId,
      client_secret: seller.clientSecret,
    }).toString(),
  })
  const json = (await res.json()) as { access_token?: string }
  if (res.status !== 200 || !json.access_token) throw new Error(`LWA refused: ${res.status} ${JSON.stringify(json)}`)
  return json.access_token
}

/** A grantless (client_credentials, scope sellingpartnerapi::notifications) token of the seller's application. */
export async function grantlessAccessToken(sim: SimulatorHandle, seller: SellerSeed = SELLER): Promise<string> {
  const res = await fetch(`${sim.url}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      scope: "sellingpartnerapi::notifications",
      client_id: seller.clientId,
      client_secret: seller.clientSecret,
    }).toString(),
  })
  const json = (await res.json()) as { access_token?: string }
  if (res.status !== 200 || !json.access_token) throw new Error(`LWA refused: ${res.status} ${JSON.stringify(json)}`)
  return json.access_token
}

/** createFeedDocument + PUT upload. Returns the document id. */
export async function uploadFeedDocument(sim: SimulatorHandle, token: string, content: string | Buffer, contentType = "application/json; charset=UTF-8"): Promise<string> {
  const created = await call<{ feedDocumentId: string; url: string }>(sim.url, "POST", "/feeds/2021-06-30/documents", { token, body: { contentType } })
  if (created.status !== 201) throw new Error(`createFeedDocument: ${created.status} ${created.text}`)
  const put = await fetch(created.body.url, { method: "PUT", headers: { "content-type": contentType }, body: content })
  if (put.status !== 200) throw new Error(`upload: ${put.status} ${await put.text()}`)
  return created.body.feedDocumentId
}

export async function createFeed(sim: SimulatorHandle, token: string, feedType: string, documentId: string, marketplaceIds = [DE]): Promise<string> {
  const res = await call<{ feedId: string }>(sim.url, "POST", "/feeds/2021-06-30/feeds", {
    token,
    body: { feedType, marketplaceIds, inputFeedDocumentId: documentId },
  })
  if (res.status !== 202) throw new Error(`createFeed: ${res.status} ${res.text}`)
  return res.body.feedId
}

/** Download a result document through getFeedDocument, gunzipping when compressionAlgorithm says so. */
export async function downloadResult(sim: SimulatorHandle, token: string, documentId: string): Promise<{ compressed: boolean; json: unknown }> {
  const doc = await call<{ url: string; compressionAlgorithm?: string }>(sim.url, "GET", `/feeds/2021-06-30/documents/${encodeURIComponent(documentId)}`, { token })
  if (doc.status !== 200) throw new Error(`getFeedDocument: ${doc.status} ${doc.text}`)
  const res = await fetch(doc.body.url)
  const bytes = Buffer.from(await res.arrayBuffer())
  const compressed = doc.body.compressionAlgorithm === "GZIP"
  return { compressed, json: JSON.parse((compressed ? gunzipSync(bytes) : bytes).toString("utf8")) }
}

export function listingsFeed(sellerId: string, messages: unknown[], extraHeader: Record<string, unknown> = {}): string {
  return JSON.stringify({ header: { sellerId, version: "2.0", issueLocale: "en_US", ...extraHeader }, messages })
}

export function quantityPatch(messageId: number, sku: string, quantity: number, op = "replace", extra: Record<string, unknown> = {}) {
  return {
    messageId,
    sku,
    operationType: "PATCH",
    productType: "PRODUCT",
    patches: [{ op, path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity, ...extra }] }],
  }
}

export const FR = "A13V1IB3VIYZZH"

/** createReport; returns the whole response (status 202 → body.reportId). */
export function createReport(sim: SimulatorHandle, token: string, body: Record<string, unknown>): Promise<CallResult<{ reportId: string }>> {
  return call<{ reportId: string }>(sim.url, "POST", "/reports/2021-06-30/reports", { token, body })
}

/** getReportDocument + download, gunzipping when compressionAlgorithm says so and decoding the charset the download names. */
export async function downloadReport(
  sim: SimulatorHandle,
  token: string,
  reportDocumentId: string,
): Promise<{ compressed: boolean; text: string; contentType: string; bytes: Buffer }> {
  const doc = await call<{ url: string; compressionAlgorithm?: string }>(sim.url, "GET", `/reports/2021-06-30/documents/${encodeURIComponent(reportDocumentId)}`, { token })
  if (doc.status !== 200) throw new Error(`getReportDocument: ${doc.status} ${doc.text}`)
  const res = await fetch(doc.body.url)
  if (res.status !== 200) throw new Error(`download: ${res.status} ${await res.text()}`)
  const bytes = Buffer.from(await res.arrayBuffer())
  const compressed = doc.body.compressionAlgorithm === "GZIP"
  const contentType = res.headers.get("content-type") ?? ""
  const plain = compressed ? gunzipSync(bytes) : bytes
  const text = /charset=cp1252/i.test(contentType) ? decodeCp1252(plain) : plain.toString("utf8")
  return { compressed, text, contentType, bytes }
}

/** A tab-separated flat file as one record per row, keyed by the header row. */
export function parseFlatFile(text: string): { header: string[]; rows: Record<string, string>[] } {
  const lines = text.split("\n").filter((line) => line !== "")
  const header = lines[0].split("\t")
  const rows = lines.slice(1).map((line) => {
    const cells = line.split("\t")
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]))
  })
  return { header, rows }
}
