/**
 * A Medusa shipment (a fulfillment marked shipped) → the shipment confirmation Amazon must get, or why none
 * is due. Pure: the caller reads the fulfillment, its order and the order's Amazon record.
 *
 * One Amazon package per Medusa fulfillment. Its `packageReferenceId` is derived from the fulfillment id, so
 * every retry of the same fulfillment names the same package and Amazon never gets it twice.
 */
import { createHash } from "node:crypto"
import { isFulfillmentFromAmazon } from "../orders/markers"
import { amazonOrderFacts, type AmazonOrderRecordFacts, unknownAccountPlan } from "./amazon-order-facts"
import type { OrderActionPlan, ShipmentActionPayload } from "./types"

/** Settings `carriers`: Medusa provider id / shipping option id / shipping option name → Amazon carrier. */
export type CarrierSettings = Record<string, { code: string; name?: string; shipping_method?: string }>

export interface ShipmentFacts {
  fulfillment: {
    id: string
    shipped_at: string | Date | null
    canceled_at?: string | Date | null
    provider_id?: string | null
    shipping_option_id?: string | null
    shipping_option_name?: string | null
    metadata?: Record<string, unknown> | null
    labels?: { tracking_number?: string | null }[] | null
    items?: { line_item_id?: string | null; inventory_item_id?: string | null; quantity: number | string }[] | null
  }
  order: {
    id: string
    metadata?: Record<string, unknown> | null
    items: {
      id: string
      metadata?: Record<string, unknown> | null
      /** The variant's inventory items and how many of each one unit of the line needs (kits). */
      inventory?: { inventory_item_id: string; required_quantity?: number | null }[] | null
    }[]
  }
  amazon_order: AmazonOrderRecordFacts | null
  carriers?: CarrierSettings
}

/**
 * Amazon's PackageReferenceId is "a seller-supplied identifier … only positive numeric values are
 * supported" (ordersV0.json), and MerchantFulfillmentID of the XML feed is an IDNumber: a Medusa id such as
 * `ful_01…` is neither. So the fulfillment id is hashed to 15 decimal digits (first digit 1-9): the same
 * fulfillment always gives the same reference; two fulfillments of one order collide with odds of about
 * 1 in 10^14.
 */
export function packageReferenceFor(fulfillmentId: string): string {
  const digest = createHash("sha256").update(`medusa-fulfillment:${fulfillmentId}`).digest()
  const value = digest.readBigUInt64BE(0) % 900_000_000_000_000n
  return (value + 100_000_000_000_000n).toString()
}

export const SHIPMENT_IDEMPOTENCY_PREFIX = "ship:"

export function shipmentIdempotencyKey(fulfillmentId: string): string {
  return `${SHIPMENT_IDEMPOTENCY_PREFIX}${fulfillmentId}`
}

/**
 * The Amazon carrier of a fulfillment: the first settings key that matches its provider id, its shipping
 * option id, its shipping option name (exact, then ignoring case); otherwise "Other" with the shipping
 * option's name (or the provider id) as the carrier name, which Amazon requires with "Other".
 */
export function resolveCarrier(
  carriers: CarrierSettings | undefined,
  fulfillment: Pick<ShipmentFacts["fulfillment"], "provider_id" | "shipping_option_id" | "shipping_option_name">
): { carrier_code: string; carrier_name?: string; shipping_method?: string; carrier_setting: string | null } {
  const map = carriers ?? {}
  const keys = [fulfillment.provider_id, fulfillment.shipping_option_id, fulfillment.shipping_option_name].filter(
    (k): k is string => typeof k === "string" && k !== ""
  )
  let matched = keys.find((k) => Object.prototype.hasOwnProperty.call(map, k))
  if (!matched && fulfillment.shipping_option_name) {
    const lower = fulfillment.shipping_option_name.toLowerCase()
    matched = Object.keys(map).find((k) => k.toLowerCase() === lower)
  }
  if (matched) {
    const c = map[matched]
    return {
      carrier_code: c.code,
      ...(c.name ? { carrier_name: c.name } : {}),
      ...(c.shipping_method ? { shipping_method: c.shipping_method } : {}),
      carrier_setting: matched,
    }
  }
  return {
    carrier_code: "Other",
    carrier_name: fulfillment.shipping_option_name || fulfillment.provider_id || "Other carrier",
    carrier_setting: null,
  }
}

/**
 * Units of each line item in a fulfillment. Medusa writes one fulfillment item per line item, or, for a
 * variant made of several inventory items (a kit), one per inventory item with `required_quantity` × the
 * line's units; those are divided back so Amazon gets the units the buyer ordered.
 */
export function fulfilledLineQuantities(
  items: NonNullable<ShipmentFacts["fulfillment"]["items"]>,
  lines: ShipmentFacts["order"]["items"]
): Map<string, number> {
  const required = new Map<string, Map<string, number>>()
  for (const line of lines) {
    required.set(
      line.id,
      new Map((line.inventory ?? []).map((i) => [i.inventory_item_id, Math.max(1, Number(i.required_quantity ?? 1))]))
    )
  }
  // line → inventory item (or "" for none) → quantity in the fulfillment
  const perLine = new Map<string, Map<string, number>>()
  for (const item of items) {
    if (!item.line_item_id) continue
    const byInventory = perLine.get(item.line_item_id) ?? new Map<string, number>()
    const key = item.inventory_item_id ?? ""
    byInventory.set(key, (byInventory.get(key) ?? 0) + Number(item.quantity))
    perLine.set(item.line_item_id, byInventory)
  }
  const out = new Map<string, number>()
  for (const [lineId, byInventory] of perLine) {
    const needs = required.get(lineId)
    let units = Number.POSITIVE_INFINITY
    for (const [inventoryItemId, quantity] of byInventory) {
      const per = (inventoryItemId && needs?.get(inventoryItemId)) || 1
      units = Math.min(units, Math.floor(quantity / per))
    }
    if (Number.isFinite(units) && units > 0) {
      out.set(lineId, units)
    }
  }
  return out
}

function iso(value: string | Date | null | undefined): string | null {
  if (!value) return null
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/**
 * Decides what a shipment owes Amazon:
 * - skip: not an Amazon order; Amazon fulfils it (FBA); the fulfillment was created by the plugin from
 *   Amazon's own shipment data (never echoed back); not shipped; cancelled.
 * - record queued: the confirmation, ready to send.
 * - record failed: a confirmation Amazon would refuse (no tracking number, an item without its Amazon id),
 *   kept with what to do, so the admin sees it on the order.
 */
export function planShipmentConfirmation(facts: ShipmentFacts): OrderActionPlan<ShipmentActionPayload> {
  const { fulfillment, order } = facts
  const amazon = amazonOrderFacts(facts.amazon_order, order.metadata)
  if (!amazon) return { kind: "skip", reason: "not an Amazon order" }
  if (amazon.fulfilled_by_amazon) return { kind: "skip", reason: "Amazon fulfils this order (FBA)" }
  if (isFulfillmentFromAmazon(fulfillment.metadata)) {
    return { kind: "skip", reason: "the fulfillment records a shipment Amazon reported" }
  }
  if (fulfillment.canceled_at) return { kind: "skip", reason: "the fulfillment is canceled" }
  const shipDate = iso(fulfillment.shipped_at)
  if (!shipDate) return { kind: "skip", reason: "the fulfillment is not shipped" }

  if (!amazon.account_id || !amazon.marketplace_id) {
    return unknownAccountPlan(
      amazon,
      `Shipment ${fulfillment.id} of order ${order.id} (Amazon order ${amazon.amazon_order_id}) cannot be confirmed: ` +
        `the Amazon account or marketplace of the order is unknown. Confirm the shipment in Seller Central.`
    )
  }

  const carrier = resolveCarrier(facts.carriers, fulfillment)
  const trackingNumbers = (fulfillment.labels ?? [])
    .map((l) => (typeof l.tracking_number === "string" ? l.tracking_number.trim() : ""))
    .filter((t) => t !== "")
  const quantities = fulfilledLineQuantities(fulfillment.items ?? [], order.items)
  const lines = new Map(order.items.map((l) => [l.id, l]))
  const items: ShipmentActionPayload["items"] = []
  const unmapped: string[] = []
  const byOrderItem = new Map<string, number>()
  for (const [lineId, quantity] of quantities) {
    const orderItemId = lines.get(lineId)?.metadata?.amazon_order_item_id
    if (typeof orderItemId !== "string" || orderItemId === "") {
      unmapped.push(lineId)
      continue
    }
    byOrderItem.set(orderItemId, (byOrderItem.get(orderItemId) ?? 0) + quantity)
  }
  for (const [order_item_id, quantity] of byOrderItem) items.push({ order_item_id, quantity })

  const payload: ShipmentActionPayload = {
    carrier_code: carrier.carrier_code,
    ...(carrier.carrier_name ? { carrier_name: carrier.carrier_name } : {}),
    ...(carrier.shipping_method ? { shipping_method: carrier.shipping_method } : {}),
    tracking_number: trackingNumbers[0] ?? "",
    tracking_numbers: trackingNumbers,
    ship_date: shipDate,
    items,
    carrier_setting: carrier.carrier_setting,
  }

  let problem: { code: string; message: string } | null = null
  if (unmapped.length) {
    problem = {
      code: "UNMAPPED_LINE_ITEM",
      message:
        `Line item(s) ${unmapped.join(", ")} carry no Amazon order item id (metadata amazon_order_item_id), so Amazon ` +
        `cannot be told which items left. Confirm this package in Seller Central.`,
    }
  } else if (!items.length) {
    problem = {
      code: "NO_ITEMS",
      message: `Shipment ${fulfillment.id} holds no units of the Amazon order. Confirm the package in Seller Central if it was sent.`,
    }
  } else if (!payload.tracking_number) {
    problem = {
      code: "MISSING_TRACKING_NUMBER",
      message:
        `Shipment ${fulfillment.id} has no tracking number, which Amazon requires to confirm a shipment. Confirm it in ` +
        `Seller Central with the tracking number, or cancel the fulfillment in Medusa and ship it again with a label.`,
    }
  }

  return {
    kind: "record",
    action: {
      account_id: amazon.account_id,
      kind: "confirm_shipment",
      idempotency_key: shipmentIdempotencyKey(fulfillment.id),
      amazon_order_id: amazon.amazon_order_id,
      amazon_order_record_id: amazon.amazon_order_record_id,
      marketplace_id: amazon.marketplace_id,
      order_id: order.id,
      fulfillment_id: fulfillment.id,
      package_reference: packageReferenceFor(fulfillment.id),
      payload,
      status: problem ? "failed" : "queued",
      last_error_code: problem?.code ?? null,
      last_error: problem?.message ?? null,
    },
  }
}
