/**
 * Issue codes used in processing reports and patchListingsItem responses. Where Amazon has been seen using a
 * code for the same situation, that code is reused (source noted); the others are the simulator's own choice
 * and are marked so. Tests and clients should treat them as opaque strings.
 */
export const ISSUE_CODES = {
  /** Attribute path/name not accepted (e.g. camelCase `fulfillmentAvailability`, nested path, bad value).
   *  Seen: jlevers/selling-partner-api#861 ("The attributes are invalid."). */
  INVALID_ATTRIBUTES: "90000900",
  /** A required field of an attribute entry is missing (e.g. no fulfillment_channel_code).
   *  Seen: jlevers/selling-partner-api#493 and the processing-report schema example. */
  MISSING_REQUIRED_VALUE: "99022",
  /** A feed message fails listings-feed-message-schema-v2.json.
   *  Seen: amzn/selling-partner-api-docs#1098. */
  MESSAGE_SCHEMA_INVALID: "4002008",
  /** The feed document fails listings-feed-schema-v2.json outside the messages (header, message count, …).
   *  Seen for a header error: amzn/selling-partner-api-docs#1133. */
  DOCUMENT_SCHEMA_INVALID: "4002006",
  /** A patch without the value its op needs, or a duplicate messageId. Seen: amzn/selling-partner-api-models#4554. */
  BAD_REQUEST: "BAD_REQUEST",
  /** Simulator's choice: a PATCH / PARTIAL_UPDATE for a SKU the seller has no listing for. */
  SKU_NOT_FOUND: "4000001",
  /** Simulator's choice: the feed document is not UTF-8 JSON (also what a gzip upload produces). */
  DOCUMENT_NOT_JSON: "4002001",
  /** Simulator's choice: the document was never uploaded. */
  DOCUMENT_MISSING: "4002002",
  /** Simulator's choice: header.sellerId is not the seller who submitted the feed. */
  SELLER_MISMATCH: "4002003",
  /** Simulator's choice: a retired XML / flat-file listings feed type (FATAL since 2025-07-31). */
  FEED_TYPE_RETIRED: "4002010",
  /** Simulator's choice: a feed type Amazon supports but the simulator does not process. */
  FEED_TYPE_NOT_SIMULATED: "4002011",
  /** Simulator's choice: the "feed-fatal" fault was injected. */
  INJECTED_FATAL: "4002099",
} as const
