/**
 * How FBA snapshots become inventory levels at the FBA stock location. Pure: data in, data out.
 */
import { MARKETPLACES } from "../endpoints"

/** Why a SKU Amazon reports could not be applied to store stock (null on the row = applied). */
export type FbaSkuIssue =
  /** No listing of this account and marketplace has the SKU. */
  | "unmapped"
  /** The SKU is listed, but only as merchant-fulfilled: FBA stock is not attributed to that listing. */
  | "merchant_only"
  /** The Amazon-fulfilled listing exists but is linked to no variant. */
  | "no_variant"
  /** The variant does not manage inventory (or has no inventory item): there is no level to set. */
  | "no_inventory_item"

export interface FbaListingCandidate {
  id: string
  fulfillment_channel: "MERCHANT" | "AMAZON" | string
}

export interface FbaVariantInventory {
  variant_id: string
  manage_inventory: boolean
  items: { inventory_item_id: string; required_quantity: number }[]
}

export interface FbaSkuMapping {
  listing_id: string | null
  variant_id: string | null
  issue: FbaSkuIssue | null
  items: { inventory_item_id: string; required_quantity: number }[]
}

/**
 * Maps one SKU Amazon reports to the store. Only the AMAZON-channel listing counts: a SKU sold both
 * merchant- and Amazon-fulfilled has two listing rows and each channel is handled on its own (the stock
 * push owns the MERCHANT one).
 */
export function classifyFbaSku(
  listings: FbaListingCandidate[],
  variantOfListing: (listingId: string) => FbaVariantInventory | undefined
): FbaSkuMapping {
  const fba = listings.find((l) => l.fulfillment_channel === "AMAZON")
  if (!fba) {
    return {
      listing_id: null,
      variant_id: null,
      issue: listings.length ? "merchant_only" : "unmapped",
      items: [],
    }
  }
  const variant = variantOfListing(fba.id)
  if (!variant) {
    return { listing_id: fba.id, variant_id: null, issue: "no_variant", items: [] }
  }
  const items = variant.items.filter((i) => i.inventory_item_id)
  if (!variant.manage_inventory || !items.length) {
    return { listing_id: fba.id, variant_id: variant.variant_id, issue: "no_inventory_item", items: [] }
  }
  return { listing_id: fba.id, variant_id: variant.variant_id, issue: null, items }
}

export interface FbaContribution {
  seller_sku: string
  inventory_item_id: string
  /** Units of the inventory item in one unit of the SKU (kits / multipacks). */
  required_quantity: number
}

/**
 * The stocked quantity each inventory item should have at the FBA location: the sum, over the Amazon-
 * fulfilled SKUs that contain it, of fulfillable × required quantity. Usually one SKU ↔ one item ↔ 1.
 * An item with any contributing SKU of unknown fulfillable quantity (null) is left out: unknown is not 0.
 * A SKU with no snapshot at all contributes 0 (Amazon holds none of it).
 */
export function computeFbaLevelTargets(
  contributions: FbaContribution[],
  fulfillableBySku: ReadonlyMap<string, number | null>
): { targets: Map<string, number>; unknown: Set<string> } {
  const targets = new Map<string, number>()
  const unknown = new Set<string>()
  for (const c of contributions) {
    const has = fulfillableBySku.has(c.seller_sku)
    const fulfillable = has ? fulfillableBySku.get(c.seller_sku) : 0
    if (fulfillable === null || fulfillable === undefined) {
      unknown.add(c.inventory_item_id)
      continue
    }
    const required = Number.isFinite(c.required_quantity) && c.required_quantity > 0 ? c.required_quantity : 1
    targets.set(c.inventory_item_id, (targets.get(c.inventory_item_id) ?? 0) + fulfillable * required)
  }
  for (const id of unknown) {
    targets.delete(id)
  }
  return { targets, unknown }
}

export interface ExistingLevel {
  id?: string
  inventory_item_id: string
  stocked_quantity: number
}

export interface FbaLevelPlan {
  create: { inventory_item_id: string; stocked_quantity: number }[]
  update: { inventory_item_id: string; stocked_quantity: number }[]
  unchanged: number
}

/**
 * What to write at the FBA location. Levels already at their target are left alone so an unchanged
 * snapshot emits no inventory-level event (and wakes no stock push). With `zeroOthers` (a full scan)
 * every other level at the location goes to 0 (the location holds exactly what Amazon reports), except
 * the items in `keep` (their target is unknown, which is not 0).
 */
export function planFbaLevelChanges(
  targets: ReadonlyMap<string, number>,
  existing: ExistingLevel[],
  options: { zeroOthers: boolean; keep?: ReadonlySet<string> }
): FbaLevelPlan {
  const byItem = new Map(existing.map((l) => [l.inventory_item_id, l]))
  const plan: FbaLevelPlan = { create: [], update: [], unchanged: 0 }
  for (const [inventory_item_id, stocked_quantity] of [...targets.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const level = byItem.get(inventory_item_id)
    if (!level) {
      plan.create.push({ inventory_item_id, stocked_quantity })
    } else if (Number(level.stocked_quantity) !== stocked_quantity) {
      plan.update.push({ inventory_item_id, stocked_quantity })
    } else {
      plan.unchanged += 1
    }
  }
  if (options.zeroOthers) {
    for (const level of existing) {
      if (!targets.has(level.inventory_item_id) && !options.keep?.has(level.inventory_item_id)) {
        if (Number(level.stocked_quantity) !== 0) {
          plan.update.push({ inventory_item_id: level.inventory_item_id, stocked_quantity: 0 })
        } else {
          plan.unchanged += 1
        }
      }
    }
  }
  return plan
}

/** "Amazon FBA (DE)"; the marketplace id when the marketplace is unknown. */
export function fbaLocationName(marketplaceId: string): string {
  return `Amazon FBA (${MARKETPLACES[marketplaceId]?.country ?? marketplaceId})`
}

/** ISO country code (lower case, as Medusa stores it) of a marketplace, when known. */
export function fbaLocationCountry(marketplaceId: string): string | undefined {
  return MARKETPLACES[marketplaceId]?.country.toLowerCase()
}
