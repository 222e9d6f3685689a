/**
 * Parser for the processing report of an XML feed (POST_ORDER_FULFILLMENT_DATA,
 * POST_ORDER_ACKNOWLEDGEMENT_DATA): AmazonEnvelope → Message → ProcessingReport with DocumentTransactionID,
 * StatusCode, ProcessingSummary counts and one Result per problem, keyed by the MessageID of the feed
 * (FACTS §10).
 *
 * Pure. The caller downloads the result document and gunzips it when getFeedDocument says
 * `compressionAlgorithm: "GZIP"`; gzip bytes handed in here are refused with GZIPPED rather than guessed at.
 *
 * Safe by construction: the input is capped in size, a DOCTYPE (the only place entities can be declared)
 * is refused, and fast-xml-parser runs with `processEntities: false`, so no entity is ever expanded by the
 * parser. The five predefined entities and numeric character references are decoded here, in text values
 * only; any other `&name;` is malformed XML.
 *
 * Per-message outcome (the report lists problems, not successes, so acceptance is inferred, as in
 * parsers/parse-feed-processing-report.ts for the JSON feed):
 * - a message with an Error result is "error";
 * - every other message we sent is "accepted" (or "warning" with Warning results) ONLY IF the report is
 *   Complete, has no document-level Error, and its counts agree: MessagesProcessed = N (messages sent),
 *   MessagesWithError = E (sent messages with an Error) and MessagesSuccessful = N − E (a message with
 *   only warnings counts as successful);
 * - otherwise "unconfirmed": the report does not say what became of it (e.g. a malformed document, where
 *   nothing was processed). Read the order back before resending.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { AmazonPayloadError, type PayloadErrorCode } from "../parsers/payload-reader"

/** Larger than any report of a sane feed (a Result is ~0.5 KB); refuses a runaway download before parsing. */
export const DEFAULT_MAX_XML_REPORT_BYTES = 16 * 1024 * 1024

export type XmlReportParseErrorCode =
  | PayloadErrorCode
  | "TOO_LARGE"
  /** Gzip bytes: gunzip first (getFeedDocument's compressionAlgorithm says when). */
  | "GZIPPED"
  /** Bytes that are not UTF-8. */
  | "INVALID_ENCODING"
  /** Not XML at all, e.g. the tab-separated report Amazon writes when it read the feed as a flat file. */
  | "NOT_XML"
  | "MALFORMED_XML"
  | "DOCTYPE_NOT_ALLOWED"
  /** Well-formed XML, but not an AmazonEnvelope with MessageType ProcessingReport. */
  | "NOT_A_PROCESSING_REPORT"
  /** A Result names a MessageID that is not one of the messages passed in. */
  | "MESSAGE_MAP_MISMATCH"
  /** The messages passed in are themselves broken (duplicate or non-positive messageId). */
  | "INVALID_MESSAGE_MAP"

export class XmlReportParseError extends AmazonPayloadError<XmlReportParseErrorCode> {
  readonly name = "XmlReportParseError"
}

export type XmlResultCode = "Error" | "Warning"

export interface XmlReportResult {
  /**
   * The feed message the result is about; null when Amazon ties it to none (MessageID 0, or the 2^63−1
   * seen for envelope-level errors), i.e. a problem with the whole document.
   */
  messageId: number | null
  resultCode: XmlResultCode
  /** Amazon's numeric code as text (e.g. "5001", "18028"); opaque, do not branch on descriptions. */
  resultMessageCode: string
  resultDescription: string
  amazonOrderId?: string
  amazonOrderItemCode?: string
  sku?: string
}

export interface XmlReportSummary {
  messagesProcessed: number
  messagesSuccessful: number
  messagesWithError: number
  messagesWithWarning: number
}

export type XmlMessageStatus = "accepted" | "warning" | "error" | "unconfirmed"

export interface XmlMessageOutcome<M> {
  messageId: number
  /** The caller's record for this MessageID (from the builder's `messages`). */
  message: M
  status: XmlMessageStatus
  errors: XmlReportResult[]
  warnings: XmlReportResult[]
}

export interface ParsedXmlProcessingReport<M> {
  merchantIdentifier: string
  documentTransactionId: string
  /** "Complete" once Amazon is done; anything else leaves every message unconfirmed. */
  statusCode: string
  summary: XmlReportSummary
  /** Every Result, in document order. */
  results: XmlReportResult[]
  /** The results not tied to a message (messageId null): problems with the whole document. */
  documentResults: XmlReportResult[]
  /** One per message passed in, in the order given; empty when none were passed. */
  outcomes: XmlMessageOutcome<M>[]
}

export interface ParseXmlReportOptions<M extends { messageId: number }> {
  /** What each MessageID of the feed was (the builder's `messages`); needed for `outcomes`. */
  messages?: readonly M[]
  /** Default {@link DEFAULT_MAX_XML_REPORT_BYTES}. */
  maxBytes?: number
}

function fail(code: XmlReportParseErrorCode, path: string, message: string, cause?: unknown): never {
  throw new XmlReportParseError(code, path, message, cause)
}

// ------------------------------------------------------------------ text and XML

function decodeInput(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === "string") {
    if (Buffer.byteLength(input, "utf8") > maxBytes) {
      fail("TOO_LARGE", "", `the report is larger than ${maxBytes} bytes`)
    }
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  }
  if (input.length > maxBytes) {
    fail("TOO_LARGE", "", `the report is larger than ${maxBytes} bytes`)
  }
  if (input.length >= 2 && input[0] === 0x1f && input[1] === 0x8b) {
    fail("GZIPPED", "", "the report is gzip-compressed; gunzip it before parsing")
  }
  try {
    // fatal: a byte that is not UTF-8 must not become U+FFFD inside an order id. The decoder drops a BOM.
    return new TextDecoder("utf-8", { fatal: true }).decode(input)
  } catch (e) {
    return fail("INVALID_ENCODING", "", "the report is not UTF-8 text", e)
  }
}

const ARRAY_PATHS: ReadonlySet<string> = new Set([
  "AmazonEnvelope.Message",
  "AmazonEnvelope.Message.ProcessingReport.Result",
])

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // No entity is expanded by the parser, not even the predefined ones: decodeText below does those.
  processEntities: false,
  htmlEntities: false,
  // Values stay strings: MessageIDs such as 9223372036854775807 must not turn into lossy numbers.
  parseTagValue: false,
  trimValues: true,
  // Kept apart so that CDATA content is not entity-decoded.
  cdataPropName: "#cdata",
  isArray: (_name: string, jpath: string) => ARRAY_PATHS.has(jpath),
})

const XML_REFERENCE = /&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g
const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  )
}

function decodeText(raw: string, path: string): string {
  if (raw.indexOf("&") === -1) {
    return raw
  }
  if (raw.replace(XML_REFERENCE, "").indexOf("&") !== -1) {
    fail("MALFORMED_XML", path, "undeclared entity or stray '&' in text")
  }
  return raw.replace(XML_REFERENCE, (_m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) {
      return PREDEFINED[name]
    }
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex as string, 16)
    if (!isXmlChar(code)) {
      fail("MALFORMED_XML", path, `character reference to U+${code.toString(16).toUpperCase()} is not allowed in XML`)
    }
    return String.fromCodePoint(code)
  })
}

function parseXml(text: string): Record<string, unknown> {
  const start = text.search(/\S/)
  if (start === -1 || text[start] !== "<") {
    fail("NOT_XML", "", "the report is not XML (a tab-separated report means Amazon read the feed as a flat file: check the document's content type)")
  }
  // Entities can only be declared in a DOCTYPE; Amazon's reports have none, so any DOCTYPE is refused
  // before the parser sees it.
  if (/<!DOCTYPE/i.test(text)) {
    fail("DOCTYPE_NOT_ALLOWED", "", "the report declares a DOCTYPE, which is never expanded here")
  }
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    fail("MALFORMED_XML", "", `line ${valid.err.line}, column ${valid.err.col ?? "?"}: ${valid.err.msg}`)
  }
  try {
    return xmlParser.parse(text) as Record<string, unknown>
  } catch (e) {
    return fail("MALFORMED_XML", "", "the report could not be parsed", e)
  }
}

// ------------------------------------------------------------------ checked reads over the parsed tree

type XmlElement = Record<string, unknown>

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

/** The single child `name`; undefined when absent, an error when repeated. */
function single(parent: XmlElement, name: string, path: string): unknown {
  const value = parent[name]
  if (Array.isArray(value)) {
    fail("INVALID_VALUE", join(path, name), `expected one <${name}>, found ${value.length}`)
  }
  return value
}

function requiredElement(parent: XmlElement, name: string, path: string): XmlElement {
  const value = single(parent, name, path)
  if (value === undefined) {
    fail("MISSING_FIELD", join(path, name), `<${name}> is missing`)
  }
  if (!isElement(value) || "#cdata" in value || "#text" in value) {
    fail("INVALID_TYPE", join(path, name), `<${name}> must contain elements`)
  }
  return value
}

function optionalText(parent: XmlElement, name: string, path: string): string | undefined {
  const value = single(parent, name, path)
  const at = join(path, name)
  if (value === undefined) {
    return undefined
  }
  if (typeof value === "string") {
    return decodeText(value, at)
  }
  // Only a CDATA section (fast-xml-parser keeps it under "#cdata"); CDATA is not entity-decoded.
  if (isElement(value) && Object.keys(value).length === 1 && typeof value["#cdata"] === "string") {
    return value["#cdata"]
  }
  return fail("INVALID_TYPE", at, `<${name}> must contain text only`)
}

function requiredText(parent: XmlElement, name: string, path: string): string {
  const value = optionalText(parent, name, path)
  if (value === undefined || value === "") {
    fail("MISSING_FIELD", join(path, name), `<${name}> is missing or empty`)
  }
  return value
}

function count(parent: XmlElement, name: string, path: string): number {
  const value = requiredText(parent, name, path)
  const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(n)) {
    fail("INVALID_VALUE", join(path, name), `expected an integer >= 0, got ${JSON.stringify(value)}`)
  }
  return n
}

// ------------------------------------------------------------------ the report

function readResult(raw: unknown, path: string): XmlReportResult {
  if (!isElement(raw)) {
    return fail("INVALID_TYPE", path, "<Result> must contain elements")
  }
  const rawId = requiredText(raw, "MessageID", path)
  if (!/^[0-9]+$/.test(rawId)) {
    fail("INVALID_VALUE", join(path, "MessageID"), `expected an integer, got ${JSON.stringify(rawId)}`)
  }
  const id = Number(rawId)
  const resultCode = requiredText(raw, "ResultCode", path)
  if (resultCode !== "Error" && resultCode !== "Warning") {
    fail("INVALID_VALUE", join(path, "ResultCode"), `expected Error or Warning, got ${JSON.stringify(resultCode)}`)
  }
  const result: XmlReportResult = {
    messageId: id >= 1 && Number.isSafeInteger(id) ? id : null,
    resultCode,
    resultMessageCode: requiredText(raw, "ResultMessageCode", path),
    resultDescription: requiredText(raw, "ResultDescription", path),
  }
  const info = single(raw, "AdditionalInfo", path)
  if (info !== undefined && info !== "") {
    const infoPath = join(path, "AdditionalInfo")
    if (!isElement(info)) {
      fail("INVALID_TYPE", infoPath, "<AdditionalInfo> must contain elements")
    }
    const amazonOrderId = optionalText(info, "AmazonOrderID", infoPath)
    const amazonOrderItemCode = optionalText(info, "AmazonOrderItemCode", infoPath)
    const sku = optionalText(info, "SKU", infoPath)
    if (amazonOrderId) result.amazonOrderId = amazonOrderId
    if (amazonOrderItemCode) result.amazonOrderItemCode = amazonOrderItemCode
    if (sku) result.sku = sku
  }
  return result
}

function messageMap<M extends { messageId: number }>(messages: readonly M[]): Map<number, M> {
  const map = new Map<number, M>()
  messages.forEach((message, i) => {
    const id = message?.messageId
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) {
      fail("INVALID_MESSAGE_MAP", `messages[${i}].messageId`, `expected a positive integer, got ${String(id)}`)
    }
    if (map.has(id)) {
      fail("INVALID_MESSAGE_MAP", `messages[${i}].messageId`, `messageId ${id} is given twice`)
    }
    map.set(id, message)
  })
  return map
}

/**
 * Parses an XML processing report. Throws {@link XmlReportParseError} (code + path) for anything that is
 * not one: too large, gzip, not UTF-8, not XML, malformed, a DOCTYPE, another document, missing fields.
 */
export function parseXmlProcessingReport<M extends { messageId: number } = { messageId: number }>(
  input: string | Uint8Array,
  options: ParseXmlReportOptions<M> = {}
): ParsedXmlProcessingReport<M> {
  const sent = options.messages === undefined ? undefined : messageMap(options.messages)
  const tree = parseXml(decodeInput(input, options.maxBytes ?? DEFAULT_MAX_XML_REPORT_BYTES))

  const envelope = tree.AmazonEnvelope
  if (!isElement(envelope)) {
    return fail("NOT_A_PROCESSING_REPORT", "AmazonEnvelope", "the document is not an AmazonEnvelope")
  }
  const messageType = optionalText(envelope, "MessageType", "AmazonEnvelope")
  if (messageType !== "ProcessingReport") {
    fail("NOT_A_PROCESSING_REPORT", "AmazonEnvelope.MessageType", `expected ProcessingReport, got ${JSON.stringify(messageType)}`)
  }
  const header = requiredElement(envelope, "Header", "AmazonEnvelope")
  const merchantIdentifier = requiredText(header, "MerchantIdentifier", "AmazonEnvelope.Header")
  const envelopeMessages = envelope.Message
  if (!Array.isArray(envelopeMessages) || envelopeMessages.length !== 1) {
    fail("INVALID_VALUE", "AmazonEnvelope.Message", "a processing report holds exactly one <Message>")
  }
  const message = envelopeMessages[0]
  if (!isElement(message)) {
    return fail("INVALID_TYPE", "AmazonEnvelope.Message", "<Message> must contain elements")
  }
  const reportPath = "AmazonEnvelope.Message.ProcessingReport"
  const report = requiredElement(message, "ProcessingReport", "AmazonEnvelope.Message")
  const summaryNode = requiredElement(report, "ProcessingSummary", reportPath)
  const summaryPath = join(reportPath, "ProcessingSummary")
  const summary: XmlReportSummary = {
    messagesProcessed: count(summaryNode, "MessagesProcessed", summaryPath),
    messagesSuccessful: count(summaryNode, "MessagesSuccessful", summaryPath),
    messagesWithError: count(summaryNode, "MessagesWithError", summaryPath),
    messagesWithWarning: count(summaryNode, "MessagesWithWarning", summaryPath),
  }
  const rawResults = report.Result === undefined ? [] : (report.Result as unknown[])
  const results = rawResults.map((raw, i) => readResult(raw, `${reportPath}.Result[${i}]`))
  const parsed: ParsedXmlProcessingReport<M> = {
    merchantIdentifier,
    documentTransactionId: requiredText(report, "DocumentTransactionID", reportPath),
    statusCode: requiredText(report, "StatusCode", reportPath),
    summary,
    results,
    documentResults: results.filter((r) => r.messageId === null),
    outcomes: [],
  }
  if (sent === undefined) {
    return parsed
  }

  const byMessage = new Map<number, XmlReportResult[]>()
  results.forEach((result, i) => {
    if (result.messageId === null) {
      return
    }
    if (!sent.has(result.messageId)) {
      fail(
        "MESSAGE_MAP_MISMATCH",
        `${reportPath}.Result[${i}].MessageID`,
        `MessageID ${result.messageId} is not one of the ${sent.size} messages of the feed`
      )
    }
    byMessage.set(result.messageId, [...(byMessage.get(result.messageId) ?? []), result])
  })
  const withError = [...byMessage.values()].filter((rs) => rs.some((r) => r.resultCode === "Error")).length
  const confirmed =
    parsed.statusCode === "Complete" &&
    !parsed.documentResults.some((r) => r.resultCode === "Error") &&
    summary.messagesProcessed === sent.size &&
    summary.messagesWithError === withError &&
    summary.messagesSuccessful === sent.size - withError

  parsed.outcomes = [...sent.entries()].map(([messageId, ref]) => {
    const own = byMessage.get(messageId) ?? []
    const errors = own.filter((r) => r.resultCode === "Error")
    const warnings = own.filter((r) => r.resultCode === "Warning")
    let status: XmlMessageStatus = "unconfirmed"
    if (errors.length > 0) {
      status = "error"
    } else if (confirmed) {
      status = warnings.length > 0 ? "warning" : "accepted"
    }
    return { messageId, message: ref, status, errors, warnings }
  })
  return parsed
}
