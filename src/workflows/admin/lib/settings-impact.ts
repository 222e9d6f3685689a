/**
 * What an account settings change does to the quantities Amazon shows. Pure (data in, data out), so the
 * thresholds are unit-tested in ms; the steps gather the data in bulk and call these functions.
 */
import {
  applyQuantityRules,
  availableQuantity,
  DEFAULT_UNMANAGED_QUANTITY,
  mergeRules,
  VariantStock,
} from "../../../lib/stock/available-quantity"
import { AccountSettings, QuantityRulesSchema } from "../../../types/account-settings"

/** The settings keys that change the quantity of a listing (the others only tune the push or the import). */
export const QUANTITY_SETTINGS_KEYS = ["stock_location_ids", "rules", "unmanaged_quantity"] as const

/**
 * Phrase every zero-stock refusal contains: the admin recognises the refusal by it (the JS SDK's error
 * keeps only the status and the message) and resends with the flag after asking the merchant.
 */
export const CONFIRM_ZERO_STOCK_FIELD = "confirm_zero_stock"

/** The settings after a top-level patch (a key given as null or undefined is removed), as the module merges them. */
export function applySettingsPatch(before: Record<string, unknown>, patch: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const after: Record<string, unknown> = { ...before }
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null || value === undefined) {
      delete after[key]
    } else {
      after[key] = value
    }
  }
  return after
}

/** JSON with sorted object keys and sorted location ids, so equal settings compare equal. */
function canonical(key: string, value: unknown): string {
  if (key === "stock_location_ids" && Array.isArray(value)) {
    return JSON.stringify([...value].sort())
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
  }
  return JSON.stringify(value ?? null)
}

/** Whether any key that decides listing quantities differs between the two settings. */
export function quantitySettingsChanged(before: AccountSettings, after: AccountSettings): boolean {
  return QUANTITY_SETTINGS_KEYS.some((key) => canonical(key, before[key]) !== canonical(key, after[key]))
}

/**
 * True when the change leaves the account with no counted stock location at all (stock_location_ids: []):
 * every merchant-fulfilled listing then gets 0, whatever stock the store holds.
 */
export function countsNoLocation(before: AccountSettings, after: AccountSettings): boolean {
  return Array.isArray(after.stock_location_ids) && after.stock_location_ids.length === 0 && !(Array.isArray(before.stock_location_ids) && before.stock_location_ids.length === 0)
}

export interface ImpactListing {
  seller_sku: string
  variant_id: string
  /** The listing's own rules (JSON as stored; null = the account's rules). */
  rules: unknown
}

export interface StockImpactInput {
  /** The account's live merchant-fulfilled listings linked to a variant. */
  listings: readonly ImpactListing[]
  /** Stock per variant (stockOfVariants); a variant missing here is deleted and is left out. */
  stock: ReadonlyMap<string, VariantStock>
  before: AccountSettings
  after: AccountSettings
  /** The plugin's FBA locations: never counted, whatever the settings say. */
  fba_location_ids: readonly string[]
}

export interface StockImpact {
  /** Listings measured (linked, variant alive, readable rules). */
  listings: number
  /** Of those, how many have a quantity above 0 with the current settings. */
  stocked_before: number
  /** Of those, how many would get 0 with the new settings. */
  zeroed: number
  /** Some of the zeroed SKUs, for the message. */
  zeroed_skus: string[]
}

/** The quantity the stock push would send for one listing with these settings. */
function listingQuantity(stock: VariantStock, settings: AccountSettings, listingRules: Parameters<typeof mergeRules>[1], exclude: readonly string[]) {
  const base = availableQuantity(
    stock,
    { include: settings.stock_location_ids ?? null, exclude },
    settings.unmanaged_quantity ?? DEFAULT_UNMANAGED_QUANTITY
  )
  return applyQuantityRules(base, mergeRules(settings.rules, listingRules))
}

/**
 * Counts the listings that have stock on Amazon with the current settings and would drop to 0 with the
 * new ones, computing each quantity exactly as the stock push does (counted locations, kits, unmanaged
 * variants, account rules merged with the listing's). Listings with unreadable rules are left out: the
 * push does not send them either.
 */
export function settingsStockImpact(input: StockImpactInput, sampleSize = 5): StockImpact {
  const out: StockImpact = { listings: 0, stocked_before: 0, zeroed: 0, zeroed_skus: [] }
  for (const listing of input.listings) {
    const stock = input.stock.get(listing.variant_id)
    if (!stock) continue
    const rules = listing.rules == null ? null : QuantityRulesSchema.safeParse(listing.rules)
    if (rules && !rules.success) continue
    out.listings++
    const own = rules?.data ?? null
    if (listingQuantity(stock, input.before, own, input.fba_location_ids) <= 0) continue
    out.stocked_before++
    if (listingQuantity(stock, input.after, own, input.fba_location_ids) === 0) {
      out.zeroed++
      if (out.zeroed_skus.length < sampleSize) out.zeroed_skus.push(listing.seller_sku)
    }
  }
  return out
}

/**
 * The refusal for a change that would take most stocked listings to 0, or null when it may go ahead:
 * refused when more than half of the listings that have stock now (and at least one) would show 0.
 */
export function zeroStockProblem(impact: StockImpact): string | null {
  if (impact.zeroed < 1 || impact.zeroed * 2 <= impact.stocked_before) {
    return null
  }
  const more = impact.zeroed - impact.zeroed_skus.length
  const skus = impact.zeroed_skus.join(", ") + (more > 0 ? ` and ${more} more` : "")
  return (
    `This change would set ${impact.zeroed} of the ${impact.stocked_before} Amazon ` +
    `${impact.stocked_before === 1 ? "listing that has" : "listings that have"} stock now to 0 (${skus}): ` +
    `the counted stock locations or quantity rules leave them nothing to sell. ` +
    `Send ${CONFIRM_ZERO_STOCK_FIELD}: true to apply it anyway.`
  )
}

/** The refusal for counting no stock location at all. */
export function noLocationProblem(): string {
  return (
    `Field 'settings.stock_location_ids' is empty: with no stock location counted, Amazon gets 0 for every ` +
    `merchant-fulfilled listing of this account. Send ${CONFIRM_ZERO_STOCK_FIELD}: true to apply it anyway.`
  )
}
