/**
 * Parser for the JSON_LISTINGS_FEED processing report (the result document of a listings feed).
 *
 * Pure apart from in-memory gunzip. The report names messages only by messageId, so it is joined with the
 * messageId → sku map the caller recorded when building the feed (BuiltListingsFeed.messages).
 *
 * Per-message status rule (the report lists issues, not outcomes, so acceptance must be inferred):
 * - a message with at least one ERROR issue is "error" (the schema: issues "prevent the acceptance");
 * - every other message is "accepted" (or "warning" when it has WARNING issues) ONLY IF Amazon's counts
 *   agree with what the issues imply: messagesProcessed = N (messages we sent), messagesInvalid = E
 *   (messages with an ERROR) and messagesAccepted = N − E. Then every message without an ERROR must be
 *   one of the accepted ones;
 * - otherwise those messages are "unconfirmed": some of them were not accepted, or not processed at all
 *   (e.g. a whole-feed error, where processed = 0), and the report does not say which. The caller should
 *   resend them (a quantity set is idempotent) or read them back with getListingsItem.
 * "accepted" still only means "passed validation": see `listing` for what Amazon holds afterwards.
 */
import { gunzipSync } from "node:zlib"
import Ajv from "ajv"
import type { ValidateFunction } from "ajv"
import type { components as ListingsItems } from "../generated/listings-items-2021-08-01"
import reportSchema from "../feeds/schemas/listings-feed-processing-report-schema-v2.json"
import type {
  ListingsFeedProcessingReport,
  ProcessingReportIssue,
  ProcessingReportSeverity,
  ProcessingReportSummary,
} from "../feeds/listings-feed-types"
import { MFN_FULFILLMENT_CHANNEL_CODE } from "../feeds/build-listings-feed"
import { join, PayloadReader, ReportParseError } from "./payload-reader"
import type { JsonRecord, ReportParseErrorCode } from "./payload-reader"

/**
 * Report issue codes whose retry behaviour is known, kept as data. Codes not listed (and issues with no
 * code) count as NOT retryable: resending a message that failed validation fails again and spends the
 * JSON_LISTINGS_FEED quota (5 per 5 min), whereas a new internal-error code left unretried shows up as
 * an error for a person to look at. Add codes here as they are observed.
 */
export const REPORT_ISSUE_CODES: Readonly<
  Record<string, { readonly retryable: boolean; readonly meaning: string; readonly source: string }>
> = {
  "4000000": {
    retryable: true,
    meaning: "An internal error has occurred. Please try again.",
    source: "amzn/selling-partner-api-models#4603",
  },
  "5002": {
    retryable: true,
    meaning: "An internal error occurred. Please resubmit your data.",
    source: "amzn/selling-partner-api-docs#1974",
  },
  // SP-API ErrorList codes (FACTS §3). Not seen inside reports so far; listed so that an API error echoed
  // into a report is treated like the same error from the SP-API client.
  InternalFailure: { retryable: true, meaning: "Amazon internal failure", source: "FACTS §3 ErrorList" },
  QuotaExceeded: { retryable: true, meaning: "throttled", source: "FACTS §3 ErrorList" },
  "4002006": {
    retryable: false,
    meaning: "a header attribute (e.g. version) does not match the required value",
    source: "amzn/selling-partner-api-docs#1133",
  },
  "4002008": {
    retryable: false,
    meaning: "the message does not meet the feed message schema",
    source: "amzn/selling-partner-api-models#1641",
  },
  "90220": {
    retryable: false,
    meaning: "a required attribute is not supplied",
    source: "listings-feed-processing-report-schema-v2.example.json",
  },
  "99022": {
    retryable: false,
    meaning: "an attribute has fewer values than required",
    source: "listings-feed-processing-report-schema-v2.example.json",
  },
}

export function isRetryableIssueCode(code: string | undefined): boolean {
  return code !== undefined && Object.prototype.hasOwnProperty.call(REPORT_ISSUE_CODES, code)
    ? REPORT_ISSUE_CODES[code].retryable
    : false
}

export type MessageStatus = "accepted" | "warning" | "error" | "unconfirmed"

export interface ReportIssueOutcome {
  code?: string
  severity: ProcessingReportSeverity
  message: string
  attributeName?: string
  /** Only ERROR issues can be retryable; see {@link REPORT_ISSUE_CODES}. */
  retryable: boolean
}

/**
 * Amazon's issues about one SKU in one line: the errors ("code: message; …"), or the warnings when there
 * is no error. The code is the first of those. Used for the listing's last error and its push history.
 */
export function describeReportIssues(issues: readonly { code?: string; severity?: string; message?: string }[]): { code: string | null; message: string } {
  const errors = issues.filter((i) => i.severity === "ERROR")
  const list = errors.length ? errors : issues
  return {
    code: list[0]?.code ?? null,
    message: list.map((i) => `${i.code ? `${i.code}: ` : ""}${i.message ?? ""}`.trim()).join("; "),
  }
}

/** An issue Amazon holds on the listing itself (Listings Items API `Issue`), e.g. a suppressed image. */
export type ListingIssue = Pick<ListingsItems["schemas"]["Issue"], "code" | "message" | "severity" | "attributeNames">

/** What the report's `items[]` says about a SKU after processing (present when the header asked for it). */
export interface ListingReadBack {
  /**
   * The DEFAULT (merchant) channel quantity Amazon holds. `null`: the item lists fulfillment availability
   * but no DEFAULT quantity. `undefined`: the report did not include fulfillmentAvailability.
   */
  quantity?: number | null
  issues: ListingIssue[]
}

export interface MessageOutcome {
  messageId: number
  sku: string
  status: MessageStatus
  /**
   * Worth resending unchanged: "error" whose ERROR issues are all retryable, or "unconfirmed" whose
   * feed-level errors (if any) are all retryable.
   */
  retryable: boolean
  issues: ReportIssueOutcome[]
  listing?: ListingReadBack
}

export interface ParsedProcessingReport {
  feedId: string
  sellerId: string
  summary: ProcessingReportSummary
  /** Whether Amazon's counts match the issues (the rule in the file comment); false ⇒ "unconfirmed" results. */
  countsConsistent: boolean
  /** One entry per message of the map, in messageId order. */
  results: MessageOutcome[]
  /** ERROR issues with no messageId: the whole feed (or an unidentifiable part of it) failed. */
  fatal: ReportIssueOutcome[]
  /** WARNING/INFO issues with no messageId. */
  feedWarnings: ReportIssueOutcome[]
}

export interface ParseReportContext {
  /** The messageId → sku map recorded when the feed was built. */
  messages: Iterable<{ messageId: number; sku: string }>
  /** When given, the report's header.feedId must equal it. */
  feedId?: string
}

export interface DecodeReportOptions {
  /** Upper bound on the gunzipped size, against corrupt or hostile documents. Default 256 MiB. */
  maxDecompressedBytes?: number
}

const DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

function fail(code: ReportParseErrorCode, path: string, message: string, cause?: unknown): never {
  throw new ReportParseError(code, path, message, cause)
}

const read = new PayloadReader<ReportParseErrorCode>(fail)

/**
 * Turns the downloaded result document into text. Gzip is recognised by its magic bytes (1f 8b), not by
 * `compressionAlgorithm`: when S3 also sent Content-Encoding: gzip the HTTP client has already inflated
 * it, and inflating twice is a known failure (FACTS §5). JSON text never starts with 0x1f.
 */
export function decodeReportDocument(raw: string | Uint8Array, options: DecodeReportOptions = {}): string {
  if (typeof raw === "string") {
    return raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  }
  let bytes = raw
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, {
        maxOutputLength: options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
      })
    } catch (e) {
      return fail("GZIP_INVALID", "", "the gzip stream could not be inflated", e)
    }
  }
  try {
    // fatal: a byte that is not UTF-8 must not become U+FFFD inside a SKU we then fail to match.
    // The decoder drops a leading BOM, which JSON.parse would otherwise refuse.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch (e) {
    return fail("INVALID_ENCODING", "", "the document is neither gzip nor UTF-8 text", e)
  }
}

let validateReport: ValidateFunction<ListingsFeedProcessingReport> | undefined

function reportValidator(): ValidateFunction<ListingsFeedProcessingReport> {
  // Compiled on first use, once per process. strict: false because Amazon's schema uses the
  // non-standard `example` keyword next to `examples`.
  validateReport ??= new Ajv({ strict: false, allErrors: false }).compile<ListingsFeedProcessingReport>(
    reportSchema
  )
  return validateReport
}

function toOutcome(issue: ProcessingReportIssue): ReportIssueOutcome {
  const out: ReportIssueOutcome = {
    severity: issue.severity,
    message: issue.message,
    retryable: issue.severity === "ERROR" && isRetryableIssueCode(issue.code),
  }
  if (issue.code !== undefined) {
    out.code = issue.code
  }
  if (issue.attributeName !== undefined) {
    out.attributeName = issue.attributeName
  }
  return out
}

function readMessageMap(messages: Iterable<{ messageId: number; sku: string }>): Map<number, string> {
  const map = new Map<number, string>()
  for (const { messageId, sku } of messages) {
    if (!Number.isSafeInteger(messageId) || messageId < 1) {
      fail("INVALID_MESSAGE_MAP", "", `messageId must be an integer >= 1, got ${String(messageId)}`)
    }
    if (typeof sku !== "string" || sku.length === 0) {
      fail("INVALID_MESSAGE_MAP", "", `message ${messageId} has no sku`)
    }
    if (map.has(messageId)) {
      fail("INVALID_MESSAGE_MAP", "", `messageId ${messageId} appears twice`)
    }
    map.set(messageId, sku)
  }
  return map
}

type ListingItem = ListingsItems["schemas"]["Item"]
type FulfillmentAvailability = ListingsItems["schemas"]["FulfillmentAvailability"]
type ListingsIssue = ListingsItems["schemas"]["Issue"]

const SEVERITIES: readonly ProcessingReportSeverity[] = ["ERROR", "WARNING", "INFO"]

function readListingIssue(value: unknown, path: string): ListingIssue {
  const o = read.record(value, path)
  const severity = read.requiredString<ListingsIssue>(o, "severity", path)
  if (!(SEVERITIES as readonly string[]).includes(severity)) {
    fail("INVALID_VALUE", join(path, "severity"), `unknown severity ${JSON.stringify(severity)}`)
  }
  const issue: ListingIssue = {
    code: read.requiredString<ListingsIssue>(o, "code", path),
    message: read.requiredString<ListingsIssue>(o, "message", path),
    severity: severity as ListingIssue["severity"],
  }
  const names = read.optionalArray<ListingsIssue>(o, "attributeNames", path)
  if (names !== undefined) {
    issue.attributeNames = names.map((n, i) => {
      if (typeof n !== "string") {
        return fail("INVALID_TYPE", join(join(path, "attributeNames"), i), "expected a string")
      }
      return n
    })
  }
  return issue
}

/**
 * Reads the parts of `items[]` we use. The report schema leaves items as free-form objects, so each field
 * is checked against the Listings Items API `Item` model before it is trusted.
 */
function readListingItems(items: Record<string, unknown>[] | undefined): Map<string, ListingReadBack> {
  const bySku = new Map<string, ListingReadBack>()
  ;(items ?? []).forEach((raw: JsonRecord, i) => {
    const path = join("items", i)
    const sku = read.requiredString<ListingItem>(raw, "sku", path)
    if (bySku.has(sku)) {
      fail("INVALID_VALUE", join(path, "sku"), `sku ${JSON.stringify(sku)} is listed twice`)
    }
    const readBack: ListingReadBack = { issues: [] }
    const availability = read.optionalArray<ListingItem>(raw, "fulfillmentAvailability", path)
    if (availability !== undefined) {
      readBack.quantity = null
      availability.forEach((entry, j) => {
        const p = join(join(path, "fulfillmentAvailability"), j)
        const fa = read.record(entry, p)
        const channel = read.requiredString<FulfillmentAvailability>(fa, "fulfillmentChannelCode", p)
        const quantity = read.optionalCount<FulfillmentAvailability>(fa, "quantity", p, "INVALID_VALUE")
        if (channel === MFN_FULFILLMENT_CHANNEL_CODE && quantity !== undefined) {
          readBack.quantity = quantity
        }
      })
    }
    const issues = read.optionalArray<ListingItem>(raw, "issues", path)
    if (issues !== undefined) {
      readBack.issues = issues.map((issue, j) => readListingIssue(issue, join(join(path, "issues"), j)))
    }
    bySku.set(sku, readBack)
  })
  return bySku
}

/** Same as {@link parseFeedProcessingReport}, for a report already parsed from JSON. */
export function parseFeedProcessingReportJson(json: unknown, context: ParseReportContext): ParsedProcessingReport {
  const validate = reportValidator()
  if (!validate(json)) {
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
      .join("; ")
    return fail("SCHEMA_MISMATCH", "", `not a listings feed processing report (v2): ${errors}`)
  }
  const report = json
  if (context.feedId !== undefined && report.header.feedId !== context.feedId) {
    fail(
      "FEED_ID_MISMATCH",
      "header.feedId",
      `report is for feed ${report.header.feedId}, expected ${context.feedId}`
    )
  }

  const skuById = readMessageMap(context.messages)
  const idBySku = new Map<string, number>()
  for (const [id, sku] of skuById) {
    idBySku.set(sku, id)
  }

  const issuesById = new Map<number, ReportIssueOutcome[]>()
  const fatal: ReportIssueOutcome[] = []
  const feedWarnings: ReportIssueOutcome[] = []
  report.issues.forEach((issue, i) => {
    if (issue.messageId === undefined) {
      ;(issue.severity === "ERROR" ? fatal : feedWarnings).push(toOutcome(issue))
      return
    }
    const expectedSku = skuById.get(issue.messageId)
    if (expectedSku === undefined) {
      fail("MESSAGE_MAP_MISMATCH", join(join("issues", i), "messageId"), `message ${issue.messageId} is not in the map`)
    }
    if (issue.sku !== undefined && issue.sku !== expectedSku) {
      fail(
        "MESSAGE_MAP_MISMATCH",
        join(join("issues", i), "sku"),
        `message ${issue.messageId} is ${JSON.stringify(issue.sku)} in the report but ${JSON.stringify(expectedSku)} in the map`
      )
    }
    let list = issuesById.get(issue.messageId)
    if (list === undefined) {
      list = []
      issuesById.set(issue.messageId, list)
    }
    list.push(toOutcome(issue))
  })

  const { summary } = report
  const sent = skuById.size
  if (summary.messagesProcessed > sent) {
    fail(
      "MESSAGE_MAP_MISMATCH",
      "summary.messagesProcessed",
      `report processed ${summary.messagesProcessed} messages but the map has ${sent}`
    )
  }

  const listings = readListingItems(report.items)
  for (const sku of listings.keys()) {
    if (!idBySku.has(sku)) {
      fail("MESSAGE_MAP_MISMATCH", "items", `report lists sku ${JSON.stringify(sku)} which is not in the map`)
    }
  }

  let withError = 0
  for (const list of issuesById.values()) {
    if (list.some((issue) => issue.severity === "ERROR")) {
      withError++
    }
  }
  const countsConsistent =
    summary.messagesProcessed === sent &&
    summary.messagesInvalid === withError &&
    summary.messagesAccepted === sent - withError
  const fatalRetryable = fatal.every((issue) => issue.retryable)

  const results: MessageOutcome[] = [...skuById.entries()]
    .sort(([a], [b]) => a - b)
    .map(([messageId, sku]) => {
      const issues = issuesById.get(messageId) ?? []
      const errors = issues.filter((issue) => issue.severity === "ERROR")
      let status: MessageStatus
      let retryable: boolean
      if (errors.length > 0) {
        status = "error"
        retryable = errors.every((issue) => issue.retryable)
      } else if (!countsConsistent) {
        status = "unconfirmed"
        retryable = fatalRetryable
      } else {
        status = issues.some((issue) => issue.severity === "WARNING") ? "warning" : "accepted"
        retryable = false
      }
      const outcome: MessageOutcome = { messageId, sku, status, retryable, issues }
      const listing = listings.get(sku)
      if (listing !== undefined) {
        outcome.listing = listing
      }
      return outcome
    })

  return {
    feedId: report.header.feedId,
    sellerId: report.header.sellerId,
    summary,
    countsConsistent,
    results,
    fatal,
    feedWarnings,
  }
}

/**
 * Parses a downloaded processing report: text, or bytes (gzip or plain UTF-8). Throws ReportParseError
 * for anything that is not a valid v2 report belonging to the given message map.
 */
export function parseFeedProcessingReport(
  raw: string | Uint8Array,
  context: ParseReportContext & DecodeReportOptions
): ParsedProcessingReport {
  const text = decodeReportDocument(raw, context)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return fail("MALFORMED_JSON", "", "the report is not valid JSON", e)
  }
  return parseFeedProcessingReportJson(json, context)
}
