/**
 * What the order actions need to know about a Medusa order's Amazon side, read from our amazon_order record
 * (linked to the order) or, when there is none, from the keys the import writes into the order's metadata.
 * Pure.
 */
import { ORDER_CANCELLED_BY_AMAZON_KEY } from "../orders/markers"

export interface AmazonOrderRecordFacts {
  id: string
  account_id: string
  amazon_order_id: string
  marketplace_id: string
  /** Amazon's fulfillment status (PENDING, UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED, …). */
  status: string
  fulfillment_channel: "MERCHANT" | "AMAZON" | string
}

export interface AmazonOrderFacts {
  amazon_order_id: string
  amazon_order_record_id: string | null
  account_id: string | null
  marketplace_id: string | null
  fulfilled_by_amazon: boolean
  /** Amazon's status as last imported; null without a record. */
  status: string | null
  /** The order was cancelled because Amazon reported it cancelled (never echoed back). */
  cancelled_by_amazon: boolean
}

/**
 * The Amazon side of a Medusa order, or null for an order that did not come from Amazon. The record wins
 * over the metadata (it follows Amazon's status); the metadata is the fallback for an order whose record
 * link was never written.
 */
export function amazonOrderFacts(
  record: AmazonOrderRecordFacts | null | undefined,
  metadata: Record<string, unknown> | null | undefined
): AmazonOrderFacts | null {
  const meta = metadata ?? {}
  const metaOrderId = typeof meta.amazon_order_id === "string" && meta.amazon_order_id ? meta.amazon_order_id : null
  if (!record && !metaOrderId) {
    return null
  }
  const text = (v: unknown) => (typeof v === "string" && v ? v : null)
  return {
    amazon_order_id: record?.amazon_order_id ?? (metaOrderId as string),
    amazon_order_record_id: record?.id ?? null,
    account_id: record?.account_id ?? text(meta.amazon_account_id),
    marketplace_id: record?.marketplace_id ?? text(meta.amazon_marketplace_id),
    fulfilled_by_amazon: record ? record.fulfillment_channel === "AMAZON" : meta.amazon_fulfilled_by === "AMAZON",
    status: record?.status ?? null,
    cancelled_by_amazon: record?.status === "CANCELLED" || Boolean(meta[ORDER_CANCELLED_BY_AMAZON_KEY]),
  }
}

/** Amazon statuses in which some unit has shipped: a seller cancellation would refund the whole order. */
export const SHIPPED_STATUSES: ReadonlySet<string> = new Set(["PARTIALLY_SHIPPED", "SHIPPED"])

/**
 * The plan for an action that cannot even be recorded as a row because the order's Amazon account or
 * marketplace is unknown: it goes to the sync log with `message` (what happened and what to do).
 */
export function unknownAccountPlan(amazon: AmazonOrderFacts, message: string) {
  return {
    kind: "unrecordable" as const,
    account_id: amazon.account_id,
    amazon_order_id: amazon.amazon_order_id,
    code: "AMAZON_ORDER_UNKNOWN",
    message,
  }
}
