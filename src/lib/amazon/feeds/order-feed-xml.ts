/**
 * What the XML order feeds (POST_ORDER_FULFILLMENT_DATA, POST_ORDER_ACKNOWLEDGEMENT_DATA) share: feed and
 * message types, the content type, the AmazonEnvelope, the typed build error and the checks on text values.
 *
 * These are the only XML documents the plugin sends (FACTS §10): the listings XML feeds were retired, the
 * order feeds were not. The XML is built with xmlbuilder2, which escapes `&`, `<` and `>` in text; what it
 * does NOT do is refuse characters XML 1.0 cannot carry (it writes U+0001 as is and turns a lone surrogate
 * into U+FFFD), so every text value is checked here first and a bad one is a typed error, never a feed
 * Amazon rejects as a whole.
 */
import { create } from "xmlbuilder2"
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces"

export const POST_ORDER_FULFILLMENT_DATA = "POST_ORDER_FULFILLMENT_DATA"
export const POST_ORDER_ACKNOWLEDGEMENT_DATA = "POST_ORDER_ACKNOWLEDGEMENT_DATA"

/** createFeedDocument contentType and the upload's Content-Type for XML feeds (FACTS §10). */
export const ORDER_FEED_CONTENT_TYPE = "text/xml; charset=UTF-8"

/** Header DocumentVersion of the documents we send (FACTS §10; Amazon's own reports say 1.02). */
export const ORDER_FEED_DOCUMENT_VERSION = "1.01"

export type OrderFeedMessageType = "OrderFulfillment" | "OrderAcknowledgement"

export type OrderFeedBuildErrorCode =
  | "EMPTY_SELLER_ID"
  | "EMPTY_FEED"
  /** A required text value is missing, not a string, or blank. */
  | "MISSING_FIELD"
  /** A text value holds a character XML 1.0 cannot carry (control character, unpaired surrogate, U+FFFE/FFFF). */
  | "INVALID_CHARACTER"
  | "INVALID_QUANTITY"
  | "INVALID_DATE"
  /** MerchantFulfillmentID is an IDNumber (a positive integer), not free text. */
  | "INVALID_PACKAGE_REFERENCE"
  /** Neither carrierCode nor carrierName. */
  | "CARRIER_REQUIRED"
  /** Both carrierCode and carrierName: the schema allows one of the two. */
  | "CARRIER_AMBIGUOUS"
  /** `items: []`: omit `items` to mean the whole order. */
  | "EMPTY_ITEMS"
  | "DUPLICATE_ITEM"
  | "DUPLICATE_PACKAGE_REFERENCE"
  | "DUPLICATE_ORDER"
  | "INVALID_STATUS_CODE"
  | "INVALID_CANCEL_REASON"
  /** A CancelReason on a Success acknowledgement, which cancels nothing. */
  | "CANCEL_REASON_NOT_ALLOWED"

export class OrderFeedBuildError extends Error {
  readonly name = "OrderFeedBuildError"
  /** Stable code; branch on it, never on the message. */
  readonly code: OrderFeedBuildErrorCode
  /** The offending input field, e.g. `packages[2].items[0].quantity`; "" for the whole input. */
  readonly field: string

  constructor(code: OrderFeedBuildErrorCode, field: string, message: string) {
    super(field ? `${field}: ${message}` : message)
    this.code = code
    this.field = field
  }
}

/** A built XML order feed and, per MessageID, what it was about (the report only names MessageIDs). */
export interface BuiltOrderFeed<M extends { messageId: number }> {
  /** The document, UTF-8 XML, to upload with {@link ORDER_FEED_CONTENT_TYPE}. */
  xml: string
  /** In MessageID order (1..n). Persist it with the feed row to read the report back. */
  messages: M[]
}

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. With the `u` flag a
// surrogate pair is one code point, so the surrogate range only matches unpaired halves.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/** A required, non-blank text value that XML can carry. */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new OrderFeedBuildError("MISSING_FIELD", field, "must be a non-empty string")
  }
  return checkCharacters(value, field)
}

/** An optional text value: undefined stays undefined, anything else must pass {@link requireText}. */
export function optionalText(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireText(value, field)
}

function checkCharacters(value: string, field: string): string {
  const bad = NOT_XML_CHAR.exec(value)
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0
    throw new OrderFeedBuildError(
      "INVALID_CHARACTER",
      field,
      `contains U+${code.toString(16).toUpperCase().padStart(4, "0")} at position ${bad.index}, which XML 1.0 cannot carry`
    )
  }
  return value
}

/** Starts an AmazonEnvelope with its Header and MessageType; the caller adds the Message elements. */
export function startEnvelope(sellerId: unknown, messageType: OrderFeedMessageType): XMLBuilder {
  if (typeof sellerId !== "string" || sellerId.trim() === "") {
    throw new OrderFeedBuildError("EMPTY_SELLER_ID", "sellerId", "must be a non-empty string")
  }
  checkCharacters(sellerId, "sellerId")
  const envelope = create({ version: "1.0", encoding: "UTF-8" }).ele("AmazonEnvelope", {
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsi:noNamespaceSchemaLocation": "amzn-envelope.xsd",
  })
  envelope
    .ele("Header")
    .ele("DocumentVersion")
    .txt(ORDER_FEED_DOCUMENT_VERSION)
    .up()
    .ele("MerchantIdentifier")
    .txt(sellerId)
  envelope.ele("MessageType").txt(messageType)
  return envelope
}

/** Serialises a finished envelope. Pretty-printed: Amazon quotes "line, column" positions in its errors. */
export function endEnvelope(envelope: XMLBuilder): string {
  return envelope.end({ prettyPrint: true })
}

/** A list the caller gave: must be a non-empty array; an empty one is `emptyCode`. */
export function requireArray<T>(value: unknown, field: string, emptyCode: OrderFeedBuildErrorCode): readonly T[] {
  if (!Array.isArray(value)) {
    throw new OrderFeedBuildError("MISSING_FIELD", field, "must be an array")
  }
  if (value.length === 0) {
    throw new OrderFeedBuildError(emptyCode, field, "must not be empty")
  }
  return value as readonly T[]
}
