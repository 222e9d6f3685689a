/**
 * Items removed from an Amazon order in a Medusa order edit → the item cancellation Amazon must get (one
 * POST_ORDER_ACKNOWLEDGEMENT_DATA message, StatusCode Failure, an Item per removed order item), or why none
 * is due. Pure.
 *
 * Medusa's admin "removes" an item of a placed order by editing its quantity down to what was fulfilled
 * (0 before shipping); Amazon cancels whole order items only, never some of an item's units.
 */
import { isItemCancelled } from "../orders/build-order-input"
import { parseOrder } from "../parsers/parse-order"
import { amazonOrderFacts, unknownAccountPlan } from "./amazon-order-facts"
import { type CancelFacts, cancelReasonFor, shippedUnitsProblem } from "./plan-cancel"
import type { CancelActionPayload, OrderActionPlan } from "./types"

export interface ItemCancelFacts extends CancelFacts {
  /** The Amazon order as last imported (amazon_order.payload): Amazon's items and quantities. */
  amazon_payload: unknown
  /** Amazon order item ids already in a cancel row that is not failed (sent, or on its way). */
  items_in_cancel_actions: string[]
}

/** One row per set of items removed together: a later edit removing another item records its own row. */
export function itemCancelIdempotencyKey(orderId: string, orderItemIds: string[]): string {
  return `cancel:${orderId}:items:${[...orderItemIds].sort().join(",")}`
}

interface AmazonItem {
  order_item_id: string
  quantity: number
  cancelled: boolean
}

function amazonItemsOf(payload: unknown): AmazonItem[] | null {
  if (!payload || typeof payload !== "object") return null
  try {
    return parseOrder(payload).items.map((i) => ({ order_item_id: i.orderItemId, quantity: i.quantityOrdered, cancelled: isItemCancelled(i) }))
  } catch {
    return null
  }
}

/**
 * Decides what an order edit owes Amazon:
 * - skip: not an Amazon order, FBA, cancelled (here or at Amazon: the order's own cancellation covers it),
 *   or no Amazon item has fewer units in Medusa than Amazon expects;
 * - record failed: a unit has shipped (Amazon would refund the whole order), or an item kept some of its
 *   units (Amazon cannot cancel part of an item), with what to do;
 * - record queued: the cancellation of the removed items, with the order's or account's reason.
 */
export function planItemCancellation(facts: ItemCancelFacts): OrderActionPlan<CancelActionPayload> {
  const { order } = facts
  const amazon = amazonOrderFacts(facts.amazon_order, order.metadata)
  if (!amazon) return { kind: "skip", reason: "not an Amazon order" }
  if (amazon.fulfilled_by_amazon) return { kind: "skip", reason: "Amazon fulfils this order (FBA)" }
  if (amazon.cancelled_by_amazon) return { kind: "skip", reason: "Amazon cancelled this order" }
  if (order.status === "canceled") return { kind: "skip", reason: "the order is cancelled (its cancellation is sent whole)" }
  const amazonItems = amazonItemsOf(facts.amazon_payload)
  if (!amazonItems) return { kind: "skip", reason: "the Amazon order's items are not known" }

  const inMedusa = new Map<string, number>()
  for (const line of order.items) {
    const id = line.metadata?.amazon_order_item_id
    if (typeof id === "string" && id) inMedusa.set(id, (inMedusa.get(id) ?? 0) + Number(line.quantity))
  }
  const already = new Set(facts.items_in_cancel_actions)
  const removed: AmazonItem[] = []
  const partial: { item: AmazonItem; left: number }[] = []
  for (const item of amazonItems) {
    if (item.cancelled || already.has(item.order_item_id)) continue
    const left = inMedusa.get(item.order_item_id) ?? 0
    if (left <= 0) removed.push(item)
    else if (left < item.quantity) partial.push({ item, left })
  }
  if (!removed.length && !partial.length) return { kind: "skip", reason: "no Amazon item was removed" }
  if (!amazon.account_id || !amazon.marketplace_id) {
    return unknownAccountPlan(
      amazon,
      `Items were removed from order ${order.id}, but the Amazon account or marketplace of Amazon order ${amazon.amazon_order_id} ` +
        `is unknown, so Amazon was not told. Cancel the items in Seller Central.`
    )
  }

  // A failed row is never sent: its items only say which ones staff must look at.
  const targets = [...removed, ...partial.map((p) => p.item)]
  const { reason, source } = cancelReasonFor(order.metadata, facts.default_cancel_reason)
  let problem: { code: string; message: string } | null = null
  const shipped = shippedUnitsProblem(facts)
  if (shipped) {
    problem = { code: "SHIPPED_UNITS", message: shipped }
  } else if (partial.length) {
    const which = partial.map((p) => `${p.item.order_item_id} (${p.left} of ${p.item.quantity} units kept)`).join(", ")
    problem = {
      code: "PARTIAL_ITEM_CANCEL",
      message:
        `Amazon cancels whole order items only, and order item(s) ${which} of Amazon order ${amazon.amazon_order_id} kept some units. ` +
        `Edit the order again to remove the item entirely (Amazon then cancels it) or to restore its quantity and ship it.`,
    }
  }
  return {
    kind: "record",
    action: {
      account_id: amazon.account_id,
      kind: "cancel",
      idempotency_key: itemCancelIdempotencyKey(order.id, targets.map((i) => i.order_item_id)),
      amazon_order_id: amazon.amazon_order_id,
      amazon_order_record_id: amazon.amazon_order_record_id,
      marketplace_id: amazon.marketplace_id,
      order_id: order.id,
      fulfillment_id: null,
      package_reference: null,
      payload: { reason, reason_source: source, items: targets.map((i) => ({ order_item_id: i.order_item_id, quantity: i.quantity })) },
      status: problem ? "failed" : "queued",
      last_error_code: problem?.code ?? null,
      last_error: problem?.message ?? null,
    },
  }
}
