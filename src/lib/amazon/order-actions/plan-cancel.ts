/**
 * A Medusa order cancellation → the cancellation Amazon must get (one POST_ORDER_ACKNOWLEDGEMENT_DATA
 * message, StatusCode Failure), or why none is due. Pure.
 */
import { CANCEL_REASONS, type CancelReason, isCancelReason } from "../feeds/build-order-acknowledgement-feed"
import { ORDER_CANCEL_REASON_KEY } from "../orders/markers"
import { amazonOrderFacts, type AmazonOrderRecordFacts, SHIPPED_STATUSES, unknownAccountPlan } from "./amazon-order-facts"
import type { CancelActionPayload, OrderActionPlan } from "./types"

export { CANCEL_REASONS, isCancelReason }
export type { CancelReason }

/** The reason sent when neither the order nor the account names one. */
export const DEFAULT_CANCEL_REASON: CancelReason = "GeneralAdjustment"

export const CANCEL_IDEMPOTENCY_PREFIX = "cancel:"

export function cancelIdempotencyKey(orderId: string): string {
  return `${CANCEL_IDEMPOTENCY_PREFIX}${orderId}`
}

export interface CancelFacts {
  order: {
    id: string
    status?: string | null
    metadata?: Record<string, unknown> | null
    items: { id: string; quantity: number | string; metadata?: Record<string, unknown> | null }[]
    fulfillments?: { id: string; shipped_at?: string | Date | null; canceled_at?: string | Date | null }[] | null
  }
  amazon_order: AmazonOrderRecordFacts | null
  /** Account settings default_cancel_reason. */
  default_cancel_reason?: string | null
  /** confirm_shipment actions of this order that reached or may reach Amazon (queued, sending, done). */
  shipment_actions: number
}

/** The reason to send and where it came from: the order's metadata, the account's default, or ours. */
export function cancelReasonFor(
  metadata: Record<string, unknown> | null | undefined,
  accountDefault: string | null | undefined
): { reason: CancelReason; source: CancelActionPayload["reason_source"] } {
  const own = metadata?.[ORDER_CANCEL_REASON_KEY]
  if (isCancelReason(own)) return { reason: own, source: "order" }
  if (isCancelReason(accountDefault)) return { reason: accountDefault, source: "account" }
  return { reason: DEFAULT_CANCEL_REASON, source: "default" }
}

/**
 * Why an Amazon order can no longer be cancelled by the seller, or null. Amazon refunds the whole order when
 * a seller cancels after any unit was confirmed shipped (FACTS §10), so any shipped unit — at Amazon, in a
 * Medusa shipment, or in a confirmation still on its way — forbids it.
 */
export function shippedUnitsProblem(facts: Pick<CancelFacts, "order" | "amazon_order" | "shipment_actions">): string | null {
  const amazon = amazonOrderFacts(facts.amazon_order, facts.order.metadata)
  const id = amazon?.amazon_order_id ?? facts.order.id
  if (amazon?.status && SHIPPED_STATUSES.has(amazon.status)) {
    return `Amazon order ${id} is ${amazon.status}: units have shipped, and cancelling it now would refund the whole order. Refund or return the units instead (Seller Central).`
  }
  const shipped = (facts.order.fulfillments ?? []).filter((f) => f.shipped_at && !f.canceled_at)
  if (shipped.length) {
    return `Order ${facts.order.id} has ${shipped.length} shipped fulfillment(s): Amazon order ${id} can no longer be cancelled (it would refund the whole order). Refund or return the units instead.`
  }
  if (facts.shipment_actions > 0) {
    return `A shipment of Amazon order ${id} has been confirmed (or is being confirmed) to Amazon: it can no longer be cancelled (Amazon would refund the whole order). Refund or return the units instead.`
  }
  return null
}

/**
 * Decides what a Medusa cancellation owes Amazon:
 * - skip: not an Amazon order; FBA (Amazon fulfils and cancels it); the cancellation came from Amazon
 *   (its status is CANCELLED, or the import marked the order); the order is not cancelled.
 * - record failed: a unit has shipped (never sent: it would refund the whole order), with what to do.
 * - record queued: the cancellation with its reason, per Amazon order item.
 */
export function planCancellation(facts: CancelFacts): OrderActionPlan<CancelActionPayload> {
  const { order } = facts
  const amazon = amazonOrderFacts(facts.amazon_order, order.metadata)
  if (!amazon) return { kind: "skip", reason: "not an Amazon order" }
  if (amazon.fulfilled_by_amazon) return { kind: "skip", reason: "Amazon fulfils this order (FBA)" }
  if (amazon.cancelled_by_amazon) return { kind: "skip", reason: "Amazon cancelled this order" }
  if (order.status && order.status !== "canceled") return { kind: "skip", reason: `the order is ${order.status}` }
  if (!amazon.account_id || !amazon.marketplace_id) {
    return unknownAccountPlan(
      amazon,
      `Order ${order.id} was cancelled, but the Amazon account or marketplace of Amazon order ${amazon.amazon_order_id} ` +
        `is unknown, so Amazon was not told. Cancel the order in Seller Central.`
    )
  }

  const { reason, source } = cancelReasonFor(order.metadata, facts.default_cancel_reason)
  const items: CancelActionPayload["items"] = []
  for (const line of order.items) {
    const orderItemId = line.metadata?.amazon_order_item_id
    if (typeof orderItemId === "string" && orderItemId !== "" && !items.some((i) => i.order_item_id === orderItemId)) {
      items.push({ order_item_id: orderItemId, quantity: Number(line.quantity) })
    }
  }
  const problem = shippedUnitsProblem(facts)
  return {
    kind: "record",
    action: {
      account_id: amazon.account_id,
      kind: "cancel",
      idempotency_key: cancelIdempotencyKey(order.id),
      amazon_order_id: amazon.amazon_order_id,
      amazon_order_record_id: amazon.amazon_order_record_id,
      marketplace_id: amazon.marketplace_id,
      order_id: order.id,
      fulfillment_id: null,
      package_reference: null,
      payload: { reason, reason_source: source, items },
      status: problem ? "failed" : "queued",
      last_error_code: problem ? "SHIPPED_UNITS" : null,
      last_error: problem,
    },
  }
}

/**
 * Why staff cannot cancel this order on Amazon from the store, or null when they can: not an Amazon order,
 * Amazon-fulfilled, already cancelled (here or at Amazon), a unit shipped, or Medusa fulfillments still open
 * (Medusa's own rule: they must be cancelled first).
 */
export function cancelRefusal(facts: Pick<CancelFacts, "order" | "amazon_order" | "shipment_actions">): string | null {
  const { order } = facts
  const amazon = amazonOrderFacts(facts.amazon_order, order.metadata)
  if (!amazon) return `Order ${order.id} did not come from Amazon; cancel it in the store as usual.`
  if (amazon.fulfilled_by_amazon) return `Amazon fulfils order ${amazon.amazon_order_id} (FBA): only Amazon can cancel it (Seller Central).`
  if (order.status === "canceled") return `Order ${order.id} is already cancelled.`
  if (amazon.status === "CANCELLED") {
    return `Amazon has already cancelled order ${amazon.amazon_order_id}; the next order import cancels it here too.`
  }
  const shipped = shippedUnitsProblem(facts)
  if (shipped) return `Cannot cancel: ${shipped}`
  const open = (order.fulfillments ?? []).filter((f) => !f.canceled_at)
  if (open.length) {
    return `Order ${order.id} has ${open.length} fulfillment(s) that are not cancelled: cancel them first, then cancel the order.`
  }
  return null
}
