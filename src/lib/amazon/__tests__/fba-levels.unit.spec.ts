import {
  classifyFbaSku,
  computeFbaLevelTargets,
  fbaLocationCountry,
  fbaLocationName,
  FbaVariantInventory,
  planFbaLevelChanges,
} from "../fba/levels"

const variant = (id: string, items: [string, number][], manage = true): FbaVariantInventory => ({
  variant_id: id,
  manage_inventory: manage,
  items: items.map(([inventory_item_id, required_quantity]) => ({ inventory_item_id, required_quantity })),
})

describe("classifyFbaSku", () => {
  const variants: Record<string, FbaVariantInventory> = {
    lst_fba: variant("var_1", [["iitem_1", 1]]),
    lst_unmanaged: variant("var_2", [], false),
  }
  const of = (id: string) => variants[id]

  it.each([
    ["no listing", [], { listing_id: null, variant_id: null, issue: "unmapped" }],
    ["merchant listing only", [{ id: "lst_mfn", fulfillment_channel: "MERCHANT" }], { listing_id: null, issue: "merchant_only" }],
    [
      "merchant + amazon: the AMAZON row wins",
      [
        { id: "lst_mfn", fulfillment_channel: "MERCHANT" },
        { id: "lst_fba", fulfillment_channel: "AMAZON" },
      ],
      { listing_id: "lst_fba", variant_id: "var_1", issue: null, items: [{ inventory_item_id: "iitem_1", required_quantity: 1 }] },
    ],
    ["amazon listing without variant", [{ id: "lst_orphan", fulfillment_channel: "AMAZON" }], { listing_id: "lst_orphan", issue: "no_variant" }],
    [
      "variant without managed inventory",
      [{ id: "lst_unmanaged", fulfillment_channel: "AMAZON" }],
      { listing_id: "lst_unmanaged", variant_id: "var_2", issue: "no_inventory_item" },
    ],
  ])("%s", (_name, listings, expected) => {
    expect(classifyFbaSku(listings, of)).toMatchObject(expected)
  })
})

describe("computeFbaLevelTargets", () => {
  it("sums fulfillable × required quantity per inventory item", () => {
    const { targets, unknown } = computeFbaLevelTargets(
      [
        { seller_sku: "SINGLE", inventory_item_id: "iitem_1", required_quantity: 1 },
        { seller_sku: "TWO-PACK", inventory_item_id: "iitem_1", required_quantity: 2 },
        { seller_sku: "OTHER", inventory_item_id: "iitem_2", required_quantity: 1 },
        { seller_sku: "NEVER-SEEN", inventory_item_id: "iitem_3", required_quantity: 1 },
      ],
      new Map([
        ["SINGLE", 5],
        ["TWO-PACK", 3],
        ["OTHER", 0],
      ])
    )
    expect(Object.fromEntries(targets)).toEqual({ iitem_1: 11, iitem_2: 0, iitem_3: 0 })
    expect(unknown.size).toBe(0)
  })

  it("leaves an item out when one of its SKUs has an unknown quantity", () => {
    const { targets, unknown } = computeFbaLevelTargets(
      [
        { seller_sku: "A", inventory_item_id: "iitem_1", required_quantity: 1 },
        { seller_sku: "B", inventory_item_id: "iitem_1", required_quantity: 1 },
      ],
      new Map<string, number | null>([
        ["A", 4],
        ["B", null],
      ])
    )
    expect(targets.size).toBe(0)
    expect([...unknown]).toEqual(["iitem_1"])
  })
})

describe("planFbaLevelChanges", () => {
  const existing = [
    { inventory_item_id: "iitem_same", stocked_quantity: 4 },
    { inventory_item_id: "iitem_changed", stocked_quantity: 4 },
    { inventory_item_id: "iitem_stale", stocked_quantity: 9 },
    { inventory_item_id: "iitem_unknown", stocked_quantity: 2 },
  ]
  const targets = new Map([
    ["iitem_same", 4],
    ["iitem_changed", 7],
    ["iitem_new", 3],
  ])

  it("creates missing levels, updates changed ones and leaves equal ones alone", () => {
    expect(planFbaLevelChanges(targets, existing, { zeroOthers: false })).toEqual({
      create: [{ inventory_item_id: "iitem_new", stocked_quantity: 3 }],
      update: [{ inventory_item_id: "iitem_changed", stocked_quantity: 7 }],
      unchanged: 1,
    })
  })

  it("a full scan zeroes levels Amazon no longer reports, but not unknown ones", () => {
    const plan = planFbaLevelChanges(targets, existing, { zeroOthers: true, keep: new Set(["iitem_unknown"]) })
    expect(plan.update).toEqual([
      { inventory_item_id: "iitem_changed", stocked_quantity: 7 },
      { inventory_item_id: "iitem_stale", stocked_quantity: 0 },
    ])
  })
})

describe("fbaLocationName", () => {
  it.each([
    ["A1PA6795UKMFR9", "Amazon FBA (DE)", "de"],
    ["A1F83G8C2ARO7P", "Amazon FBA (GB)", "gb"],
    ["AXXXUNKNOWN", "Amazon FBA (AXXXUNKNOWN)", undefined],
  ])("%s", (id, name, country) => {
    expect(fbaLocationName(id)).toBe(name)
    expect(fbaLocationCountry(id)).toBe(country)
  })
})
