/**
 * Shapes shared by the order import's pure functions (window, mapping, stock plan) and the workflow
 * that drives them. No Medusa imports: the workflow adapts Medusa's data to these plain shapes.
 */

/**
 * What the import already did to store stock for one Amazon order item. Stored in
 * `amazon_order.applied.items[orderItemId]`, so a replayed or later version of the order only moves the
 * difference (a shipped unit is decremented exactly once, across any number of partial shipments).
 */
export interface AppliedItem {
  order_item_id: string
  seller_sku: string
  variant_id: string | null
  /** The Medusa line item once the Medusa order exists (reservations are then tied to it). */
  line_item_id: string | null
  /** The merchant location the item's stock is reserved and decremented at. */
  location_id: string | null
  /** Units our reservations hold now. */
  reserved: number
  /** Units Amazon reported shipped that were taken out of stocked quantity (or matched, see `external`). */
  shipped: number
  /**
   * Units whose reservation disappeared without the import doing it (someone fulfilled the Medusa order
   * in the store, which already decremented stock). Matched against later Amazon shipments so the same
   * unit is not decremented a second time.
   */
  external: number
  /** Units given back to the store (cancellation). Audit only. */
  released: number
  /** Our reservation per inventory item of the variant (kits have several). */
  reservations: AppliedReservation[]
}

export interface AppliedReservation {
  id: string
  inventory_item_id: string
  required_quantity: number
}

export interface AppliedState {
  version: 1
  items: Record<string, AppliedItem>
}

export const EMPTY_APPLIED: AppliedState = { version: 1, items: {} }

/** Reads `amazon_order.applied`, tolerating null and rows written before a field existed. */
export function readApplied(raw: unknown): AppliedState {
  const value = raw as Partial<AppliedState> | null | undefined
  if (!value || typeof value !== "object" || !value.items || typeof value.items !== "object") {
    return { version: 1, items: {} }
  }
  const items: Record<string, AppliedItem> = {}
  for (const [key, item] of Object.entries(value.items)) {
    const i = item as Partial<AppliedItem>
    items[key] = {
      order_item_id: i.order_item_id ?? key,
      seller_sku: i.seller_sku ?? "",
      variant_id: i.variant_id ?? null,
      line_item_id: i.line_item_id ?? null,
      location_id: i.location_id ?? null,
      reserved: i.reserved ?? 0,
      shipped: i.shipped ?? 0,
      external: i.external ?? 0,
      released: i.released ?? 0,
      reservations: Array.isArray(i.reservations) ? i.reservations : [],
    }
  }
  return { version: 1, items }
}

/** A variant an Amazon listing maps to, with what the stock plan needs to know about it. */
export interface ResolvedVariant {
  variant_id: string
  listing_id: string
  product_status: string | null
  manage_inventory: boolean
  inventory: {
    inventory_item_id: string
    required_quantity: number
    /** Levels at the merchant locations that count for Amazon. */
    levels: { location_id: string; available: number }[]
  }[]
}
