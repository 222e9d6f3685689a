/**
 * The stock plans of a batch of new Amazon orders (the batched import of a page): planStockChanges for
 * each order in page order, as if they were applied one after the other. The levels' availability the
 * plans choose locations by is read once for the batch; each plan's reservations and decrements are taken
 * off it before the next order is planned, so a location that the earlier orders emptied is not chosen
 * again by a later one — the choice the one-by-one import would have made. Shipped units of an order
 * the batch created are planned as fulfillments the batch records itself (`via: "record"`, stock moved by
 * the plan's `adjust`), never through a per-order workflow. Pure.
 */
import type { FulfillmentStatus } from "../parsers/parse-order"
import { planStockChanges } from "./plan-stock"
import type { StockPlan, StockPlanLine } from "./plan-stock"
import type { ResolvedVariant } from "./types"

export interface BatchStockOrder {
  amazon_order_id: string
  status: FulfillmentStatus
  fulfilled_by: "MERCHANT" | "AMAZON"
  items: StockPlanLine[]
  /** Seller SKU → variant, with the availability read for the whole batch. */
  variants: Record<string, ResolvedVariant>
  /** Amazon order item id → Medusa line item id (empty for an order without a Medusa order). */
  line_items: Record<string, string>
  /** The Medusa order can take fulfillments (it has a shipping option); default true. */
  fulfilments?: boolean
  /** A back-import: shipped units are recorded, not decremented (see StockPlanInput.historic). */
  historic?: boolean
}

export function planBatchStock(orders: readonly BatchStockOrder[], locationIds: string[]): StockPlan[] {
  const available = new Map<string, number>()
  const key = (inventoryItemId: string, locationId: string) => `${inventoryItemId}|${locationId}`
  return orders.map((order) => {
    const variants: Record<string, ResolvedVariant> = {}
    for (const [sku, variant] of Object.entries(order.variants)) {
      variants[sku] = {
        ...variant,
        inventory: variant.inventory.map((ii) => ({
          ...ii,
          levels: ii.levels.map((lvl) => {
            const k = key(ii.inventory_item_id, lvl.location_id)
            if (!available.has(k)) {
              available.set(k, lvl.available)
            }
            return { location_id: lvl.location_id, available: available.get(k) as number }
          }),
        })),
      }
    }
    const plan = planStockChanges({
      amazon_order_id: order.amazon_order_id,
      status: order.status,
      fulfilled_by: order.fulfilled_by,
      items: order.items.map((item) => {
        const lineItemId = order.line_items[item.order_item_id] ?? null
        // A Medusa order made by this batch has nothing fulfilled yet; its shipped units are decremented
        // by the plan and recorded as fulfillments by the batch (no per-order workflow).
        return {
          ...item,
          variant: variants[item.seller_sku] ?? null,
          line_item_id: lineItemId,
          ...(lineItemId && order.fulfilments !== false ? { fulfilled_in_medusa: 0 } : {}),
        }
      }),
      applied: { version: 1, items: {} },
      reservations: {},
      location_ids: locationIds,
      historic: order.historic,
    })
    for (const r of plan.create) {
      const k = key(r.inventory_item_id, r.location_id)
      available.set(k, (available.get(k) ?? 0) - r.quantity)
    }
    for (const a of plan.adjust) {
      const k = key(a.inventory_item_id, a.location_id)
      available.set(k, (available.get(k) ?? 0) + a.adjustment)
    }
    return plan
  })
}
