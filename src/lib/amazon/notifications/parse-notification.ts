import { createHash } from "node:crypto"
import Ajv from "ajv"
import type { ValidateFunction } from "ajv"
import type { TheRootSchema as FbaNotification } from "../generated/notifications/fba-inventory-availability-change"
import type { HttpExampleComExampleJson as FeedNotification } from "../generated/notifications/feed-processing-finished"
import type { TheRootSchema as McfNotification } from "../generated/notifications/fulfillment-order-status"
import type { ListingsItemMFNQuantityChangeNotification as MfnNotification } from "../generated/notifications/listings-item-mfn-quantity-change"
import type { TheRootSchema as OrderChangeNotification } from "../generated/notifications/order-change"
import type { HttpExampleComExampleJson as ReportNotification } from "../generated/notifications/report-processing-finished"
import fbaSchema from "./schemas/FBAInventoryAvailabilityChangeNotification.json"
import feedSchema from "./schemas/FeedProcessingFinishedNotification.json"
import mcfSchema from "./schemas/FulfillmentOrderStatusNotification.json"
import mfnSchema from "./schemas/ListingsItemMfnQuantityChange.json"
import orderSchema from "./schemas/OrderChangeNotification.json"
import reportSchema from "./schemas/ReportProcessingFinishedNotification.json"

/**
 * Reads one SQS message body as an Amazon notification (FACTS.md §9): the notification JSON itself (SQS
 * destinations) or an EventBridge event whose `detail` is the notification (EventBridge destinations, forwarded
 * to the same queue by a rule). Validated against Amazon's schema for its type (vendor/amazon/schemas, copied
 * by `npm run generate:types`). Never throws: whatever cannot be read comes back as `invalid` with a key that
 * stays the same for the same body, so a malformed message is kept once for review, never lost and never
 * fatal to the consumer.
 */

export const NOTIFICATION_TYPES = [
  "ORDER_CHANGE",
  "FBA_INVENTORY_AVAILABILITY_CHANGES",
  "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
  "FEED_PROCESSING_FINISHED",
  "REPORT_PROCESSING_FINISHED",
  "FULFILLMENT_ORDER_STATUS",
] as const
export type NotificationType = (typeof NOTIFICATION_TYPES)[number]

/** Types Amazon delivers only through EventBridge (FACTS.md §9); the others go to an SQS destination. */
export const EVENTBRIDGE_ONLY_TYPES: ReadonlySet<NotificationType> = new Set(["LISTINGS_ITEM_MFN_QUANTITY_CHANGE"])

/** Payload version each subscription asks for (the version of the schema the consumer validates against). */
export const PAYLOAD_VERSIONS: Record<NotificationType, string> = {
  ORDER_CHANGE: "1.0",
  FBA_INVENTORY_AVAILABILITY_CHANGES: "1.0",
  LISTINGS_ITEM_MFN_QUANTITY_CHANGE: "1.0",
  FEED_PROCESSING_FINISHED: "2020-09-04",
  REPORT_PROCESSING_FINISHED: "2020-09-04",
  FULFILLMENT_ORDER_STATUS: "1.0",
}

type Common = {
  /** Amazon's NotificationId: the same notification delivered twice has the same one. */
  notification_id: string
  event_time: string | null
  /** The seller it is about (optional in the feed and report schemas: then the feed or report id tells). */
  seller_id: string | null
  /** What it is about, for the admin and for ordering: an order id, a SKU, a feed or report id. */
  subject: string
}

export type ParsedNotification =
  | (Common & { type: "ORDER_CHANGE"; order: OrderChangeNotification["Payload"]["OrderChangeNotification"] })
  | (Common & { type: "FBA_INVENTORY_AVAILABILITY_CHANGES"; fba: FbaNotification["Payload"] & object })
  | (Common & { type: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE"; mfn: MfnNotification["Payload"] })
  | (Common & { type: "FEED_PROCESSING_FINISHED"; feed: FeedNotification["payload"]["feedProcessingFinishedNotification"] })
  | (Common & { type: "REPORT_PROCESSING_FINISHED"; report: ReportNotification["payload"]["reportProcessingFinishedNotification"] })
  | (Common & { type: "FULFILLMENT_ORDER_STATUS"; mcf: McfNotification["Payload"]["FulfillmentOrderStatusNotification"] })

export type ParseResult =
  | { ok: true; notification: ParsedNotification; raw: Record<string, unknown> }
  | {
      ok: false
      /** NotificationId when it could be read, else `sha256:<hash of the body>`. */
      key: string
      type: string | null
      code: "NOT_JSON" | "NOT_A_NOTIFICATION" | "UNKNOWN_TYPE" | "SCHEMA_MISMATCH"
      reason: string
      raw: unknown
    }

const SCHEMAS: Record<NotificationType, object> = {
  ORDER_CHANGE: orderSchema,
  FBA_INVENTORY_AVAILABILITY_CHANGES: fbaSchema,
  LISTINGS_ITEM_MFN_QUANTITY_CHANGE: mfnSchema,
  FEED_PROCESSING_FINISHED: feedSchema,
  REPORT_PROCESSING_FINISHED: reportSchema,
  FULFILLMENT_ORDER_STATUS: mcfSchema,
}

const validators = new Map<NotificationType, ValidateFunction>()

/**
 * Amazon's schemas repeat the same nested `$id` in several places (the FBA one, for instance), which ajv refuses
 * as ambiguous. Nested ids carry no constraint (nothing refers to them), so they are left out; the root's stays.
 */
export function withoutNestedIds(node: unknown, root = true): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutNestedIds(n, false))
  if (!isRecord(node)) return node
  return Object.fromEntries(Object.entries(node).filter(([k]) => root || k !== "$id").map(([k, v]) => [k, withoutNestedIds(v, false)]))
}

function validatorFor(type: NotificationType): ValidateFunction {
  let v = validators.get(type)
  if (!v) {
    // strict: false: Amazon's schemas use non-standard keywords (`example` next to `examples`).
    v = new Ajv({ strict: false, allErrors: false, validateFormats: false }).compile(withoutNestedIds(SCHEMAS[type]) as object)
    validators.set(type, v)
  }
  return v
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

function str(v: unknown): string | null {
  return typeof v === "string" && v ? v : null
}

export function bodyKey(body: string): string {
  return `sha256:${createHash("sha256").update(body).digest("hex")}`
}

/** The notification inside an EventBridge event (`detail`), or the body itself. */
function unwrap(json: Record<string, unknown>): Record<string, unknown> {
  if (isRecord(json.detail) && typeof json["detail-type"] === "string") {
    return json.detail
  }
  return json
}

export function parseNotification(body: string): ParseResult {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { ok: false, key: bodyKey(body), type: null, code: "NOT_JSON", reason: "the message body is not JSON", raw: body.slice(0, 2000) }
  }
  if (!isRecord(json)) {
    return { ok: false, key: bodyKey(body), type: null, code: "NOT_A_NOTIFICATION", reason: "the message body is not a JSON object", raw: json }
  }
  const n = unwrap(json)
  // ORDER_CHANGE and most types spell the envelope in PascalCase, the feed and report ones in camelCase.
  const type = str(n.NotificationType) ?? str(n.notificationType)
  const meta = isRecord(n.NotificationMetadata) ? n.NotificationMetadata : isRecord(n.notificationMetadata) ? n.notificationMetadata : null
  const id = str(meta?.NotificationId) ?? str(meta?.notificationId)
  const key = id ?? bodyKey(body)
  if (!type) {
    return { ok: false, key, type: null, code: "NOT_A_NOTIFICATION", reason: "the message has no NotificationType", raw: n }
  }
  if (!(NOTIFICATION_TYPES as readonly string[]).includes(type)) {
    return { ok: false, key, type, code: "UNKNOWN_TYPE", reason: `notifications of type ${type} are not used by this plugin`, raw: n }
  }
  const t = type as NotificationType
  const validate = validatorFor(t)
  if (!validate(n)) {
    const first = validate.errors?.[0]
    const where = first ? `${first.instancePath || "/"} ${first.message ?? ""}`.trim() : "unknown"
    return { ok: false, key, type, code: "SCHEMA_MISMATCH", reason: `the ${type} notification does not match Amazon's schema: ${where}`, raw: n }
  }
  if (!id) {
    return { ok: false, key, type, code: "NOT_A_NOTIFICATION", reason: "the notification has no NotificationId", raw: n }
  }
  const event_time = str(n.EventTime) ?? str(n.eventTime)
  const common = { notification_id: id, event_time }
  switch (t) {
    case "ORDER_CHANGE": {
      const order = (n as unknown as OrderChangeNotification).Payload.OrderChangeNotification
      return { ok: true, raw: n, notification: { ...common, type: t, seller_id: order.SellerId, subject: order.AmazonOrderId, order } }
    }
    case "FBA_INVENTORY_AVAILABILITY_CHANGES": {
      const fba = (n as unknown as FbaNotification).Payload as FbaNotification["Payload"] & object
      return { ok: true, raw: n, notification: { ...common, type: t, seller_id: fba.SellerId, subject: fba.SKU, fba } }
    }
    case "LISTINGS_ITEM_MFN_QUANTITY_CHANGE": {
      const mfn = (n as unknown as MfnNotification).Payload
      return { ok: true, raw: n, notification: { ...common, type: t, seller_id: mfn.SellerId, subject: mfn.Sku, mfn } }
    }
    case "FEED_PROCESSING_FINISHED": {
      const feed = (n as unknown as FeedNotification).payload.feedProcessingFinishedNotification
      return { ok: true, raw: n, notification: { ...common, type: t, seller_id: feed.sellerId ?? null, subject: feed.feedId, feed } }
    }
    case "FULFILLMENT_ORDER_STATUS": {
      const mcf = (n as unknown as McfNotification).Payload.FulfillmentOrderStatusNotification
      return { ok: true, raw: n, notification: { ...common, type: t, seller_id: mcf.SellerId, subject: mcf.SellerFulfillmentOrderId, mcf } }
    }
    case "REPORT_PROCESSING_FINISHED": {
      const report = (n as unknown as ReportNotification).payload.reportProcessingFinishedNotification
      return { ok: true, raw: n, notification: { ...common, type: t, seller_id: report.sellerId ?? null, subject: report.reportId, report } }
    }
  }
}
