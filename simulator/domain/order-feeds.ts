/**
 * Processing of Amazon's XML order feeds: POST_ORDER_FULFILLMENT_DATA (confirm shipments in bulk) and
 * POST_ORDER_ACKNOWLEDGEMENT_DATA (StatusCode Failure cancels), with an XML processing report in Amazon's
 * shape: AmazonEnvelope → Message → ProcessingReport{DocumentTransactionID, StatusCode, ProcessingSummary,
 * Result per problem}.
 *
 * - A document whose content type is not XML is read as a flat file, as Amazon does: the report is the
 *   tab-separated flat-file report, which finds no `order-id` column (code 90012; seen in
 *   amzn/selling-partner-api-models#1091 for an XML document uploaded that way). FATAL.
 * - Not well-formed XML (also: nothing uploaded, gzip, not UTF-8, a DOCTYPE) or a document that breaks the
 *   order feed's schema (envelope, MessageType of another feed type, a missing or repeated element, a bad
 *   enumeration or number): FATAL, nothing applied, one Result with MessageID 0 and code 5001.
 * - Otherwise DONE; messages are applied in document order, each on its own, and every refused message gets
 *   an Error Result with its MessageID.
 *
 * Shipments reuse the v0 confirmShipment rules and records (checkShippableUnits, recordShipment,
 * state.shipments), so a package confirmed by feed looks exactly like one confirmed by the API.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { create } from "xmlbuilder2"
import type { SimState } from "../state"
import type { Order, OrderItem, ShipmentRecord, SimOrder } from "../types"
import { ISSUE_CODES } from "./issue-codes"
import { cancelItems, checkShippableUnits, isItemCancelled, recordShipment, statusOf, unshippedUnits } from "./orders"

export const POST_ORDER_FULFILLMENT_DATA = "POST_ORDER_FULFILLMENT_DATA"
export const POST_ORDER_ACKNOWLEDGEMENT_DATA = "POST_ORDER_ACKNOWLEDGEMENT_DATA"

type MessageType = "OrderFulfillment" | "OrderAcknowledgement"

const MESSAGE_TYPES: Readonly<Record<string, MessageType>> = {
  [POST_ORDER_FULFILLMENT_DATA]: "OrderFulfillment",
  [POST_ORDER_ACKNOWLEDGEMENT_DATA]: "OrderAcknowledgement",
}

export function isOrderFeedType(feedType: string): boolean {
  return Object.prototype.hasOwnProperty.call(MESSAGE_TYPES, feedType)
}

/** ResultMessageCode values of the order-feed reports. Treat them as opaque. */
export const ORDER_FEED_RESULT_CODES = {
  /** The document is not well-formed XML or breaks the feed's schema; the whole feed fails.
   *  Seen: amzn/selling-partner-api-models#2282 and #1472 ("XML Parsing Fatal Error at Line …"). */
  XML_PARSING_ERROR: "5001",
  /** An item that is not in the order, or more units than are left to ship.
   *  Seen for order feeds: "The data you submitted with this item is incomplete or invalid." */
  INVALID_ITEM_DATA: "18028",
  /** Simulator's choice: AmazonOrderID unknown or another seller's (Seller Central: "Invalid OrderID or AmazonOrderID"). */
  ORDER_NOT_FOUND: "4003001",
  /** Simulator's choice: the order's state does not allow the message (Amazon-fulfilled, pending, cancelled, shipped). */
  ORDER_STATE: "4003002",
  /** Simulator's choice: a Failure acknowledgement for an order with units already shipped (it would refund everything). */
  CANCEL_AFTER_SHIPMENT: "4003003",
  /** Simulator's choice: a MessageID already used earlier in the document. */
  DUPLICATE_MESSAGE_ID: "4003004",
  /** Simulator's choice (Warning): CancelReason on a Success acknowledgement is ignored. */
  CANCEL_REASON_IGNORED: "4003005",
  /** The flat-file reading of a non-XML upload finds no order-id column. Seen: amzn/selling-partner-api-models#1091. */
  FLAT_FILE_NO_ORDER_ID: "90012",
  /** Simulator's choice: the "feed-fatal" fault was injected (same code as for listings feeds). */
  INJECTED_FATAL: ISSUE_CODES.INJECTED_FATAL,
} as const

/** OrderAcknowledgement.xsd CancelReason enumeration. */
export const CANCEL_REASONS: readonly string[] = [
  "NoInventory",
  "ShippingAddressUndeliverable",
  "CustomerExchange",
  "BuyerCanceled",
  "GeneralAdjustment",
  "CarrierCreditDecision",
  "RiskAssessmentInformationNotValid",
  "CarrierCoverageFailure",
  "CustomerReturn",
  "MerchandiseNotReceived",
]

export interface OrderFeedInput {
  state: SimState
  sellerId: string
  feedId: string
  feedType: string
  /** The contentType given to createFeedDocument (the upload had to match it). */
  contentType: string | undefined
  content: Buffer | undefined
  forcedFatal: boolean
  now: number
}

export interface OrderFeedResult {
  status: "DONE" | "FATAL"
  /** The processing report as stored for getFeedDocument. */
  document: string
  contentType: string
}

interface ReportResult {
  messageId: number
  resultCode: "Error" | "Warning"
  resultMessageCode: string
  resultDescription: string
  amazonOrderId?: string
  amazonOrderItemCode?: string
}

const XML_REPORT_CONTENT_TYPE = "text/xml; charset=UTF-8"

// ------------------------------------------------------------------ entry point

export function processOrderFeed(input: OrderFeedInput): OrderFeedResult {
  const messageType = MESSAGE_TYPES[input.feedType]
  if (!messageType) throw new Error(`${input.feedType} is not an order feed type`)
  const fatal = (code: string, description: string): OrderFeedResult => ({
    status: "FATAL",
    contentType: XML_REPORT_CONTENT_TYPE,
    document: reportXml(input, { processed: 0, withError: 1, withWarning: 0 }, [
      { messageId: 0, resultCode: "Error", resultMessageCode: code, resultDescription: description },
    ]),
  })

  if (input.forcedFatal) return fatal(ORDER_FEED_RESULT_CODES.INJECTED_FATAL, "Feed processing failed (fault injected by the simulator).")
  if (!isXmlContentType(input.contentType)) return flatFileReport()

  let messages: ParsedMessage[]
  try {
    messages = readDocument(input.content, messageType)
  } catch (error) {
    if (error instanceof XmlDocumentError) return fatal(ORDER_FEED_RESULT_CODES.XML_PARSING_ERROR, error.message)
    throw error
  }

  const results: ReportResult[] = []
  const seen = new Set<number>()
  const failed = new Set<number>()
  const warned = new Set<number>()
  for (const message of messages) {
    const found =
      seen.has(message.messageId)
        ? [refusal(message.messageId, ORDER_FEED_RESULT_CODES.DUPLICATE_MESSAGE_ID, `MessageID ${message.messageId} is used more than once in this document.`)]
        : message.kind === "OrderFulfillment"
          ? applyFulfillment(input, message)
          : applyAcknowledgement(input, message)
    seen.add(message.messageId)
    for (const result of found) {
      results.push(result)
      if (result.resultCode === "Error") failed.add(message.messageId)
      else warned.add(message.messageId)
    }
  }
  return {
    status: "DONE",
    contentType: XML_REPORT_CONTENT_TYPE,
    document: reportXml(input, { processed: messages.length, withError: failed.size, withWarning: warned.size }, results),
  }
}

function isXmlContentType(contentType: string | undefined): boolean {
  const media = (contentType ?? "").split(";")[0].trim().toLowerCase()
  return media === "text/xml" || media === "application/xml"
}

/** What Amazon sends back when it read the upload as a tab-separated flat file (no order-id column). */
function flatFileReport(): OrderFeedResult {
  const lines = [
    "Feed Processing Summary:",
    "\tNumber of records processed\t\t0",
    "\tNumber of records successful\t\t0",
    "",
    ["original-record-number", "order-id", "order-item-id", "error-code", "error-type", "error-message"].join("\t"),
    [
      "0",
      "",
      "",
      ORDER_FEED_RESULT_CODES.FLAT_FILE_NO_ORDER_ID,
      "Fatal",
      "The required order-id field is missing from the file. To correct this error, download the template again and use the new copy, or insert the required field into your existing file.",
    ].join("\t"),
    "",
  ]
  return { status: "FATAL", contentType: "text/plain; charset=UTF-8", document: lines.join("\n") }
}

// ------------------------------------------------------------------ the report

function reportXml(input: OrderFeedInput, counts: { processed: number; withError: number; withWarning: number }, results: ReportResult[]): string {
  const envelope = create({ version: "1.0", encoding: "UTF-8" }).ele("AmazonEnvelope", {
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsi:noNamespaceSchemaLocation": "amzn-envelope.xsd",
  })
  const header = envelope.ele("Header")
  header.ele("DocumentVersion").txt("1.02")
  header.ele("MerchantIdentifier").txt(input.sellerId)
  envelope.ele("MessageType").txt("ProcessingReport")
  const message = envelope.ele("Message")
  message.ele("MessageID").txt("1")
  const report = message.ele("ProcessingReport")
  report.ele("DocumentTransactionID").txt(input.feedId)
  report.ele("StatusCode").txt("Complete")
  const summary = report.ele("ProcessingSummary")
  summary.ele("MessagesProcessed").txt(String(counts.processed))
  // Messages with only warnings count as successful.
  summary.ele("MessagesSuccessful").txt(String(Math.max(0, counts.processed - counts.withError)))
  summary.ele("MessagesWithError").txt(String(counts.withError))
  summary.ele("MessagesWithWarning").txt(String(counts.withWarning))
  for (const r of results) {
    const result = report.ele("Result")
    result.ele("MessageID").txt(String(r.messageId))
    result.ele("ResultCode").txt(r.resultCode)
    result.ele("ResultMessageCode").txt(r.resultMessageCode)
    result.ele("ResultDescription").txt(r.resultDescription)
    if (r.amazonOrderId !== undefined || r.amazonOrderItemCode !== undefined) {
      const info = result.ele("AdditionalInfo")
      if (r.amazonOrderId !== undefined) info.ele("AmazonOrderID").txt(r.amazonOrderId)
      if (r.amazonOrderItemCode !== undefined) info.ele("AmazonOrderItemCode").txt(r.amazonOrderItemCode)
    }
  }
  return envelope.end({ prettyPrint: true })
}

function refusal(messageId: number, code: string, description: string, info: { amazonOrderId?: string; amazonOrderItemCode?: string } = {}): ReportResult {
  return { messageId, resultCode: "Error", resultMessageCode: code, resultDescription: description, ...info }
}

// ------------------------------------------------------------------ reading the document

/** The whole document is refused: not well-formed, or not what the feed type's schema allows. */
class XmlDocumentError extends Error {}

interface FulfillmentItem {
  amazonOrderItemCode?: string
  quantity?: number
}

interface FulfillmentMessage {
  kind: "OrderFulfillment"
  messageId: number
  amazonOrderId?: string
  merchantFulfillmentId?: string
  fulfillmentDate: string
  carrierCode?: string
  carrierName?: string
  shippingMethod?: string
  trackingNumber?: string
  items: FulfillmentItem[]
}

interface AcknowledgementMessage {
  kind: "OrderAcknowledgement"
  messageId: number
  amazonOrderId: string
  statusCode: "Success" | "Failure"
  items: { amazonOrderItemCode: string; cancelReason?: string }[]
}

type ParsedMessage = FulfillmentMessage | AcknowledgementMessage

type XmlNode = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Nothing is expanded by the parser (DOCTYPEs are refused before); the predefined entities and
  // character references are decoded by text() below.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: true,
  cdataPropName: "#cdata",
  isArray: (_name: string, jpath: string) =>
    jpath === "AmazonEnvelope.Message" || jpath === "AmazonEnvelope.Message.OrderFulfillment.Item" || jpath === "AmazonEnvelope.Message.OrderAcknowledgement.Item",
})

const ENVELOPE_CHILDREN = new Set(["Header", "MessageType", "MarketplaceName", "EffectiveDate", "PurgeAndReplace", "Message"])
const FULFILLMENT_CHILDREN = new Set([
  "AmazonOrderID",
  "MerchantOrderID",
  "MerchantFulfillmentID",
  "FulfillmentDate",
  "FulfillmentData",
  "CODCollectionMethod",
  "Item",
  "ShipFromAddress",
])
const FULFILLMENT_DATA_CHILDREN = new Set(["CarrierCode", "CarrierName", "ShippingMethod", "ShipperTrackingNumber"])
const FULFILLMENT_ITEM_CHILDREN = new Set(["AmazonOrderItemCode", "MerchantOrderItemID", "MerchantFulfillmentItemID", "Quantity", "TransparencyCode"])
const ACK_CHILDREN = new Set(["AmazonOrderID", "MerchantOrderID", "StatusCode", "Item"])
const ACK_ITEM_CHILDREN = new Set(["AmazonOrderItemCode", "MerchantOrderItemID", "CancelReason"])

// xsd:dateTime (a zone is optional in the schema).
const XSD_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/
const POSITIVE_INTEGER = /^0*[1-9][0-9]*$/

function schemaError(where: string, detail: string): never {
  throw new XmlDocumentError(`XML Parsing Error: ${where}: ${detail}`)
}

function readDocument(content: Buffer | undefined, messageType: MessageType): ParsedMessage[] {
  if (!content || content.length === 0) throw new XmlDocumentError("XML Parsing Fatal Error at Line 1, Column 1: Premature end of file.")
  let text: string
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(content)
  } catch {
    throw new XmlDocumentError("XML Parsing Fatal Error at Line 1, Column 1: Invalid byte 1 of 1-byte UTF-8 sequence.")
  }
  if (/<!DOCTYPE/i.test(text)) {
    throw new XmlDocumentError(
      'XML Parsing Fatal Error at Line 1, Column 1: DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.',
    )
  }
  const start = text.search(/\S/)
  if (start === -1 || text[start] !== "<") throw new XmlDocumentError("XML Parsing Fatal Error at Line 1, Column 1: Content is not allowed in prolog.")
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw new XmlDocumentError(`XML Parsing Fatal Error at Line ${valid.err.line}, Column ${valid.err.col ?? 1}: ${valid.err.msg}`)
  const tree = parser.parse(text) as XmlNode

  const rootNames = Object.keys(tree)
  if (rootNames.length !== 1 || rootNames[0] !== "AmazonEnvelope") schemaError("document", `the root element must be AmazonEnvelope, found ${rootNames.join(", ") || "none"}`)
  const envelope = element(tree, "AmazonEnvelope", "document", true) as XmlNode
  onlyChildren(envelope, ENVELOPE_CHILDREN, "AmazonEnvelope")
  const header = element(envelope, "Header", "AmazonEnvelope", true) as XmlNode
  onlyChildren(header, new Set(["DocumentVersion", "MerchantIdentifier"]), "Header")
  // Both are required; Amazon does not match MerchantIdentifier against the seller (integrators send store names).
  textOf(header, "DocumentVersion", "Header", true)
  textOf(header, "MerchantIdentifier", "Header", true)
  const declared = textOf(envelope, "MessageType", "AmazonEnvelope", true)
  if (declared !== messageType) schemaError("AmazonEnvelope", `MessageType '${declared}' does not match the feed type, which takes '${messageType}'`)
  const rawMessages = envelope.Message
  if (!Array.isArray(rawMessages) || rawMessages.length === 0) schemaError("AmazonEnvelope", "at least one Message is required")

  return rawMessages.map((raw, index) => {
    const where = `Message ${index + 1}`
    if (!isNode(raw)) schemaError(where, "a Message must contain elements")
    onlyChildren(raw, new Set(["MessageID", "OperationType", messageType]), where)
    const messageId = positiveInteger(textOf(raw, "MessageID", where, true) as string, `${where}/MessageID`)
    const operation = textOf(raw, "OperationType", where, false)
    if (operation !== undefined && !["Update", "Delete", "PartialUpdate"].includes(operation)) schemaError(where, `OperationType '${operation}' is not one of Update, Delete, PartialUpdate`)
    const body = element(raw, messageType, where, true) as XmlNode
    return messageType === "OrderFulfillment" ? readFulfillment(body, messageId, where) : readAcknowledgement(body, messageId, where)
  })
}

function readFulfillment(body: XmlNode, messageId: number, where: string): FulfillmentMessage {
  const at = `${where}/OrderFulfillment`
  onlyChildren(body, FULFILLMENT_CHILDREN, at)
  const amazonOrderId = textOf(body, "AmazonOrderID", at, false)
  const merchantOrderId = textOf(body, "MerchantOrderID", at, false)
  if ((amazonOrderId === undefined) === (merchantOrderId === undefined)) schemaError(at, "exactly one of AmazonOrderID and MerchantOrderID is required")
  const merchantFulfillmentId = textOf(body, "MerchantFulfillmentID", at, false)
  if (merchantFulfillmentId !== undefined) positiveInteger(merchantFulfillmentId, `${at}/MerchantFulfillmentID`)
  const fulfillmentDate = textOf(body, "FulfillmentDate", at, true) as string
  if (!XSD_DATE_TIME.test(fulfillmentDate) || Number.isNaN(Date.parse(fulfillmentDate))) schemaError(at, `FulfillmentDate '${fulfillmentDate}' is not a valid xsd:dateTime`)
  const message: FulfillmentMessage = {
    kind: "OrderFulfillment",
    messageId,
    ...(amazonOrderId !== undefined ? { amazonOrderId } : {}),
    ...(merchantFulfillmentId !== undefined ? { merchantFulfillmentId: String(BigInt(merchantFulfillmentId)) } : {}),
    fulfillmentDate,
    items: [],
  }
  const data = element(body, "FulfillmentData", at, false)
  if (data !== undefined) {
    const dataAt = `${at}/FulfillmentData`
    onlyChildren(data, FULFILLMENT_DATA_CHILDREN, dataAt)
    message.carrierCode = textOf(data, "CarrierCode", dataAt, false)
    message.carrierName = textOf(data, "CarrierName", dataAt, false)
    if ((message.carrierCode === undefined) === (message.carrierName === undefined)) schemaError(dataAt, "exactly one of CarrierCode and CarrierName is required")
    message.shippingMethod = textOf(data, "ShippingMethod", dataAt, false)
    message.trackingNumber = textOf(data, "ShipperTrackingNumber", dataAt, false)
  }
  const items = body.Item === undefined ? [] : (body.Item as unknown[])
  message.items = items.map((raw, i) => {
    const itemAt = `${at}/Item[${i + 1}]`
    if (!isNode(raw)) schemaError(itemAt, "an Item must contain elements")
    onlyChildren(raw, FULFILLMENT_ITEM_CHILDREN, itemAt)
    const code = textOf(raw, "AmazonOrderItemCode", itemAt, false)
    const merchantItem = textOf(raw, "MerchantOrderItemID", itemAt, false)
    if ((code === undefined) === (merchantItem === undefined)) schemaError(itemAt, "exactly one of AmazonOrderItemCode and MerchantOrderItemID is required")
    const quantity = textOf(raw, "Quantity", itemAt, false)
    return {
      ...(code !== undefined ? { amazonOrderItemCode: code } : {}),
      ...(quantity !== undefined ? { quantity: positiveInteger(quantity, `${itemAt}/Quantity`) } : {}),
    }
  })
  return message
}

function readAcknowledgement(body: XmlNode, messageId: number, where: string): AcknowledgementMessage {
  const at = `${where}/OrderAcknowledgement`
  onlyChildren(body, ACK_CHILDREN, at)
  const amazonOrderId = textOf(body, "AmazonOrderID", at, true) as string
  textOf(body, "MerchantOrderID", at, false)
  const statusCode = textOf(body, "StatusCode", at, true)
  if (statusCode !== "Success" && statusCode !== "Failure") schemaError(at, `StatusCode '${statusCode}' is not one of Success, Failure`)
  const items = body.Item === undefined ? [] : (body.Item as unknown[])
  return {
    kind: "OrderAcknowledgement",
    messageId,
    amazonOrderId,
    statusCode,
    items: items.map((raw, i) => {
      const itemAt = `${at}/Item[${i + 1}]`
      if (!isNode(raw)) schemaError(itemAt, "an Item must contain elements")
      onlyChildren(raw, ACK_ITEM_CHILDREN, itemAt)
      const code = textOf(raw, "AmazonOrderItemCode", itemAt, true) as string
      textOf(raw, "MerchantOrderItemID", itemAt, false)
      const cancelReason = textOf(raw, "CancelReason", itemAt, false)
      if (cancelReason !== undefined && !CANCEL_REASONS.includes(cancelReason)) schemaError(itemAt, `CancelReason '${cancelReason}' is not one of ${CANCEL_REASONS.join(", ")}`)
      return { amazonOrderItemCode: code, ...(cancelReason !== undefined ? { cancelReason } : {}) }
    }),
  }
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !("#cdata" in value)
}

function onlyChildren(node: XmlNode, allowed: ReadonlySet<string>, where: string): void {
  for (const name of Object.keys(node)) {
    if (!allowed.has(name)) schemaError(where, `invalid content was found starting with element '${name}'`)
  }
}

function element(parent: XmlNode, name: string, where: string, required: boolean): XmlNode | undefined {
  const value = parent[name]
  if (value === undefined) {
    if (required) schemaError(where, `the element '${name}' is required`)
    return undefined
  }
  if (Array.isArray(value)) schemaError(where, `the element '${name}' may appear only once`)
  if (!isNode(value)) schemaError(where, `the element '${name}' must contain elements`)
  return value
}

const REFERENCE = /&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g
const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }

/** A text-only child; blank counts as missing (no id, date or code of these schemas may be empty). */
function textOf(parent: XmlNode, name: string, where: string, required: boolean): string | undefined {
  const value = parent[name]
  let text: string | undefined
  if (Array.isArray(value)) schemaError(where, `the element '${name}' may appear only once`)
  if (typeof value === "string") {
    if (value.replace(REFERENCE, "").includes("&")) schemaError(where, `the element '${name}' holds an undeclared entity`)
    text = value.replace(REFERENCE, (_m, dec: string | undefined, hex: string | undefined, named: string | undefined) =>
      named !== undefined ? PREDEFINED[named] : String.fromCodePoint(dec !== undefined ? Number(dec) : Number.parseInt(hex as string, 16)),
    )
  } else if (typeof value === "object" && value !== null && typeof (value as XmlNode)["#cdata"] === "string" && Object.keys(value).length === 1) {
    text = (value as XmlNode)["#cdata"] as string
  } else if (value !== undefined) {
    schemaError(where, `the element '${name}' must contain text only`)
  }
  if (text === undefined || text.trim() === "") {
    if (required) schemaError(where, `the element '${name}' is required and must not be empty`)
    return undefined
  }
  return text
}

function positiveInteger(value: string, where: string): number {
  if (!POSITIVE_INTEGER.test(value)) schemaError(where, `'${value}' is not a valid value for 'positiveInteger'`)
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER
}

// ------------------------------------------------------------------ applying messages

function ownOrder(input: OrderFeedInput, amazonOrderId: string): SimOrder | undefined {
  const sim = input.state.orders.get(amazonOrderId)
  return sim && sim.sellerId === input.sellerId ? sim : undefined
}

function findItem(order: Order, orderItemId: string): OrderItem | undefined {
  return order.orderItems.find((i) => i.orderItemId === orderItemId)
}

function applyFulfillment(input: OrderFeedInput, m: FulfillmentMessage): ReportResult[] {
  const { ORDER_NOT_FOUND, ORDER_STATE, INVALID_ITEM_DATA } = ORDER_FEED_RESULT_CODES
  if (m.amazonOrderId === undefined) {
    return [refusal(m.messageId, ORDER_NOT_FOUND, "The simulator identifies orders by AmazonOrderID only; MerchantOrderID is not supported.")]
  }
  const orderInfo = { amazonOrderId: m.amazonOrderId }
  const sim = ownOrder(input, m.amazonOrderId)
  if (!sim) return [refusal(m.messageId, ORDER_NOT_FOUND, `The order ID ${m.amazonOrderId} was not found for this seller.`, orderInfo)]
  const order = sim.order
  if (order.fulfillment?.fulfilledBy === "AMAZON") {
    return [refusal(m.messageId, ORDER_STATE, `Order ${m.amazonOrderId} is fulfilled by Amazon; only merchant-fulfilled orders can be confirmed.`, orderInfo)]
  }
  // A MerchantFulfillmentID already recorded for this order means the package is known: nothing to do.
  if (m.merchantFulfillmentId !== undefined && (order.packages ?? []).some((p) => p.packageReferenceId === m.merchantFulfillmentId)) return []
  const status = statusOf(order)
  if (status !== "UNSHIPPED" && status !== "PARTIALLY_SHIPPED") {
    return [refusal(m.messageId, ORDER_STATE, `Order ${m.amazonOrderId} is ${status}; only UNSHIPPED or PARTIALLY_SHIPPED orders can be confirmed.`, orderInfo)]
  }
  // The schema leaves FulfillmentData and the tracking number optional; confirmShipment requires both,
  // and so does the simulator, so a package always has a carrier and a tracking number.
  if (m.trackingNumber === undefined) {
    return [refusal(m.messageId, INVALID_ITEM_DATA, "The data you submitted is incomplete or invalid: FulfillmentData with a carrier and a ShipperTrackingNumber is required.", orderInfo)]
  }
  let units: { orderItemId: string; quantity: number }[]
  if (m.items.length === 0) {
    units = unshippedUnits(order)
  } else {
    units = []
    for (const item of m.items) {
      if (item.amazonOrderItemCode === undefined) {
        return [refusal(m.messageId, INVALID_ITEM_DATA, "The simulator identifies order items by AmazonOrderItemCode only; MerchantOrderItemID is not supported.", orderInfo)]
      }
      const info = { ...orderInfo, amazonOrderItemCode: item.amazonOrderItemCode }
      const known = findItem(order, item.amazonOrderItemCode)
      if (!known) return [refusal(m.messageId, INVALID_ITEM_DATA, `The data you submitted with this item is incomplete or invalid: order item ${item.amazonOrderItemCode} is not part of order ${m.amazonOrderId}.`, info)]
      // Without Quantity the item ships whatever it has left.
      const quantity = item.quantity ?? unshippedUnits(order).find((u) => u.orderItemId === known.orderItemId)?.quantity ?? 0
      if (quantity === 0) return [refusal(m.messageId, INVALID_ITEM_DATA, `The data you submitted with this item is incomplete or invalid: order item ${item.amazonOrderItemCode} has no units left to ship.`, info)]
      units.push({ orderItemId: known.orderItemId, quantity })
    }
  }
  if (units.length === 0) return [refusal(m.messageId, INVALID_ITEM_DATA, `Order ${m.amazonOrderId} has no units left to ship.`, orderInfo)]
  const problem = checkShippableUnits(order, units)
  if (problem) return [refusal(m.messageId, INVALID_ITEM_DATA, `The data you submitted with this item is incomplete or invalid: ${problem}.`, orderInfo)]

  const shipment: ShipmentRecord = {
    sellerId: sim.sellerId,
    orderId: order.orderId,
    marketplaceId: order.salesChannel.marketplaceId ?? "",
    // Without a MerchantFulfillmentID Amazon still keys the package; the simulator derives the key from the feed.
    packageReferenceId: m.merchantFulfillmentId ?? `${input.feedId}-${m.messageId}`,
    // CarrierName alone is what confirmShipment expresses as carrierCode "Other" with a carrierName.
    carrierCode: m.carrierCode ?? "Other",
    ...(m.carrierName !== undefined ? { carrierName: m.carrierName } : {}),
    ...(m.shippingMethod !== undefined ? { shippingMethod: m.shippingMethod } : {}),
    trackingNumber: m.trackingNumber,
    shipDate: new Date(Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(m.fulfillmentDate) ? m.fulfillmentDate : `${m.fulfillmentDate}Z`)).toISOString(),
    items: units,
    confirmedAt: input.now,
  }
  recordShipment(sim, shipment, input.now)
  input.state.shipments.push(shipment)
  return []
}

function applyAcknowledgement(input: OrderFeedInput, m: AcknowledgementMessage): ReportResult[] {
  const { ORDER_NOT_FOUND, ORDER_STATE, INVALID_ITEM_DATA, CANCEL_AFTER_SHIPMENT, CANCEL_REASON_IGNORED } = ORDER_FEED_RESULT_CODES
  const orderInfo = { amazonOrderId: m.amazonOrderId }
  const sim = ownOrder(input, m.amazonOrderId)
  if (!sim) return [refusal(m.messageId, ORDER_NOT_FOUND, `The order ID ${m.amazonOrderId} was not found for this seller.`, orderInfo)]
  const order = sim.order
  if (m.statusCode === "Success") {
    return m.items
      .filter((item) => item.cancelReason !== undefined)
      .map((item) => ({
        messageId: m.messageId,
        resultCode: "Warning" as const,
        resultMessageCode: CANCEL_REASON_IGNORED,
        resultDescription: `CancelReason is ignored for StatusCode Success; order item ${item.amazonOrderItemCode} was not cancelled.`,
        ...orderInfo,
        amazonOrderItemCode: item.amazonOrderItemCode,
      }))
  }

  if (order.fulfillment?.fulfilledBy === "AMAZON") {
    return [refusal(m.messageId, ORDER_STATE, `Order ${m.amazonOrderId} is fulfilled by Amazon; the seller cannot cancel it.`, orderInfo)]
  }
  for (const item of m.items) {
    if (!findItem(order, item.amazonOrderItemCode)) {
      return [
        refusal(m.messageId, INVALID_ITEM_DATA, `The data you submitted with this item is incomplete or invalid: order item ${item.amazonOrderItemCode} is not part of order ${m.amazonOrderId}.`, {
          ...orderInfo,
          amazonOrderItemCode: item.amazonOrderItemCode,
        }),
      ]
    }
  }
  const targets = m.items.length === 0 ? order.orderItems.map((i) => ({ orderItemId: i.orderItemId })) : m.items.map((i) => ({ orderItemId: i.amazonOrderItemCode, cancelReason: i.cancelReason }))
  // Cancelling what is already cancelled changes nothing, so a resent feed is harmless.
  if (targets.every((t) => isItemCancelled(findItem(order, t.orderItemId) as OrderItem))) return []
  if (order.orderItems.some((i) => (i.fulfillment?.quantityFulfilled ?? 0) > 0)) {
    return [refusal(m.messageId, CANCEL_AFTER_SHIPMENT, `Order ${m.amazonOrderId} has shipped units; it can no longer be cancelled (a Failure acknowledgement would refund the whole order).`, orderInfo)]
  }
  const status = statusOf(order)
  if (status !== "UNSHIPPED") {
    return [refusal(m.messageId, ORDER_STATE, `Order ${m.amazonOrderId} is ${status}; only UNSHIPPED orders can be cancelled by the seller.`, orderInfo)]
  }
  cancelItems(sim, targets, input.now)
  return []
}
