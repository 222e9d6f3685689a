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
  /** Units Amazon reported shipped that the import has accounted for (never counted twice). */
  shipped: number
  /**
   * Units the import recorded as Medusa fulfillments (Amazon shipped them). Absent on records written
   * before the import recorded fulfillments: their shipped units left stock through the import's own
   * decrement, and the next version records them in Medusa without moving stock again.
   */
  fulfilled?: number
  /**
   * Records before fulfillments were recorded: units whose reservation disappeared without the import
   * (fulfilled in the store), matched against later Amazon shipments. Read to recognise those units.
   */
  external: number
  /**
   * Units Amazon shipped that the Medusa line had no room for (staff removed them in an order edit and
   * Amazon shipped them anyway): they left stock without a Medusa fulfillment. Absent when none.
   */
  unlined?: number
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
  /** Amazon packages (packageReferenceId) already recorded on a Medusa fulfillment. */
  packages?: string[]
}

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
      ...(typeof i.fulfilled === "number" ? { fulfilled: i.fulfilled } : {}),
      external: i.external ?? 0,
      ...(typeof i.unlined === "number" && i.unlined > 0 ? { unlined: i.unlined } : {}),
      released: i.released ?? 0,
      reservations: Array.isArray(i.reservations) ? i.reservations : [],
    }
  }
  const packages = Array.isArray(value.packages) ? value.packages.filter((p): p is string => typeof p === "string") : []
  return packages.length ? { version: 1, items, packages } : { version: 1, items }
}

/** A variant an Amazon listing maps to, with what the stock plan needs to know about it. */
export interface ResolvedVariant {
  variant_id: string
  /** The variant's product (its shipping profile decides the shipping option of the order). */
  product_id?: string
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
