import { applyQuantityRules, availableQuantity, mergeRules } from "../available-quantity"

const level = (location_id: string, stocked: number, reserved = 0) => ({
  location_id,
  stocked_quantity: stocked,
  reserved_quantity: reserved,
})

describe("availableQuantity", () => {
  it("sums stocked − reserved over every location by default", () => {
    const v = { manage_inventory: true, inventory_items: [{ required_quantity: 1, location_levels: [level("a", 10, 2), level("b", 3)] }] }
    expect(availableQuantity(v, {})).toBe(11)
  })

  it("counts only the account's locations, and never excluded (FBA) ones", () => {
    const v = { manage_inventory: true, inventory_items: [{ required_quantity: 1, location_levels: [level("a", 10), level("b", 3), level("fba", 40)] }] }
    expect(availableQuantity(v, { include: ["b"] })).toBe(3)
    expect(availableQuantity(v, { exclude: ["fba"] })).toBe(13)
    expect(availableQuantity(v, { include: ["a", "fba"], exclude: ["fba"] })).toBe(10)
  })

  it("makes whole kits: the scarcest component decides", () => {
    const kit = {
      manage_inventory: true,
      inventory_items: [
        { required_quantity: 2, location_levels: [level("a", 9)] }, // 4 kits
        { required_quantity: 1, location_levels: [level("a", 5, 2), level("b", 4)] }, // 7 kits
        { required_quantity: "3", location_levels: [level("a", 20)] }, // 6 kits (bigNumber strings)
      ],
    }
    expect(availableQuantity(kit, {})).toBe(4)
  })

  it("never goes negative when reservations exceed stock", () => {
    const v = { manage_inventory: true, inventory_items: [{ required_quantity: 1, location_levels: [level("a", 1, 3)] }] }
    expect(availableQuantity(v, {})).toBe(0)
  })

  it("uses the configured default for variants that do not manage inventory", () => {
    expect(availableQuantity({ manage_inventory: false, inventory_items: [] }, {})).toBe(100)
    expect(availableQuantity({ manage_inventory: false, inventory_items: [] }, {}, 7)).toBe(7)
  })

  it("has nothing to sell for a managed variant without inventory items", () => {
    expect(availableQuantity({ manage_inventory: true, inventory_items: [] }, {})).toBe(0)
  })
})

describe("applyQuantityRules", () => {
  it.each([
    [10, {}, 10],
    [10, { buffer: 3 }, 7],
    [2, { buffer: 3 }, 0],
    [10, { percentage: 50 }, 5],
    [7, { percentage: 50 }, 3], // floor
    [10, { buffer: 2, percentage: 50 }, 4], // buffer first
    [100, { max: 20 }, 20],
    [100, { percentage: 50, max: 20 }, 20],
    [4, { min: 5 }, 0],
    [5, { min: 5 }, 5],
    [12, { buffer: 2, percentage: 50, max: 4, min: 5 }, 0], // 12-2=10 → 5 → cap 4 → below min 5 → 0
    [0, { percentage: 100 }, 0],
  ])("%p with %j → %p", (quantity, rules, expected) => {
    expect(applyQuantityRules(quantity, rules)).toBe(expected)
  })
})

describe("mergeRules", () => {
  it("lets a listing override the account field by field", () => {
    expect(mergeRules({ buffer: 2, max: 10 }, { max: 3 })).toEqual({ buffer: 2, max: 3 })
    expect(mergeRules(undefined, { percentage: 50 })).toEqual({ percentage: 50 })
    expect(mergeRules({ min: 1 }, null)).toEqual({ min: 1 })
  })
})
