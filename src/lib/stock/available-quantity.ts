/**
 * The quantity a store can offer on Amazon for one listing, from Medusa's inventory data.
 *
 * Pure: data in, number out (no Medusa imports, no clock, no I/O), so the rules are unit-tested in ms and
 * the workflow step only gathers the data in bulk and calls these functions.
 */
import type { QuantityRules } from "../../types/account-settings"

/** Default quantity for variants that do not manage inventory (settings.unmanaged_quantity). */
export const DEFAULT_UNMANAGED_QUANTITY = 100

export interface LocationLevel {
  location_id: string
  stocked_quantity: number | string | null | undefined
  reserved_quantity: number | string | null | undefined
}

/** One inventory item of a variant: several of them (with required quantities) make a kit. */
export interface VariantInventoryItem {
  required_quantity: number | string | null | undefined
  location_levels: LocationLevel[]
}

export interface VariantStock {
  manage_inventory: boolean
  inventory_items: VariantInventoryItem[]
}

export interface CountedLocations {
  /** Only these locations count. null/undefined = every location except `exclude`. */
  include?: readonly string[] | null
  /** Never counted (the plugin's FBA locations: that stock is in Amazon's warehouses, not ours). */
  exclude?: readonly string[]
}

function num(value: number | string | null | undefined): number {
  const n = typeof value === "string" ? Number(value) : value ?? 0
  return Number.isFinite(n) ? (n as number) : 0
}

function counted(locationId: string, locations: CountedLocations): boolean {
  if (locations.exclude?.includes(locationId)) {
    return false
  }
  return locations.include == null || locations.include.includes(locationId)
}

/**
 * Sellable units of a variant before the rules: for each inventory item, the sum over the counted
 * locations of (stocked − reserved); then the number of whole kits those items make (one item with
 * required quantity 1 is just its availability). Never negative, never fractional.
 */
export function availableQuantity(
  variant: VariantStock,
  locations: CountedLocations,
  unmanagedQuantity: number = DEFAULT_UNMANAGED_QUANTITY
): number {
  if (!variant.manage_inventory) {
    return Math.max(0, Math.floor(unmanagedQuantity))
  }
  // A managed variant with no inventory item has nothing to sell: Medusa would refuse the order too.
  if (!variant.inventory_items.length) {
    return 0
  }
  let kits = Number.POSITIVE_INFINITY
  for (const item of variant.inventory_items) {
    let available = 0
    for (const level of item.location_levels) {
      if (counted(level.location_id, locations)) {
        available += num(level.stocked_quantity) - num(level.reserved_quantity)
      }
    }
    const required = num(item.required_quantity) || 1
    kits = Math.min(kits, Math.floor(Math.max(0, available) / required))
  }
  return Math.max(0, kits)
}

/** Listing rules override the account's, field by field. */
export function mergeRules(account: QuantityRules | undefined | null, listing: QuantityRules | undefined | null): QuantityRules {
  const out: QuantityRules = { ...(account ?? {}) }
  for (const [key, value] of Object.entries(listing ?? {})) {
    if (value !== undefined && value !== null) {
      ;(out as Record<string, number>)[key] = value as number
    }
  }
  return out
}

/**
 * The account/listing quantity rules, in this order: subtract the buffer, take the percentage (floored),
 * cap at the maximum, 0 when below the minimum, never negative.
 */
export function applyQuantityRules(quantity: number, rules: QuantityRules = {}): number {
  let q = Math.floor(quantity)
  if (rules.buffer !== undefined) {
    q -= rules.buffer
  }
  if (rules.percentage !== undefined) {
    q = Math.floor((Math.max(0, q) * rules.percentage) / 100)
  }
  if (rules.max !== undefined) {
    q = Math.min(q, rules.max)
  }
  if (rules.min !== undefined && q < rules.min) {
    q = 0
  }
  return Math.max(0, q)
}
