import { applyQuantityRules, availableQuantity, mergeRules } from "../available-quantity"
import { describeQuantityChain, explainListingQuantity } from "../explain-quantity"
import type { QuantityRules } from "../../../types/account-settings"

const level = (location_id: string, stocked: number, reserved = 0) => ({ location_id, stocked_quantity: stocked, reserved_quantity: reserved })
const tee = { manage_inventory: true, inventory_items: [{ required_quantity: 1, location_levels: [level("berlin", 10, 1), level("hamburg", 3), level("fba", 40)] }] }

describe("explainListingQuantity", () => {
  it("names the counted levels and why the others are left out", () => {
    const e = explainListingQuantity({ stock: tee, locations: { include: ["berlin", "fba"], exclude: ["fba"] } })
    expect(e.items[0].levels).toEqual([
      { location_id: "berlin", stocked: 10, reserved: 1, counted: true, excluded_because: null },
      { location_id: "hamburg", stocked: 3, reserved: 0, counted: false, excluded_because: "not_selected" },
      { location_id: "fba", stocked: 40, reserved: 0, counted: false, excluded_because: "fba" },
    ])
    expect(e).toMatchObject({ available: 9, quantity: 9, rules: [] })
    expect(describeQuantityChain(e)).toBe("9 in stock at 1 location")
  })

  it("applies the rules in the push's order, says where each comes from and which one decided", () => {
    const e = explainListingQuantity({
      stock: tee,
      locations: { exclude: ["fba"] },
      account_rules: { buffer: 1, max: 100 },
      listing_rules: { percentage: 50, max: 5 },
    })
    expect(e.available).toBe(12)
    expect(e.rules).toEqual([
      { rule: "buffer", value: 1, source: "account", overrides: null, before: 12, after: 11, decided: false },
      { rule: "percentage", value: 50, source: "listing", overrides: null, before: 11, after: 5, decided: true },
      { rule: "max", value: 5, source: "listing", overrides: 100, before: 5, after: 5, decided: false },
    ])
    expect(e.quantity).toBe(5)
    expect(describeQuantityChain(e)).toBe("12 in stock at 2 locations − buffer 1, × 50 % → 5")
  })

  it("a minimum that is not reached sends 0 and decides", () => {
    const e = explainListingQuantity({ stock: tee, locations: { exclude: ["fba"] }, account_rules: { buffer: 2, min: 20 } })
    expect(e.rules.map((r) => [r.rule, r.after, r.decided])).toEqual([
      ["buffer", 10, false],
      ["min", 0, true],
    ])
    expect(describeQuantityChain(e)).toBe("12 in stock at 2 locations − buffer 2, min 20 → 0")
  })

  it("explains kits and variants that do not manage inventory", () => {
    const kit = {
      manage_inventory: true,
      inventory_items: [
        { required_quantity: 2, location_levels: [level("a", 9)] },
        { required_quantity: 1, location_levels: [level("a", 5), level("b", 4)] },
      ],
    }
    const e = explainListingQuantity({ stock: kit, locations: {} })
    expect(e.items.map((i) => [i.required_quantity, i.available])).toEqual([
      [2, 9],
      [1, 9],
    ])
    expect(describeQuantityChain(e)).toBe("4 kits from 2 items")
    const free = explainListingQuantity({ stock: { manage_inventory: false, inventory_items: [] }, locations: {}, unmanaged_quantity: 25, account_rules: { buffer: 5 } })
    expect(free).toMatchObject({ available: 25, quantity: 20, items: [] })
    expect(describeQuantityChain(free)).toBe("25 (the variant does not manage inventory) − buffer 5 → 20")
  })

  // The explanation must never disagree with the number the push sends.
  it.each<[QuantityRules | null, QuantityRules | null]>([
    [null, null],
    [{ buffer: 3 }, null],
    [{ buffer: 20 }, { min: 1 }],
    [{ percentage: 33 }, { max: 2 }],
    [{ buffer: 1, percentage: 80, max: 7, min: 2 }, { buffer: 0 }],
    [{ max: 0 }, { percentage: 100 }],
  ])("quantity and the last rule step equal the push's computation (account %j, listing %j)", (account, listing) => {
    const locations = { include: null, exclude: ["fba"] }
    const e = explainListingQuantity({ stock: tee, locations, account_rules: account, listing_rules: listing })
    const pushed = applyQuantityRules(availableQuantity(tee, locations), mergeRules(account, listing))
    expect(e.quantity).toBe(pushed)
    expect(e.rules.length ? e.rules[e.rules.length - 1].after : e.available).toBe(pushed)
  })
})
