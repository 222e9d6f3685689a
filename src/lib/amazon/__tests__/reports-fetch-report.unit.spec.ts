import { gzipSync } from "node:zlib"
import { SpApi } from "../api"
import { AmazonApiError } from "../errors"
import { SpApiClient } from "../http"
import {
  downloadReportDocument,
  pollReport,
  ReportFetchError,
  ReportProgress,
  reportDataTime,
  requestReport,
} from "../reports/fetch-report"
import { MemoryBucketStore } from "../token-bucket"

/** A scripted SP-API + S3 in memory: every request is recorded, each answer chosen by the test. */
type Answer = Response | Error
type Route = (method: string, url: URL, body: string | undefined) => Answer | undefined

function spApiClient(route: Route) {
  const log: { method: string; path: string; headers: Record<string, string>; body?: string }[] = []
  const fakeFetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input))
    const method = init.method ?? "GET"
    if (url.pathname === "/auth/o2/token") {
      return Response.json({ access_token: "Atza|t", token_type: "bearer", expires_in: 3600 })
    }
    const body = typeof init.body === "string" ? init.body : undefined
    log.push({ method, path: url.pathname, headers: (init.headers ?? {}) as Record<string, string>, body })
    const answer = route(method, url, body) ?? new Response(JSON.stringify({ errors: [{ code: "NotFound", message: url.pathname }] }), { status: 404 })
    if (answer instanceof Error) throw answer
    return answer
  }) as typeof fetch
  const api = new SpApi(
    new SpApiClient({
      sellerId: "A1SELLER",
      region: "EU",
      credentials: { clientId: "id", clientSecret: "secret", refreshToken: "Atzr|r" },
      endpoints: { spApiBaseUrl: "https://sp.test", lwaTokenUrl: "https://sp.test/auth/o2/token" },
      fetch: fakeFetch,
      bucketStore: new MemoryBucketStore(),
      sleep: async () => {},
      random: () => 0.5,
      maxQueueWaitMs: 10_000,
    })
  )
  return { api, log }
}

const REPORT_PATH = "/reports/2021-06-30/reports/R1"

function report(processingStatus: string, extra: Record<string, unknown> = {}) {
  return Response.json({
    reportId: "R1",
    reportType: "GET_MERCHANT_LISTINGS_ALL_DATA",
    marketplaceIds: ["A1PA6795UKMFR9"],
    createdTime: "2026-03-10T06:00:00Z",
    processingStatus,
    ...extra,
  })
}

/** getReport answers the statuses in turn (the last one repeats); documents are served from `docs`. */
function reportsApi(statuses: (() => Response)[], docs: Record<string, { body: Uint8Array | string; compressionAlgorithm?: "GZIP"; status?: number }> = {}): Route {
  let i = 0
  return (method, url) => {
    if (method === "GET" && url.pathname === REPORT_PATH) {
      return statuses[Math.min(i++, statuses.length - 1)]()
    }
    const docMatch = /^\/reports\/2021-06-30\/documents\/(.+)$/.exec(url.pathname)
    if (method === "GET" && docMatch && docs[docMatch[1]]) {
      const d = docs[docMatch[1]]
      return Response.json({ reportDocumentId: docMatch[1], url: `https://s3.test/docs/${docMatch[1]}?X-Amz-Signature=abc`, ...(d.compressionAlgorithm ? { compressionAlgorithm: d.compressionAlgorithm } : {}) })
    }
    const s3Match = /^\/docs\/(.+)$/.exec(url.pathname)
    if (method === "GET" && url.host === "s3.test" && s3Match && docs[s3Match[1]]) {
      const d = docs[s3Match[1]]
      return new Response(d.body as BodyInit, { status: d.status ?? 200 })
    }
    return undefined
  }
}

/** A virtual clock the injected sleep advances. */
function virtualTime() {
  let t = 1_000_000
  const slept: number[] = []
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms)
      t += ms
    },
    slept,
  }
}

describe("requestReport", () => {
  it("sends createReport with the report type, marketplaces, ISO times and options; returns the reportId, counts the call", async () => {
    const { api, log } = spApiClient((method, url) =>
      method === "POST" && url.pathname === "/reports/2021-06-30/reports" ? Response.json({ reportId: "R1" }, { status: 202 }) : undefined
    )
    const tally = { calls: 0 }
    const id = await requestReport(
      api,
      { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: ["A1PA6795UKMFR9"], dataStartTime: new Date("2026-03-01T00:00:00Z"), reportOptions: { custom: "false" } },
      { tally }
    )
    expect(id).toBe("R1")
    expect(JSON.parse(log[0].body!)).toEqual({
      reportType: "GET_MERCHANT_LISTINGS_ALL_DATA",
      marketplaceIds: ["A1PA6795UKMFR9"],
      dataStartTime: "2026-03-01T00:00:00.000Z",
      reportOptions: { custom: "false" },
    })
    expect(tally.calls).toBe(1)
  })

  it("refuses no marketplace or an invalid date before calling Amazon", async () => {
    const { api, log } = spApiClient(() => undefined)
    await expect(requestReport(api, { reportType: "X", marketplaceIds: [] })).rejects.toThrow(TypeError)
    await expect(requestReport(api, { reportType: "X", marketplaceIds: ["M"], dataStartTime: "yesterday" })).rejects.toThrow(TypeError)
    expect(log).toEqual([])
  })
})

describe("pollReport", () => {
  it("polls through IN_QUEUE and IN_PROGRESS to DONE, reporting progress and sleeping intervalMs between polls", async () => {
    const { api } = spApiClient(
      reportsApi([
        () => report("IN_QUEUE"),
        () => report("IN_PROGRESS", { processingStartTime: "2026-03-10T06:00:05Z" }),
        () => report("DONE", { reportDocumentId: "DOC-1", dataEndTime: "2026-03-10T06:00:00Z", processingEndTime: "2026-03-10T06:01:00Z" }),
      ])
    )
    const clock = virtualTime()
    const progress: ReportProgress[] = []
    const tally = { calls: 0 }
    const done = await pollReport(api, "R1", { maxWaitMs: 600_000, intervalMs: 30_000, sleep: clock.sleep, now: clock.now, onProgress: (p) => void progress.push(p), tally })
    expect(done).toEqual({
      reportId: "R1",
      reportType: "GET_MERCHANT_LISTINGS_ALL_DATA",
      processingStatus: "DONE",
      reportDocumentId: "DOC-1",
      marketplaceIds: ["A1PA6795UKMFR9"],
      createdTime: "2026-03-10T06:00:00Z",
      dataEndTime: "2026-03-10T06:00:00Z",
      processingEndTime: "2026-03-10T06:01:00Z",
    })
    expect(progress).toEqual([
      { reportId: "R1", processingStatus: "IN_QUEUE", polls: 1, elapsedMs: 0 },
      { reportId: "R1", processingStatus: "IN_PROGRESS", polls: 2, elapsedMs: 30_000 },
      { reportId: "R1", processingStatus: "DONE", polls: 3, elapsedMs: 60_000 },
    ])
    expect(clock.slept).toEqual([30_000, 30_000])
    expect(tally.calls).toBe(3)
  })

  it("times out with REPORT_TIMEOUT after maxWaitMs, the last poll at the deadline; the reportId stays usable", async () => {
    const { api, log } = spApiClient(reportsApi([() => report("IN_PROGRESS")]))
    const clock = virtualTime()
    const tally = { calls: 0 }
    const err = await pollReport(api, "R1", { maxWaitMs: 70_000, intervalMs: 30_000, sleep: clock.sleep, now: clock.now, tally }).catch((e) => e)
    expect(err).toBeInstanceOf(ReportFetchError)
    expect(err).toMatchObject({ code: "REPORT_TIMEOUT", reportId: "R1", processingStatus: "IN_PROGRESS" })
    expect(clock.slept).toEqual([30_000, 30_000, 10_000])
    expect(log).toHaveLength(4)
    expect(tally.calls).toBe(4)
  })

  it("sees a report that finishes at the deadline", async () => {
    const { api } = spApiClient(reportsApi([() => report("IN_QUEUE"), () => report("DONE", { reportDocumentId: "D" })]))
    const clock = virtualTime()
    const done = await pollReport(api, "R1", { maxWaitMs: 5_000, intervalMs: 30_000, sleep: clock.sleep, now: clock.now })
    expect(done.reportDocumentId).toBe("D")
    expect(clock.slept).toEqual([5_000])
  })

  it("throws REPORT_CANCELLED for a cancelled report (e.g. no data to report)", async () => {
    const { api } = spApiClient(reportsApi([() => report("CANCELLED")]))
    const err = await pollReport(api, "R1", { maxWaitMs: 60_000, intervalMs: 1_000, sleep: async () => {} }).catch((e) => e)
    expect(err).toMatchObject({ code: "REPORT_CANCELLED", processingStatus: "CANCELLED" })
  })

  it("throws REPORT_FATAL with Amazon's gzipped error document when one is attached; counts its calls", async () => {
    const errorDoc = '{"errorDetails":\n"Report generation failed: internal error"}\n'
    const { api } = spApiClient(
      reportsApi([() => report("FATAL", { reportDocumentId: "ERR-1" })], { "ERR-1": { body: gzipSync(errorDoc), compressionAlgorithm: "GZIP" } })
    )
    const tally = { calls: 0 }
    const err = await pollReport(api, "R1", { maxWaitMs: 60_000, intervalMs: 1_000, sleep: async () => {}, tally }).catch((e) => e)
    expect(err).toBeInstanceOf(ReportFetchError)
    expect(err.code).toBe("REPORT_FATAL")
    // control characters (the newlines) removed, as upstreamText does for anything shown to the admin
    expect(err.errorDocument).toBe('{"errorDetails": "Report generation failed: internal error"}')
    expect(tally.calls).toBe(3)
  })

  it("still throws REPORT_FATAL when there is no error document, or it cannot be fetched", async () => {
    const none = spApiClient(reportsApi([() => report("FATAL")]))
    const a = await pollReport(none.api, "R1", { maxWaitMs: 60_000, intervalMs: 1_000 }).catch((e) => e)
    expect(a).toMatchObject({ code: "REPORT_FATAL", errorDocument: undefined })

    const broken = spApiClient(reportsApi([() => report("FATAL", { reportDocumentId: "ERR-2" })], { "ERR-2": { body: "denied", status: 403 } }))
    const tally = { calls: 0 }
    const b = await pollReport(broken.api, "R1", { maxWaitMs: 60_000, intervalMs: 1_000, tally }).catch((e) => e)
    expect(b).toMatchObject({ code: "REPORT_FATAL", errorDocument: undefined })
    // getReport, getReportDocument, and the refused download (not retried: 403 is fatal)
    expect(tally.calls).toBe(3)
  })

  it.each([
    ["DONE without a document", () => report("DONE"), "REPORT_NO_DOCUMENT"],
    ["a status the model does not list", () => report("SOMETHING_NEW"), "REPORT_UNEXPECTED_STATUS"],
  ])("throws for %s", async (_name, answer, code) => {
    const { api } = spApiClient(reportsApi([answer]))
    await expect(pollReport(api, "R1", { maxWaitMs: 60_000, intervalMs: 1_000 })).rejects.toMatchObject({ code })
  })

  it("passes a failed getReport's AmazonApiError on unchanged", async () => {
    const { api } = spApiClient(reportsApi([() => Response.json({ errors: [{ code: "InvalidInput", message: "bad id" }] }, { status: 400 })]))
    const err = await pollReport(api, "R1", { maxWaitMs: 60_000, intervalMs: 1_000 }).catch((e) => e)
    expect(err).toBeInstanceOf(AmazonApiError)
    expect(err).toMatchObject({ code: "InvalidInput", operation: "reports-2021-06-30.getReport" })
  })

  it("ends when onProgress throws, and refuses a zero interval", async () => {
    const { api, log } = spApiClient(reportsApi([() => report("IN_QUEUE")]))
    const stop = new Error("run cancelled")
    await expect(pollReport(api, "R1", { maxWaitMs: 60_000, intervalMs: 1_000, sleep: async () => {}, onProgress: () => { throw stop } })).rejects.toBe(stop)
    expect(log).toHaveLength(1)
    await expect(pollReport(api, "R1", { maxWaitMs: 60_000, intervalMs: 0 })).rejects.toThrow(TypeError)
  })
})

describe("reportDataTime", () => {
  it("is the earlier of dataEndTime and createdTime (a cached report keeps its old times)", () => {
    expect(reportDataTime({ createdTime: "2026-03-10T06:00:00Z", dataEndTime: "2026-03-10T05:59:58Z" })).toEqual(new Date("2026-03-10T05:59:58Z"))
    expect(reportDataTime({ createdTime: "2026-03-10T06:00:00Z" })).toEqual(new Date("2026-03-10T06:00:00Z"))
    expect(() => reportDataTime({ createdTime: "garbage" })).toThrow(TypeError)
  })
})

describe("downloadReportDocument", () => {
  const TSV = "item-name\tseller-sku\tquantity\tfulfillment-channel\r\nMug 12\"\tMUG-12\t7\tDEFAULT\r\n"

  it("gets the presigned URL, downloads it without an access token, gunzips GZIP; counts 2 calls", async () => {
    const { api, log } = spApiClient(reportsApi([], { "DOC-1": { body: gzipSync(TSV), compressionAlgorithm: "GZIP" } }))
    const tally = { calls: 0 }
    const doc = await downloadReportDocument(api, "DOC-1", { tally })
    expect(doc).toEqual({ reportDocumentId: "DOC-1", text: TSV, encoding: "utf-8", compressionAlgorithm: "GZIP", inflated: true, byteLength: Buffer.byteLength(TSV) })
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /reports/2021-06-30/documents/DOC-1", "GET /docs/DOC-1"])
    expect(log[1].headers["x-amz-access-token"]).toBeUndefined()
    expect(tally.calls).toBe(2)
  })

  it("does not inflate twice when the HTTP layer already did (S3 sent Content-Encoding: gzip)", async () => {
    const { api } = spApiClient(reportsApi([], { "DOC-1": { body: TSV, compressionAlgorithm: "GZIP" } }))
    const doc = await downloadReportDocument(api, "DOC-1")
    expect(doc).toMatchObject({ text: TSV, inflated: false, compressionAlgorithm: "GZIP" })
  })

  it("returns an uncompressed document as is, the UTF-8 BOM removed", async () => {
    const { api } = spApiClient(reportsApi([], { "DOC-1": { body: "\ufeff" + TSV } }))
    const doc = await downloadReportDocument(api, "DOC-1")
    expect(doc.text).toBe(TSV)
    expect(doc).not.toHaveProperty("compressionAlgorithm")
  })

  it("decodes a Cp1252 document (EU listings reports) and, when asked, a Shift_JIS one", async () => {
    // Piña €„“”–: ñ is 0xF1, the others are in 0x80–0x9F, where windows-1252 and ISO-8859-1 differ
    const cp1252 = Buffer.from([...Buffer.from("item-name\tseller-sku\nPi"), 0xf1, 0x61, 0x20, 0x80, 0x84, 0x93, 0x94, 0x96, 0x81, 0x09, ...Buffer.from("SKU-1\n")])
    const eu = spApiClient(reportsApi([], { "DOC-EU": { body: gzipSync(cp1252), compressionAlgorithm: "GZIP" } }))
    const a = await downloadReportDocument(eu.api, "DOC-EU")
    expect(a).toMatchObject({ encoding: "windows-1252", text: "item-name\tseller-sku\nPiña €„“”–\u0081\tSKU-1\n" })
    const forced = spApiClient(reportsApi([], { "DOC-EU": { body: cp1252 } }))
    expect((await downloadReportDocument(forced.api, "DOC-EU", { encoding: "cp1252" })).text).toBe(a.text)

    const sjis = Buffer.from([0x93, 0x92, 0x88, 0xf9, 0x82, 0xdd, 0x09, 0x41]) // 湯飲み\tA
    const jp = spApiClient(reportsApi([], { "DOC-JP": { body: sjis } }))
    const b = await downloadReportDocument(jp.api, "DOC-JP", { fallbackEncoding: "shift_jis" })
    expect(b).toMatchObject({ encoding: "shift_jis", text: "湯飲み\tA" })
  })

  it("with an explicit encoding, refuses bytes invalid in it", async () => {
    const { api } = spApiClient(reportsApi([], { "DOC-1": { body: Buffer.from([0x41, 0xff, 0x42]) } }))
    await expect(downloadReportDocument(api, "DOC-1", { encoding: "utf-8" })).rejects.toMatchObject({ code: "DOCUMENT_ENCODING_INVALID" })
  })

  it("refuses a corrupt gzip stream and a document beyond maxBytes", async () => {
    const gz = gzipSync(TSV.repeat(100))
    const corrupt = spApiClient(reportsApi([], { "DOC-1": { body: gz.subarray(0, 20), compressionAlgorithm: "GZIP" } }))
    await expect(downloadReportDocument(corrupt.api, "DOC-1")).rejects.toMatchObject({ code: "DOCUMENT_GZIP_INVALID" })

    const big = spApiClient(reportsApi([], { "DOC-1": { body: gz, compressionAlgorithm: "GZIP" }, "DOC-2": { body: TSV.repeat(100) } }))
    await expect(downloadReportDocument(big.api, "DOC-1", { maxBytes: 1000 })).rejects.toMatchObject({ code: "DOCUMENT_TOO_LARGE" })
    await expect(downloadReportDocument(big.api, "DOC-2", { maxBytes: 1000 })).rejects.toMatchObject({ code: "DOCUMENT_TOO_LARGE" })
  })

  it("passes a failed download's AmazonApiError on", async () => {
    const { api } = spApiClient(reportsApi([], { "DOC-1": { body: "<Error>AccessDenied</Error>", status: 403 } }))
    const err = await downloadReportDocument(api, "DOC-1").catch((e) => e)
    expect(err).toBeInstanceOf(AmazonApiError)
    expect(err).toMatchObject({ status: 403, kind: "fatal" })
  })

  it("downloads and inflates a 100,000-row listings report", async () => {
    const header = "item-name\titem-description\tlisting-id\tseller-sku\tprice\tquantity\tfulfillment-channel\tstatus"
    const lines = [header]
    for (let i = 0; i < 100_000; i++) lines.push(`Product ${i}\tDescription ${i}\tL${i}\tSKU-${i}\t9.99\t${i % 30}\tDEFAULT\tActive`)
    const tsv = lines.join("\n")
    const { api } = spApiClient(reportsApi([], { "DOC-1": { body: gzipSync(tsv), compressionAlgorithm: "GZIP" } }))
    const doc = await downloadReportDocument(api, "DOC-1")
    expect(doc.text.length).toBe(tsv.length)
    expect(doc.text.endsWith("SKU-99999\t9.99\t9\tDEFAULT\tActive")).toBe(true)
  })
})
