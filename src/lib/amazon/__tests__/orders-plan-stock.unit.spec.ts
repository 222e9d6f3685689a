import { chooseLocation, fillReservationIds, planStockChanges } from "../orders/plan-stock"
import type { CurrentReservation, StockPlan, StockPlanInput, StockPlanItem } from "../orders/plan-stock"
import type { AppliedState, ResolvedVariant } from "../orders/types"

const variant = (available = 10, levels = ["sloc_a"]): ResolvedVariant => ({
  variant_id: "variant_1",
  listing_id: "amzlst_1",
  product_status: "published",
  manage_inventory: true,
  inventory: [{ inventory_item_id: "iitem_1", required_quantity: 1, levels: levels.map((location_id) => ({ location_id, available })) }],
})

const item = (over: Partial<StockPlanItem> = {}): StockPlanItem => ({
  order_item_id: "oi_1",
  seller_sku: "SKU-1",
  quantity_ordered: 3,
  quantity_shipped: 0,
  cancelled: false,
  variant: variant(),
  line_item_id: null,
  ...over,
})

/**
 * A tiny inventory: one level, stocked 10. Applies a plan the way the workflow does (reservations
 * created/updated/deleted, levels adjusted) so each test can assert stocked / reserved / available.
 */
class Store {
  stocked = 10
  reservations = new Map<string, CurrentReservation>()
  private seq = 0

  get reserved() {
    return [...this.reservations.values()].reduce((s, r) => s + r.quantity, 0)
  }

  get available() {
    return this.stocked - this.reserved
  }

  apply(plan: StockPlan): AppliedState {
    for (const a of plan.adjust) this.stocked += a.adjustment
    for (const u of plan.update) this.reservations.get(u.id)!.quantity = u.quantity
    for (const id of plan.delete) this.reservations.delete(id)
    const created = plan.create.map((c) => {
      const id = `res_${++this.seq}`
      this.reservations.set(id, { id, inventory_item_id: c.inventory_item_id, location_id: c.location_id, quantity: c.quantity, line_item_id: c.line_item_id ?? null })
      return { id, inventory_item_id: c.inventory_item_id, metadata: c.metadata }
    })
    return fillReservationIds(plan.applied, created)
  }

  step(applied: AppliedState, over: Partial<StockPlanInput>): { plan: StockPlan; applied: AppliedState } {
    const plan = planStockChanges({
      amazon_order_id: "111-1",
      status: "UNSHIPPED",
      fulfilled_by: "MERCHANT",
      items: [item()],
      applied,
      reservations: Object.fromEntries(this.reservations),
      location_ids: ["sloc_a"],
      ...over,
    })
    return { plan, applied: this.apply(plan) }
  }
}

const empty: AppliedState = { version: 1, items: {} }

describe("planStockChanges", () => {
  it("PENDING → UNSHIPPED → PARTIALLY_SHIPPED → SHIPPED: reserve, keep, then move shipped units out exactly once", () => {
    const store = new Store()
    let s = store.step(empty, { status: "PENDING" })
    expect(s.plan.variant_ids).toEqual(["variant_1"])
    expect([store.stocked, store.reserved, store.available]).toEqual([10, 3, 7])
    expect(s.plan.create[0]).toMatchObject({ location_id: "sloc_a", quantity: 3, allow_backorder: true, external_id: "111-1" })

    // The Medusa order now exists: the reservation is re-tied to its line item, availability unchanged.
    s = store.step(s.applied, { status: "UNSHIPPED", items: [item({ line_item_id: "ordli_1" })] })
    expect([store.stocked, store.reserved, store.available]).toEqual([10, 3, 7])
    expect([...store.reservations.values()].map((r) => r.line_item_id)).toEqual(["ordli_1"])
    expect(s.plan.variant_ids).toEqual([])

    // Replaying the same version changes nothing.
    const replay = store.step(s.applied, { status: "UNSHIPPED", items: [item({ line_item_id: "ordli_1" })] })
    expect([replay.plan.create, replay.plan.update, replay.plan.delete, replay.plan.adjust]).toEqual([[], [], [], []])

    s = store.step(s.applied, { status: "PARTIALLY_SHIPPED", items: [item({ line_item_id: "ordli_1", quantity_shipped: 1 })] })
    expect([store.stocked, store.reserved, store.available]).toEqual([9, 2, 7])
    expect(s.applied.items.oi_1).toMatchObject({ shipped: 1, reserved: 2 })

    // The same partial shipment reported again (overlapping window) is not decremented twice.
    s = store.step(s.applied, { status: "PARTIALLY_SHIPPED", items: [item({ line_item_id: "ordli_1", quantity_shipped: 1 })] })
    expect([store.stocked, store.reserved, store.available]).toEqual([9, 2, 7])

    s = store.step(s.applied, { status: "SHIPPED", items: [item({ line_item_id: "ordli_1", quantity_shipped: 3 })] })
    expect([store.stocked, store.reserved, store.available]).toEqual([7, 0, 7])
    expect(s.applied.items.oi_1).toMatchObject({ shipped: 3, reserved: 0, reservations: [] })
  })

  it("PENDING → CANCELLED gives the reserved units back", () => {
    const store = new Store()
    let s = store.step(empty, { status: "PENDING" })
    expect(store.available).toBe(7)
    s = store.step(s.applied, { status: "CANCELLED" })
    expect([store.stocked, store.reserved, store.available]).toEqual([10, 0, 10])
    expect(s.applied.items.oi_1).toMatchObject({ reserved: 0, released: 3 })
    expect(s.plan.variant_ids).toEqual(["variant_1"])
  })

  it("an order first seen SHIPPED decrements stock once, without a reservation", () => {
    const store = new Store()
    const s = store.step(empty, { status: "SHIPPED", items: [item({ quantity_shipped: 3 })] })
    expect([store.stocked, store.reserved, store.available]).toEqual([7, 0, 7])
    expect(s.plan.create).toEqual([])
  })

  it("an order first seen PARTIALLY_SHIPPED decrements the shipped units and reserves the rest", () => {
    const store = new Store()
    store.step(empty, { status: "PARTIALLY_SHIPPED", items: [item({ quantity_shipped: 1 })] })
    expect([store.stocked, store.reserved, store.available]).toEqual([9, 2, 7])
  })

  it("Amazon-fulfilled orders never touch the merchant's stock", () => {
    const store = new Store()
    let s = store.step(empty, { status: "UNSHIPPED", fulfilled_by: "AMAZON" })
    s = store.step(s.applied, { status: "SHIPPED", fulfilled_by: "AMAZON", items: [item({ quantity_shipped: 3 })] })
    expect([store.stocked, store.reserved]).toEqual([10, 0])
    expect(s.plan.variant_ids).toEqual([])
  })

  it("a unit fulfilled in the store (its reservation consumed) is not decremented again when Amazon ships it", () => {
    const store = new Store()
    let s = store.step(empty, { status: "UNSHIPPED", items: [item({ line_item_id: "ordli_1" })] })
    // Medusa's own fulfillment of 1 unit: stocked − 1 and the reservation shrinks by 1.
    store.stocked -= 1
    ;[...store.reservations.values()][0].quantity = 2
    s = store.step(s.applied, { status: "PARTIALLY_SHIPPED", items: [item({ line_item_id: "ordli_1", quantity_shipped: 1 })] })
    expect([store.stocked, store.reserved, store.available]).toEqual([9, 2, 7])
    s = store.step(s.applied, { status: "SHIPPED", items: [item({ line_item_id: "ordli_1", quantity_shipped: 3 })] })
    expect([store.stocked, store.reserved, store.available]).toEqual([7, 0, 7])
  })

  it("an item cancelled alone releases its own reservation only", () => {
    const store = new Store()
    const two = [item(), item({ order_item_id: "oi_2", quantity_ordered: 2 })]
    let s = store.step(empty, { status: "UNSHIPPED", items: two })
    expect(store.reserved).toBe(5)
    s = store.step(s.applied, { status: "UNSHIPPED", items: [item(), item({ order_item_id: "oi_2", quantity_ordered: 2, cancelled: true })] })
    expect(store.reserved).toBe(3)
    expect(s.applied.items.oi_2.reserved).toBe(0)
  })

  it("reserves with backorder when the store is short, so availability goes negative instead of failing", () => {
    const store = new Store()
    store.stocked = 1
    store.step(empty, { status: "UNSHIPPED", items: [item({ variant: variant(1) })] })
    expect(store.available).toBe(-2)
  })

  it("reserves kit components by their required quantity", () => {
    const store = new Store()
    const kit: ResolvedVariant = {
      ...variant(),
      inventory: [
        { inventory_item_id: "iitem_1", required_quantity: 2, levels: [{ location_id: "sloc_a", available: 10 }] },
        { inventory_item_id: "iitem_2", required_quantity: 1, levels: [{ location_id: "sloc_a", available: 10 }] },
      ],
    }
    const s = store.step(empty, { status: "SHIPPED", items: [item({ variant: kit, quantity_shipped: 3 })] })
    expect(s.plan.adjust).toEqual([
      { inventory_item_id: "iitem_1", location_id: "sloc_a", adjustment: -6 },
      { inventory_item_id: "iitem_2", location_id: "sloc_a", adjustment: -3 },
    ])
  })

  it("warns and applies nothing when no counted location stocks the variant", () => {
    const store = new Store()
    const s = store.step(empty, { status: "UNSHIPPED", location_ids: ["sloc_other"] })
    expect(s.plan.warnings).toEqual([expect.objectContaining({ code: "NO_STOCK_LOCATION", seller_sku: "SKU-1" })])
    expect(store.reserved).toBe(0)
    expect(s.applied.items.oi_1).toMatchObject({ reserved: 0, shipped: 0, location_id: null })
  })

  it("does not reserve unmanaged variants", () => {
    const store = new Store()
    const s = store.step(empty, { status: "UNSHIPPED", items: [item({ variant: { ...variant(), manage_inventory: false } })] })
    expect(s.plan.create).toEqual([])
  })
})

describe("chooseLocation", () => {
  const v: ResolvedVariant = {
    ...variant(),
    inventory: [{ inventory_item_id: "i", required_quantity: 1, levels: [{ location_id: "a", available: 1 }, { location_id: "b", available: 5 }] }],
  }
  it("prefers the first location with enough available, then the first with a level", () => {
    expect(chooseLocation(v, ["a", "b"], 1)).toBe("a")
    expect(chooseLocation(v, ["a", "b"], 3)).toBe("b")
    expect(chooseLocation(v, ["a", "b"], 9)).toBe("a")
    expect(chooseLocation(v, ["c"], 1)).toBeNull()
  })
})
