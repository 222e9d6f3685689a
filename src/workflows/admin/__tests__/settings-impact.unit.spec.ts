import type { VariantStock } from "../../../lib/stock/available-quantity"
import {
  applySettingsPatch,
  countsNoLocation,
  quantitySettingsChanged,
  settingsStockImpact,
  zeroStockProblem,
} from "../lib/settings-impact"
import { nextCronRun } from "../utils/next-run"

const managed = (levels: Record<string, number>): VariantStock => ({
  manage_inventory: true,
  inventory_items: [
    { required_quantity: 1, location_levels: Object.entries(levels).map(([location_id, stocked_quantity]) => ({ location_id, stocked_quantity, reserved_quantity: 0 })) },
  ],
})

/** Ten variants with 5 units in "main", two of them also 3 in "shop", and the FBA location full. */
const stock = new Map<string, VariantStock>(
  Array.from({ length: 10 }, (_, i) => [`v${i}`, managed(i < 2 ? { main: 5, shop: 3, fba: 50 } : { main: 5, fba: 50 })])
)
const listings = [...stock.keys()].map((variant_id, i) => ({ seller_sku: `SKU-${i}`, variant_id, rules: null as unknown }))
const impact = (before: object, after: object, extra: Partial<Parameters<typeof settingsStockImpact>[0]> = {}) =>
  settingsStockImpact({ listings, stock, before, after, fba_location_ids: ["fba"], ...extra })

describe("applySettingsPatch", () => {
  it("sets given keys, removes keys given as null, keeps the others (as the module's merge does)", () => {
    expect(
      applySettingsPatch({ rules: { buffer: 1 }, unmanaged_quantity: 7, fba_location_ids: { DE: "fba" } }, { rules: { max: 3 }, unmanaged_quantity: null })
    ).toEqual({ rules: { max: 3 }, fba_location_ids: { DE: "fba" } })
    expect(applySettingsPatch({ a: 1 }, null)).toEqual({ a: 1 })
  })
})

describe("quantitySettingsChanged / countsNoLocation", () => {
  it.each([
    [{}, {}, false],
    [{ stock_location_ids: ["a", "b"] }, { stock_location_ids: ["b", "a"] }, false],
    [{ rules: { buffer: 1, max: 5 } }, { rules: { max: 5, buffer: 1 } }, false],
    [{ push: { op: "merge" } }, { push: { op: "replace" } }, false],
    [{}, { stock_location_ids: ["a"] }, true],
    [{ rules: { buffer: 1 } }, {}, true],
    [{ unmanaged_quantity: 100 }, { unmanaged_quantity: 0 }, true],
  ])("%j → %j: %s", (before, after, changed) => {
    expect(quantitySettingsChanged(before as any, after as any)).toBe(changed)
  })

  it("flags a change to no counted location, not a change away from it or one that keeps it", () => {
    expect(countsNoLocation({}, { stock_location_ids: [] })).toBe(true)
    expect(countsNoLocation({ stock_location_ids: ["a"] }, { stock_location_ids: [] })).toBe(true)
    expect(countsNoLocation({ stock_location_ids: [] }, { stock_location_ids: [] })).toBe(false)
    expect(countsNoLocation({ stock_location_ids: [] }, {})).toBe(false)
  })
})

describe("settingsStockImpact + zeroStockProblem", () => {
  it("counts listings that have stock now and would get 0, computing quantities as the push does", () => {
    // only "shop" counts: 8 of the 10 stocked listings drop to 0
    const shopOnly = impact({}, { stock_location_ids: ["shop"] })
    expect(shopOnly).toEqual({ listings: 10, stocked_before: 10, zeroed: 8, zeroed_skus: ["SKU-2", "SKU-3", "SKU-4", "SKU-5", "SKU-6"] })
    expect(zeroStockProblem(shopOnly)).toMatch(/^This change would set 8 of the 10 Amazon listings that have stock now to 0 \(SKU-2, SKU-3, SKU-4, SKU-5, SKU-6 and 3 more\).*Send confirm_zero_stock: true/)
    // the FBA location never counts, even when named
    expect(impact({}, { stock_location_ids: ["fba"] }).zeroed).toBe(10)
    // rules that force 0
    expect(impact({}, { rules: { max: 0 } }).zeroed).toBe(10)
    expect(impact({}, { rules: { percentage: 0 } }).zeroed).toBe(10)
    expect(impact({}, { rules: { buffer: 5 } }).zeroed).toBe(8)
    expect(impact({}, { rules: { buffer: 8 } }).zeroed).toBe(10)
    expect(impact({}, { rules: { min: 6 } }).zeroed).toBe(8)
  })

  it("allows a change that zeroes half or fewer, or only listings that are at 0 already", () => {
    const half = impact({}, { stock_location_ids: ["shop"] }, { listings: listings.slice(0, 4) })
    expect(half).toMatchObject({ stocked_before: 4, zeroed: 2 })
    expect(zeroStockProblem(half)).toBeNull()
    // already at 0 with max: 0: nothing more to lose
    const already = impact({ rules: { max: 0 } }, { stock_location_ids: [] })
    expect(already).toMatchObject({ stocked_before: 0, zeroed: 0 })
    expect(zeroStockProblem(already)).toBeNull()
    // one of one is more than half
    expect(zeroStockProblem(impact({}, { rules: { max: 0 } }, { listings: listings.slice(2, 3) }))).toMatch(/set 1 of the 1 /)
  })

  it("uses the listing's own rules over the account's, and leaves out listings with unreadable rules or deleted variants", () => {
    const own = [
      { seller_sku: "OWN", variant_id: "v3", rules: { max: 4 } },
      { seller_sku: "BAD", variant_id: "v4", rules: { max: "lots" } },
      { seller_sku: "GONE", variant_id: "v-deleted", rules: null },
    ]
    // the account's max 0 is overridden by the listing's max 4
    expect(impact({}, { rules: { max: 0 } }, { listings: own })).toEqual({ listings: 1, stocked_before: 1, zeroed: 0, zeroed_skus: [] })
  })

  it("counts unmanaged variants with the unmanaged quantity", () => {
    const unmanaged = new Map<string, VariantStock>([["u", { manage_inventory: false, inventory_items: [] }]])
    const one = [{ seller_sku: "U", variant_id: "u", rules: null }]
    expect(impact({}, { unmanaged_quantity: 0 }, { listings: one, stock: unmanaged }).zeroed).toBe(1)
    expect(impact({}, { stock_location_ids: [] }, { listings: one, stock: unmanaged }).zeroed).toBe(0)
  })
})

describe("nextCronRun", () => {
  it("gives the next firing of the schedule after now, or null for an unreadable one", () => {
    const now = new Date(2026, 5, 1, 14, 31, 20)
    expect(nextCronRun("* * * * *", now)).toBe(new Date(2026, 5, 1, 14, 32, 0).toISOString())
    expect(nextCronRun("*/15 * * * *", now)).toBe(new Date(2026, 5, 1, 14, 45, 0).toISOString())
    expect(nextCronRun("not a cron", now)).toBeNull()
  })
})
