/**
 * The Medusa 2.21 events after which a variant's sellable stock may have changed, grouped by what their
 * payload names. Checked against node_modules/@medusajs/core-flows and an event recording of a real
 * cart checkout, fulfillment, cancellation, stock update and variant update.
 *
 * Stock and variants are followed through their modules' own events (`inventory.inventory-level.updated`,
 * `product.product-variant.updated` …): the modules emit them on every call, whoever makes it — a core
 * workflow, the admin, another plugin, or this plugin's Amazon order import — so no path that changes
 * stock is missed. Reserving stock also updates the level's reserved_quantity, so orders placed, edited,
 * cancelled, fulfilled or returned all show up as level events too. The core workflows' own copies
 * (`inventory-level.updated`, `reservation-item.created` …) would only repeat them, one workflow run each.
 * Order events are added for the order's variants directly.
 */
export const ORDER_EVENTS = [
  "order.placed",
  "order.canceled",
  "order.fulfillment_created",
  "order.fulfillment_canceled",
  "order.return_received",
  "order.claim_created",
  "order.exchange_created",
  "order-edit.confirmed",
] as const

/** Payload `{ id }` = a reservation item id (soft-deleted for `.deleted`). */
export const RESERVATION_EVENTS = [
  "inventory.reservation-item.created",
  "inventory.reservation-item.updated",
  "inventory.reservation-item.deleted",
  "inventory.reservation-item.restored",
] as const

/** Payload `{ id }` = an inventory level id (stocked or reserved quantity changed, level added or removed). */
export const INVENTORY_LEVEL_EVENTS = [
  "inventory.inventory-level.created",
  "inventory.inventory-level.updated",
  "inventory.inventory-level.deleted",
  "inventory.inventory-level.restored",
] as const

/** Payload `{ id }` = an inventory item id: deleting an item leaves its variants without that stock. */
export const INVENTORY_ITEM_EVENTS = ["inventory.inventory-item.deleted", "inventory.inventory-item.restored"] as const

/** Payload `{ id }` = a variant id (SKU or manage_inventory changed, created, deleted). */
export const VARIANT_EVENTS = [
  "product.product-variant.created",
  "product.product-variant.updated",
  "product.product-variant.deleted",
  "product.product-variant.restored",
] as const

export const STOCK_CHANGE_EVENTS: string[] = [
  ...ORDER_EVENTS,
  ...RESERVATION_EVENTS,
  ...INVENTORY_LEVEL_EVENTS,
  ...INVENTORY_ITEM_EVENTS,
  ...VARIANT_EVENTS,
]

export type StockEventKind = "order" | "reservation" | "inventory_level" | "inventory_item" | "variant"

export function stockEventKind(name: string): StockEventKind | undefined {
  const is = (list: readonly string[]) => list.includes(name)
  if (is(ORDER_EVENTS)) return "order"
  if (is(RESERVATION_EVENTS)) return "reservation"
  if (is(INVENTORY_LEVEL_EVENTS)) return "inventory_level"
  if (is(INVENTORY_ITEM_EVENTS)) return "inventory_item"
  if (is(VARIANT_EVENTS)) return "variant"
  return undefined
}

/** What one event names: the kind of record and its id (an order, a reservation, a level …). */
export interface StockEventRef {
  kind: StockEventKind
  ref_id: string
}

function payloads(data: unknown): Record<string, unknown>[] {
  const list = Array.isArray(data) ? data : data ? [data] : []
  return list.filter((d): d is Record<string, unknown> => typeof d === "object" && d !== null)
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined
}

/**
 * The records a stock event's payload names (`{ id }`, `{ id, order_id }`, `{ order_id, … }` or a list of
 * them), without any lookup: the subscriber stores these, the push resolves them to variants later.
 * Unknown events and payloads without an id give nothing; each record appears once per event.
 *
 * @example
 * stockEventRefs("order.placed", { id: "order_1" }) // [{ kind: "order", ref_id: "order_1" }]
 */
export function stockEventRefs(name: string, data: unknown): StockEventRef[] {
  const kind = stockEventKind(name)
  if (!kind) return []
  const ids = new Set<string>()
  for (const d of payloads(data)) {
    const id = kind === "order" ? str(d.order_id) ?? (name.startsWith("order.") ? str(d.id) : undefined) : str(d.id)
    if (id) ids.add(id)
  }
  return [...ids].map((ref_id) => ({ kind, ref_id }))
}
