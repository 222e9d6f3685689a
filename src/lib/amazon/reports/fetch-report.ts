import { gunzipSync } from "node:zlib"
import type { SpApi } from "../api"
import { isAmazonApiError, upstreamText } from "../errors"
import type { CallTally } from "../feeds/submit-feed"
import type { components } from "../generated/reports-2021-06-30"
import { realSleep } from "../http"

/**
 * A report's round trips, each through the one SP-API client (http.ts): createReport → getReport until
 * Amazon finishes it → getReportDocument → download of the presigned URL. Amazon's Reports API 2021-06-30,
 * FACTS.md §12. No Medusa imports; the caller stores the reportId between the round trips, so a report
 * that outlives one job run is picked up by the next with `pollReport` alone.
 *
 * Calls are counted as submit-feed.ts counts them: the attempts of every SP-API call that succeeded are
 * added to `tally.calls` as it completes (a download counts 1), and a call that fails throws its
 * AmazonApiError unchanged, carrying its own `attempts` for the caller's catch to add. The outcomes of the
 * report itself (FATAL, CANCELLED, not finished in time, an unusable document) throw a ReportFetchError.
 */

type Report = components["schemas"]["Report"]
export type ReportProcessingStatus = Report["processingStatus"]

export type ReportFetchErrorCode =
  /** Amazon aborted the report. `errorDocument` holds Amazon's explanation when it attached one. */
  | "REPORT_FATAL"
  /**
   * The report was cancelled: by a cancelReport before it started, or by Amazon itself when there is no
   * data to report (the model's words). For a listings report that can mean the seller has no listings.
   */
  | "REPORT_CANCELLED"
  /** Still IN_QUEUE / IN_PROGRESS after `maxWaitMs`. The report goes on at Amazon: poll the same reportId later. */
  | "REPORT_TIMEOUT"
  /** DONE without a reportDocumentId. */
  | "REPORT_NO_DOCUMENT"
  /** A processingStatus the Reports model does not list. */
  | "REPORT_UNEXPECTED_STATUS"
  /** gzip magic bytes, but the stream is corrupt or truncated. */
  | "DOCUMENT_GZIP_INVALID"
  /** The (inflated) document is larger than `maxBytes`. */
  | "DOCUMENT_TOO_LARGE"
  /** The bytes are not valid in the encoding the caller insisted on. */
  | "DOCUMENT_ENCODING_INVALID"

export class ReportFetchError extends Error {
  readonly name = "ReportFetchError"
  /** Stable code; branch on it, never on the message. */
  readonly code: ReportFetchErrorCode
  readonly reportId?: string
  /** The last processingStatus getReport answered, when there was one. */
  readonly processingStatus?: string
  /** FATAL only: the error document's text as Amazon wrote it (control characters removed, capped). */
  readonly errorDocument?: string

  constructor(
    code: ReportFetchErrorCode,
    message: string,
    init: { reportId?: string; processingStatus?: string; errorDocument?: string; cause?: unknown } = {}
  ) {
    super(message)
    this.code = code
    this.reportId = init.reportId
    this.processingStatus = init.processingStatus
    this.errorDocument = init.errorDocument
    if (init.cause !== undefined) {
      ;(this as { cause?: unknown }).cause = init.cause
    }
  }
}

export interface RequestReportInput {
  /** e.g. "GET_MERCHANT_LISTINGS_ALL_DATA" (one marketplace per report, FACTS §12). */
  reportType: string
  marketplaceIds: string[]
  dataStartTime?: Date | string
  dataEndTime?: Date | string
  reportOptions?: Record<string, string>
}

/**
 * Asks Amazon for a report and returns its reportId. createReport is a POST the client does not resend
 * after a timeout (kind "indeterminate"); asking again is harmless (a second report, or Amazon's cached
 * one) but spends createReport's small quota (0.0167 per second, burst 15).
 *
 * @example
 * const reportId = await requestReport(api, { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: [marketplaceId] }, { tally: out })
 */
export async function requestReport(
  api: SpApi,
  input: RequestReportInput,
  options: { tally?: CallTally } = {}
): Promise<string> {
  if (input.marketplaceIds.length === 0) {
    throw new TypeError("requestReport needs at least one marketplaceId")
  }
  const tally = options.tally ?? { calls: 0 }
  const res = await api.createReport({
    reportType: input.reportType,
    marketplaceIds: input.marketplaceIds,
    ...(input.dataStartTime !== undefined ? { dataStartTime: isoTime(input.dataStartTime, "dataStartTime") } : {}),
    ...(input.dataEndTime !== undefined ? { dataEndTime: isoTime(input.dataEndTime, "dataEndTime") } : {}),
    ...(input.reportOptions ? { reportOptions: input.reportOptions } : {}),
  })
  tally.calls += res.attempts
  return res.data.reportId
}

function isoTime(value: Date | string, name: string): string {
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`requestReport: ${name} is not a valid date`)
  }
  return date.toISOString()
}

export interface ReportProgress {
  reportId: string
  processingStatus: ReportProcessingStatus
  /** getReport calls made so far by this pollReport, this one included. */
  polls: number
  /** Since pollReport started, by `now`. */
  elapsedMs: number
}

export interface PollReportOptions {
  /** Give up (REPORT_TIMEOUT) when the report is not finished this long after the first poll. */
  maxWaitMs: number
  /** Pause between polls. getReport allows 2 per second (burst 15); a listings report takes minutes. */
  intervalMs: number
  /** Called after every getReport; an error thrown here ends the polling and is passed on. */
  onProgress?: (progress: ReportProgress) => Promise<void> | void
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>
  /** Injected for tests; epoch milliseconds. */
  now?: () => number
  /** Caps the FATAL error document read into the error (it is the seller's own data, not an upload). */
  errorDocumentMaxChars?: number
  tally?: CallTally
}

/** A report Amazon finished (processingStatus DONE). */
export interface FinishedReport {
  reportId: string
  reportType: string
  processingStatus: "DONE"
  reportDocumentId: string
  marketplaceIds?: string[]
  createdTime: string
  dataStartTime?: string
  dataEndTime?: string
  processingStartTime?: string
  processingEndTime?: string
}

/**
 * Polls getReport until the report is DONE (returned), FATAL, CANCELLED or still unfinished after
 * `maxWaitMs` (each thrown as a ReportFetchError). The last poll happens at `maxWaitMs` at the latest, so
 * a report that finishes just before the deadline is still seen. A FATAL report may carry a
 * reportDocumentId whose document explains the failure: it is downloaded and put in `errorDocument`
 * (a failure to fetch it is swallowed: the FATAL is the news, not the missing explanation).
 *
 * @example
 * const report = await pollReport(api, reportId, { maxWaitMs: 10 * 60_000, intervalMs: 30_000, tally: out })
 * const { text } = await downloadReportDocument(api, report.reportDocumentId, { tally: out })
 */
export async function pollReport(api: SpApi, reportId: string, options: PollReportOptions): Promise<FinishedReport> {
  if (!(options.intervalMs > 0) || !(options.maxWaitMs >= 0)) {
    // An interval of 0 would spin on getReport's bucket for as long as the report takes.
    throw new TypeError("pollReport needs intervalMs > 0 and maxWaitMs >= 0")
  }
  const tally = options.tally ?? { calls: 0 }
  const sleep = options.sleep ?? realSleep
  const now = options.now ?? Date.now
  const started = now()
  for (let polls = 1; ; polls++) {
    const res = await api.getReport(reportId)
    tally.calls += res.attempts
    const report = res.data
    const status = report.processingStatus
    const elapsedMs = now() - started
    await options.onProgress?.({ reportId, processingStatus: status, polls, elapsedMs })

    switch (status) {
      case "DONE":
        if (!report.reportDocumentId) {
          throw new ReportFetchError("REPORT_NO_DOCUMENT", `Report ${reportId} is DONE but has no reportDocumentId`, {
            reportId,
            processingStatus: status,
          })
        }
        return finished(report, report.reportDocumentId)
      case "CANCELLED":
        throw new ReportFetchError(
          "REPORT_CANCELLED",
          `Report ${reportId} was cancelled (by a cancelReport, or by Amazon because there was no data to report)`,
          { reportId, processingStatus: status }
        )
      case "FATAL": {
        const errorDocument = report.reportDocumentId
          ? await readErrorDocument(api, report.reportDocumentId, options.errorDocumentMaxChars ?? 2000, tally)
          : undefined
        throw new ReportFetchError(
          "REPORT_FATAL",
          `Amazon aborted report ${reportId} (FATAL)${errorDocument ? `: ${upstreamText(errorDocument, 300)}` : ""}`,
          { reportId, processingStatus: status, errorDocument }
        )
      }
      case "IN_QUEUE":
      case "IN_PROGRESS":
        break
      default:
        throw new ReportFetchError("REPORT_UNEXPECTED_STATUS", `Report ${reportId} has an unknown processingStatus`, {
          reportId,
          processingStatus: upstreamText(status, 40),
        })
    }

    const wait = Math.min(options.intervalMs, options.maxWaitMs - elapsedMs)
    if (wait <= 0) {
      throw new ReportFetchError(
        "REPORT_TIMEOUT",
        `Report ${reportId} is still ${status} after ${Math.round(elapsedMs / 1000)} s; poll it again later`,
        { reportId, processingStatus: status }
      )
    }
    await sleep(wait)
  }
}

function finished(report: Report, reportDocumentId: string): FinishedReport {
  const { marketplaceIds, dataStartTime, dataEndTime, processingStartTime, processingEndTime } = report
  return {
    reportId: report.reportId,
    reportType: report.reportType,
    processingStatus: "DONE",
    reportDocumentId,
    createdTime: report.createdTime,
    ...(marketplaceIds !== undefined ? { marketplaceIds } : {}),
    ...(dataStartTime !== undefined ? { dataStartTime } : {}),
    ...(dataEndTime !== undefined ? { dataEndTime } : {}),
    ...(processingStartTime !== undefined ? { processingStartTime } : {}),
    ...(processingEndTime !== undefined ? { processingEndTime } : {}),
  }
}

async function readErrorDocument(api: SpApi, reportDocumentId: string, maxChars: number, tally: CallTally): Promise<string | undefined> {
  try {
    const doc = await downloadReportDocument(api, reportDocumentId, { tally, maxBytes: 1024 * 1024 })
    const text = upstreamText(doc.text, maxChars)
    return text.length > 0 ? text : undefined
  } catch (e) {
    // Swallowed, so its round trips are counted here rather than by the caller's catch.
    if (isAmazonApiError(e)) {
      tally.calls += e.attempts
    }
    return undefined
  }
}

/**
 * The time a finished report's data can be trusted to include: the earlier of dataEndTime and
 * createdTime. Amazon may hand back a cached listings report that is one to six hours old (FACTS §12); its
 * times are then the old report's. A push after this time may be missing from the report, so a drift
 * check skips it (drift.ts).
 */
export function reportDataTime(report: Pick<FinishedReport, "createdTime" | "dataEndTime">): Date {
  const times = [report.dataEndTime, report.createdTime]
    .filter((t): t is string => typeof t === "string")
    .map((t) => new Date(t).getTime())
    .filter((t) => !Number.isNaN(t))
  if (times.length === 0) {
    throw new TypeError("reportDataTime: the report has neither a valid dataEndTime nor createdTime")
  }
  return new Date(Math.min(...times))
}

export interface DownloadReportDocumentOptions {
  /**
   * The charset of a document that is not valid UTF-8. Amazon serves listings reports as UTF-8 in some
   * marketplaces and as Cp1252 in others (Content-Type "text/plain; charset=Cp1252",
   * amzn/selling-partner-api-models#2748); Japanese ones as Shift_JIS/CP932 (pass "shift_jis").
   * Default "windows-1252". Any label WHATWG TextDecoder knows.
   */
  fallbackEncoding?: string
  /** Decode with exactly this charset instead (no UTF-8 attempt); bytes invalid in it throw DOCUMENT_ENCODING_INVALID. */
  encoding?: string
  /**
   * Refuse an (inflated) document larger than this, DOCUMENT_TOO_LARGE. Default 512 MiB, about the
   * longest string V8 makes; 100,000 rows of the documented columns with short descriptions were 29 MB
   * in a generated report.
   */
  maxBytes?: number
  tally?: CallTally
}

export interface ReportDocumentText {
  reportDocumentId: string
  /** The document, decoded (a leading UTF-8 BOM removed). */
  text: string
  /** The charset `text` was decoded from. */
  encoding: string
  /** What getReportDocument said. */
  compressionAlgorithm?: "GZIP"
  /** Whether the bytes were gunzipped here (false when the HTTP layer had already inflated them). */
  inflated: boolean
  /** Size of the document in bytes after any gunzip, before decoding. */
  byteLength: number
}

const DEFAULT_MAX_BYTES = 512 * 1024 * 1024

/**
 * Fetches a report document: getReportDocument → GET of the presigned URL through the SP-API client's
 * document download (no access token on the URL, capped retries, typed errors) → gunzip → decode.
 *
 * Gunzip is decided by the bytes, not by `compressionAlgorithm` alone: when S3 also sends
 * `Content-Encoding: gzip`, an HTTP client may already have inflated the body, and inflating it again fails
 * (FACTS §13 point 5). So the bytes are inflated only when they start with gzip's magic number (1f 8b),
 * which no text document does.
 *
 * @example
 * const { text } = await downloadReportDocument(api, report.reportDocumentId, { tally: out })
 * const parsed = parseMerchantListingsReport(text)
 */
export async function downloadReportDocument(
  api: SpApi,
  reportDocumentId: string,
  options: DownloadReportDocumentOptions = {}
): Promise<ReportDocumentText> {
  const tally = options.tally ?? { calls: 0 }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const doc = await api.getReportDocument(reportDocumentId)
  tally.calls += doc.attempts
  const raw = await api.client.downloadDocument(doc.data.url)
  tally.calls += 1
  const compressionAlgorithm = doc.data.compressionAlgorithm

  const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b
  let bytes: Buffer = raw
  if (gzipped) {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: maxBytes })
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) {
        throw new ReportFetchError("DOCUMENT_TOO_LARGE", `Report document ${reportDocumentId} inflates beyond ${maxBytes} bytes`, { cause: e })
      }
      throw new ReportFetchError("DOCUMENT_GZIP_INVALID", `Report document ${reportDocumentId} is not a valid gzip stream`, { cause: e })
    }
  } else if (raw.length > maxBytes) {
    throw new ReportFetchError("DOCUMENT_TOO_LARGE", `Report document ${reportDocumentId} is larger than ${maxBytes} bytes`)
  }

  const { text, encoding } = decode(bytes, reportDocumentId, options)
  return {
    reportDocumentId,
    text,
    encoding,
    ...(compressionAlgorithm ? { compressionAlgorithm } : {}),
    inflated: gzipped,
    byteLength: bytes.length,
  }
}

function decode(bytes: Uint8Array, reportDocumentId: string, options: DownloadReportDocumentOptions): { text: string; encoding: string } {
  if (options.encoding) {
    // An unknown label is the caller's mistake and throws TextDecoder's RangeError as it is.
    const decoder = new TextDecoder(options.encoding, { fatal: true })
    if (decoder.encoding === "windows-1252") {
      // Every byte is a character in windows-1252 (WHATWG): nothing can be invalid.
      return { text: decodeWindows1252(bytes), encoding: decoder.encoding }
    }
    try {
      return { text: decoder.decode(bytes), encoding: decoder.encoding }
    } catch (e) {
      throw new ReportFetchError("DOCUMENT_ENCODING_INVALID", `Report document ${reportDocumentId} is not valid ${decoder.encoding}`, { cause: e })
    }
  }
  const fallback = new TextDecoder(options.fallbackEncoding ?? "windows-1252")
  // Strict UTF-8 first: Cp1252 or Shift_JIS text with any non-ASCII character is practically never valid
  // UTF-8, so a failure here means "the other charset", and pure ASCII reads the same in all of them.
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" }
  } catch {
    const text = fallback.encoding === "windows-1252" ? decodeWindows1252(bytes) : fallback.decode(bytes)
    return { text, encoding: fallback.encoding }
  }
}

/** windows-1252's characters for bytes 0x80–0x9F (undefined ones keep their C1 code point, as WHATWG says). */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178"

/**
 * Node 20's TextDecoder("windows-1252") decodes as ISO-8859-1, turning 0x80–0x9F (€ „ “ ” – …) into
 * control characters (measured on 20.20; the same symptom as jlevers/selling-partner-api#512). So: latin1,
 * then those 32 code points mapped by hand.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("latin1")
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80])
}
