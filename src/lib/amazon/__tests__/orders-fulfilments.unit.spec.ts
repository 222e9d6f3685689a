import { readFileSync } from "node:fs"
import { join } from "node:path"
import { groupFulfilments } from "../orders/plan-fulfilments"
import { adoptReplacedReservations, fillReservationIds, planStockChanges, shippingLocationOf } from "../orders/plan-stock"
import type { CurrentReservation, PlannedFulfilment, StockPlan, StockPlanInput, StockPlanItem } from "../orders/plan-stock"
import { buildMedusaOrderInput } from "../orders/build-order-input"
import type { AppliedState, ResolvedVariant } from "../orders/types"
import { readApplied } from "../orders/types"
import { parseOrder } from "../parsers/parse-order"
import { OrderParseError } from "../parsers/payload-reader"

const variant = (over: Partial<ResolvedVariant> = {}): ResolvedVariant => ({
  variant_id: "variant_1",
  product_id: "prod_1",
  listing_id: "amzlst_1",
  product_status: "published",
  manage_inventory: true,
  inventory: [{ inventory_item_id: "iitem_1", required_quantity: 1, levels: [{ location_id: "sloc_a", available: 10 }] }],
  ...over,
})

/** An item of an order whose Medusa order exists: line item ordli_1, `fulfilled` units shown fulfilled in Medusa. */
const item = (over: Partial<StockPlanItem> = {}): StockPlanItem => ({
  order_item_id: "oi_1",
  seller_sku: "SKU-1",
  quantity_ordered: 3,
  quantity_shipped: 0,
  cancelled: false,
  variant: variant(),
  line_item_id: "ordli_1",
  fulfilled_in_medusa: 0,
  medusa_fulfilment: true,
  ...over,
})

/**
 * One level (stocked 10) and Medusa's fulfilled quantity of ordli_1. `apply` runs a plan as the workflow
 * does: reservations and adjustments, then the fulfillments — through Medusa's workflow (consumes the
 * reservation and decrements the level) or recorded by the import (no stock).
 */
class Store {
  stocked = 10
  fulfilled = 0
  reservations = new Map<string, CurrentReservation>()
  private seq = 0

  get reserved() {
    return [...this.reservations.values()].reduce((s, r) => s + r.quantity, 0)
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
    for (const f of plan.fulfil) {
      if (f.via === "medusa") this.medusaFulfil(f.line_item_id, f.quantity)
      else this.fulfilled += f.quantity
    }
    return fillReservationIds(plan.applied, created)
  }

  /** createOrderFulfillmentWorkflow: needs a reservation holding the units, consumes it, decrements stock. */
  medusaFulfil(lineItemId: string, quantity: number) {
    const r = [...this.reservations.values()].find((x) => x.line_item_id === lineItemId)
    if (!r || r.quantity < quantity) throw new Error("No stock reservation found / quantity exceeds the reservation")
    r.quantity -= quantity
    if (r.quantity === 0) this.reservations.delete(r.id)
    this.stocked -= quantity
    this.fulfilled += quantity
  }

  step(applied: AppliedState, over: Partial<StockPlanInput> & { item?: Partial<StockPlanItem> }) {
    const { item: itemOver, ...rest } = over
    const plan = planStockChanges({
      amazon_order_id: "111-1",
      status: "UNSHIPPED",
      fulfilled_by: "MERCHANT",
      items: [item({ fulfilled_in_medusa: this.fulfilled, ...itemOver })],
      applied,
      reservations: Object.fromEntries(this.reservations),
      location_ids: ["sloc_a"],
      ...rest,
    })
    return { plan, applied: this.apply(plan) }
  }

  get levels() {
    return { stocked: this.stocked, reserved: this.reserved, fulfilled: this.fulfilled }
  }
}

const empty: AppliedState = { version: 1, items: {} }

describe("planStockChanges once the Medusa order exists", () => {
  it("keeps shipped units reserved for Medusa's own fulfillment, which moves the stock: the plan decrements nothing itself", () => {
    const store = new Store()
    let s = store.step(empty, {})
    expect(store.levels).toEqual({ stocked: 10, reserved: 3, fulfilled: 0 })

    s = store.step(s.applied, { status: "PARTIALLY_SHIPPED", item: { quantity_shipped: 1 } })
    expect(s.plan.adjust).toEqual([])
    expect(s.plan.fulfil).toEqual([expect.objectContaining({ line_item_id: "ordli_1", quantity: 1, via: "medusa", stock_moved: false, location_id: "sloc_a" })])
    expect(store.levels).toEqual({ stocked: 9, reserved: 2, fulfilled: 1 })
    expect(s.applied.items.oi_1).toMatchObject({ shipped: 1, fulfilled: 1, reserved: 2 })

    // The same version again: Medusa shows the unit fulfilled, nothing is planned twice.
    const replay = store.step(s.applied, { status: "PARTIALLY_SHIPPED", item: { quantity_shipped: 1 } })
    expect([replay.plan.create, replay.plan.update, replay.plan.delete, replay.plan.adjust, replay.plan.fulfil]).toEqual([[], [], [], [], []])

    s = store.step(replay.applied, { status: "SHIPPED", item: { quantity_shipped: 3 } })
    expect(s.plan.fulfil).toEqual([expect.objectContaining({ quantity: 2, via: "medusa" })])
    expect(store.levels).toEqual({ stocked: 7, reserved: 0, fulfilled: 3 })
    expect(s.applied.items.oi_1).toMatchObject({ shipped: 3, fulfilled: 3, reserved: 0 })
  })

  it("a new order first seen SHIPPED is reserved and fulfilled through Medusa in the same run (stock moves once)", () => {
    const store = new Store()
    const s = store.step(empty, { status: "SHIPPED", item: { quantity_shipped: 3 } })
    expect(s.plan.create).toEqual([expect.objectContaining({ quantity: 3, line_item_id: "ordli_1" })])
    expect(s.plan.fulfil).toEqual([expect.objectContaining({ quantity: 3, via: "medusa" })])
    expect(store.levels).toEqual({ stocked: 7, reserved: 0, fulfilled: 3 })
  })

  it("units staff fulfilled in Medusa are not moved or fulfilled again when Amazon reports them shipped", () => {
    const store = new Store()
    let s = store.step(empty, {})
    store.medusaFulfil("ordli_1", 1)
    // Amazon has not heard yet: the other 2 stay reserved, nothing is re-reserved.
    s = store.step(s.applied, {})
    expect([s.plan.create, s.plan.update, s.plan.delete, s.plan.fulfil]).toEqual([[], [], [], []])
    expect(store.levels).toEqual({ stocked: 9, reserved: 2, fulfilled: 1 })
    // Amazon reports that unit shipped, then the whole order.
    s = store.step(s.applied, { status: "PARTIALLY_SHIPPED", item: { quantity_shipped: 1 } })
    expect(s.plan.fulfil).toEqual([])
    expect(store.levels).toEqual({ stocked: 9, reserved: 2, fulfilled: 1 })
    s = store.step(s.applied, { status: "SHIPPED", item: { quantity_shipped: 3 } })
    expect(s.plan.fulfil).toEqual([expect.objectContaining({ quantity: 2, via: "medusa" })])
    expect(store.levels).toEqual({ stocked: 7, reserved: 0, fulfilled: 3 })
  })

  it("records units the import decrements itself when Medusa's workflow cannot fulfil them (another shipping profile, the batch)", () => {
    const store = new Store()
    let s = store.step(empty, { item: { medusa_fulfilment: false } })
    s = store.step(s.applied, { status: "PARTIALLY_SHIPPED", item: { quantity_shipped: 2, medusa_fulfilment: false } })
    expect(s.plan.adjust).toEqual([{ inventory_item_id: "iitem_1", location_id: "sloc_a", adjustment: -2 }])
    expect(s.plan.fulfil).toEqual([expect.objectContaining({ quantity: 2, via: "record", stock_moved: true, location_id: "sloc_a" })])
    expect(store.levels).toEqual({ stocked: 8, reserved: 1, fulfilled: 2 })
  })

  it("units staff removed in an order edit are not reserved again; if Amazon ships them anyway they leave stock once, unfulfilled", () => {
    const store = new Store()
    let s = store.step(empty, {})
    expect(store.levels).toEqual({ stocked: 10, reserved: 3, fulfilled: 0 })
    // The edit took the line to 1 unit: Medusa's confirmOrderEditRequestWorkflow replaced the reservation with one of 1.
    store.reservations.clear()
    store.reservations.set("res_edit", { id: "res_edit", inventory_item_id: "iitem_1", location_id: "sloc_a", quantity: 1, line_item_id: "ordli_1" })
    const adopted = adoptReplacedReservations(s.applied, [...store.reservations.values()])
    expect(adopted.items.oi_1.reservations).toEqual([{ id: "res_edit", inventory_item_id: "iitem_1", required_quantity: 1 }])
    s = store.step(adopted, { item: { quantity_in_medusa: 1 } })
    expect(s.plan.create).toEqual([])
    expect(store.levels).toEqual({ stocked: 10, reserved: 1, fulfilled: 0 })
    // Amazon ships all 3 (the cancellation came too late): 1 fulfilled through Medusa, 2 only leave stock.
    s = store.step(s.applied, { status: "SHIPPED", item: { quantity_shipped: 3, quantity_in_medusa: 1 } })
    expect(s.plan.fulfil).toEqual([expect.objectContaining({ quantity: 1, via: "medusa" })])
    expect(s.plan.adjust).toEqual([{ inventory_item_id: "iitem_1", location_id: "sloc_a", adjustment: -2 }])
    expect(store.levels).toEqual({ stocked: 7, reserved: 0, fulfilled: 1 })
    const replay = store.step(s.applied, { status: "SHIPPED", item: { quantity_shipped: 3, quantity_in_medusa: 1 } })
    expect([replay.plan.create, replay.plan.adjust, replay.plan.fulfil]).toEqual([[], [], []])
  })

  it("Amazon-fulfilled orders: shipped units are recorded, no stock, no reservation", () => {
    const store = new Store()
    let s = store.step(empty, { fulfilled_by: "AMAZON", item: { medusa_fulfilment: false } })
    expect(s.plan.create).toEqual([])
    s = store.step(s.applied, { status: "SHIPPED", fulfilled_by: "AMAZON", item: { quantity_shipped: 3, medusa_fulfilment: false } })
    expect(s.plan.fulfil).toEqual([
      { order_item_id: "oi_1", line_item_id: "ordli_1", quantity: 3, via: "record", stock_moved: false, location_id: null, inventory: [] },
    ])
    expect(s.plan.adjust).toEqual([])
    expect(store.levels).toEqual({ stocked: 10, reserved: 0, fulfilled: 3 })
  })

  it("a record written before fulfillments were recorded: its decremented units are recorded without moving stock again", () => {
    const store = new Store()
    store.stocked = 9
    const legacy = readApplied({
      version: 1,
      items: {
        oi_1: {
          order_item_id: "oi_1",
          seller_sku: "SKU-1",
          variant_id: "variant_1",
          line_item_id: "ordli_1",
          location_id: "sloc_a",
          reserved: 2,
          shipped: 1,
          external: 0,
          released: 0,
          reservations: [{ id: "res_old", inventory_item_id: "iitem_1", required_quantity: 1 }],
        },
      },
    })
    expect(legacy.items.oi_1.fulfilled).toBeUndefined()
    store.reservations.set("res_old", { id: "res_old", inventory_item_id: "iitem_1", location_id: "sloc_a", quantity: 2, line_item_id: "ordli_1" })
    const s = store.step(legacy, { status: "SHIPPED", item: { quantity_shipped: 3 } })
    expect(s.plan.fulfil).toEqual([
      expect.objectContaining({ quantity: 1, via: "record", stock_moved: false }),
      expect.objectContaining({ quantity: 2, via: "medusa" }),
    ])
    expect(store.levels).toEqual({ stocked: 7, reserved: 0, fulfilled: 3 })
  })

  it("a legacy record whose unit staff fulfilled in the store (matched by `external`) records nothing extra", () => {
    const store = new Store()
    store.stocked = 9
    store.fulfilled = 1
    const legacy = readApplied({
      version: 1,
      items: { oi_1: { order_item_id: "oi_1", line_item_id: "ordli_1", location_id: "sloc_a", reserved: 2, shipped: 1, external: 0, reservations: [] } },
    })
    const s = store.step(legacy, { status: "PARTIALLY_SHIPPED", item: { quantity_shipped: 1 } })
    expect(s.plan.fulfil).toEqual([])
    expect(s.plan.adjust).toEqual([])
  })

  it("cancellation releases what is still reserved; a Medusa order cancelled in the store takes no fulfillment", () => {
    const store = new Store()
    let s = store.step(empty, {})
    s = store.step(s.applied, { status: "CANCELLED" })
    expect(store.levels).toEqual({ stocked: 10, reserved: 0, fulfilled: 0 })
    expect(s.applied.items.oi_1).toMatchObject({ reserved: 0, released: 3 })

    const other = new Store()
    const t = other.step(empty, {})
    const u = other.step(t.applied, { status: "SHIPPED", order_canceled_in_store: true, item: { quantity_shipped: 3 } })
    expect(u.plan.fulfil).toEqual([])
  })
})

describe("planStockChanges for a back-import (historic)", () => {
  it("a shipped order first seen in a back-import is recorded fulfilled without its units leaving stock; its open units are reserved", () => {
    const store = new Store()
    const s = store.step(empty, { status: "PARTIALLY_SHIPPED", historic: true, item: { quantity_shipped: 2 } })
    expect(s.plan.adjust).toEqual([])
    expect(s.plan.fulfil).toEqual([expect.objectContaining({ quantity: 2, via: "record", stock_moved: false })])
    expect(store.levels).toEqual({ stocked: 10, reserved: 1, fulfilled: 2 })
    expect(s.plan.variant_ids).toEqual(["variant_1"])

    // Amazon ships the last unit later (a regular import): it leaves stock through its reservation, once.
    const next = store.step(s.applied, { status: "SHIPPED", item: { quantity_shipped: 3 } })
    expect(next.plan.fulfil).toEqual([expect.objectContaining({ quantity: 1, via: "medusa" })])
    expect(store.levels).toEqual({ stocked: 9, reserved: 0, fulfilled: 3 })
  })

  it("is ignored for an order that already has a record: its shipped units move stock as always", () => {
    const store = new Store()
    const s = store.step(empty, {})
    expect(store.levels).toEqual({ stocked: 10, reserved: 3, fulfilled: 0 })
    store.step(s.applied, { status: "SHIPPED", historic: true, item: { quantity_shipped: 3 } })
    expect(store.levels).toEqual({ stocked: 7, reserved: 0, fulfilled: 3 })
  })

  it("without a Medusa order (no line item), shipped units are remembered, not decremented", () => {
    const plan = planStockChanges({
      amazon_order_id: "111-2",
      status: "SHIPPED",
      fulfilled_by: "MERCHANT",
      items: [item({ line_item_id: null, fulfilled_in_medusa: undefined, quantity_shipped: 3 })],
      applied: empty,
      reservations: {},
      location_ids: ["sloc_a"],
      historic: true,
    })
    expect([plan.adjust, plan.create, plan.variant_ids]).toEqual([[], [], []])
    expect(plan.applied.items.oi_1).toMatchObject({ shipped: 3, reserved: 0 })
  })
})

describe("shippingLocationOf", () => {
  it("is where the first stock-managed item fits, else the first counted location", () => {
    const two = variant({ inventory: [{ inventory_item_id: "i", required_quantity: 1, levels: [{ location_id: "a", available: 0 }, { location_id: "b", available: 5 }] }] })
    expect(shippingLocationOf([{ seller_sku: "S", quantity_ordered: 2 }], { S: two }, ["a", "b"])).toBe("b")
    expect(shippingLocationOf([{ seller_sku: "S", quantity_ordered: 2 }], { S: variant({ manage_inventory: false }) }, ["a", "b"])).toBe("a")
    expect(shippingLocationOf([], {}, [])).toBeNull()
  })
})

describe("groupFulfilments", () => {
  const f = (over: Partial<PlannedFulfilment>): PlannedFulfilment => ({
    order_item_id: "oi_1",
    line_item_id: "ordli_1",
    quantity: 1,
    via: "medusa",
    stock_moved: false,
    location_id: "sloc_a",
    inventory: [],
    ...over,
  })
  const pkg = (ref: string, items: string[], over: Record<string, unknown> = {}) => ({
    referenceId: ref,
    carrier: "DHL",
    trackingNumber: `T-${ref}`,
    shipTime: "2026-03-01T10:00:00Z",
    status: "SHIPPED",
    items: items.map((orderItemId) => ({ orderItemId, quantity: 1 })),
    ...over,
  })

  it("puts Medusa's workflow first, records per location, and gives new packages to the fulfillment holding their items", () => {
    const { groups, packages } = groupFulfilments(
      [
        f({ via: "record", order_item_id: "oi_2", line_item_id: "ordli_2", location_id: "sloc_b" }),
        f({}),
        f({ via: "record", order_item_id: "oi_3", line_item_id: "ordli_3", location_id: null }),
      ],
      [pkg("P0", ["oi_1"]), pkg("P1", ["oi_2"]), pkg("P2", ["oi_1"], { status: "CANCELLED" })],
      ["P0"]
    )
    expect(groups.map((g) => [g.via, g.location_id, g.items.map((i) => i.line_item_id)])).toEqual([
      ["medusa", null, ["ordli_1"]],
      ["record", "sloc_b", ["ordli_2"]],
      ["record", null, ["ordli_3"]],
    ])
    expect(groups[1]).toMatchObject({ labels: [{ tracking_number: "T-P1", tracking_url: "", label_url: "" }], package_reference_ids: ["P1"], carriers: ["DHL"], shipped_at: "2026-03-01T10:00:00Z" })
    expect(groups[0].labels).toEqual([])
    expect(packages).toEqual(["P0", "P1"])
  })

  it("leaves packages unrecorded when there is nothing to fulfil", () => {
    expect(groupFulfilments([], [pkg("P1", ["oi_1"])], [])).toEqual({ groups: [], packages: [] })
  })
})

describe("parseOrder: ship-by window and packages", () => {
  const base = JSON.parse(readFileSync(join(__dirname, "fixtures", "orders-2026-get-order.partially-shipped.json"), "utf8")).order

  it("reads fulfillment.shipByWindow / deliverByWindow and the packages, and the import keeps the ship-by date on the order", () => {
    const raw = structuredClone(base)
    raw.fulfillment.shipByWindow = { earliestDateTime: "2026-02-27T07:00:00Z", latestDateTime: "2026-03-01T22:59:59Z" }
    raw.fulfillment.deliverByWindow = { latestDateTime: "2026-03-04T22:59:59Z" }
    raw.packages = [
      {
        packageReferenceId: "1",
        packageStatus: { status: "SHIPPED" },
        carrier: "Royal Mail",
        shippingService: "Tracked 48",
        trackingNumber: "RM123456789GB",
        shipTime: "2026-02-28T15:00:00Z",
        packageItems: [{ orderItemId: "55500030000031", quantity: 2 }],
      },
    ]
    const order = parseOrder(raw)
    expect(order.shipBy).toEqual({ earliest: "2026-02-27T07:00:00Z", latest: "2026-03-01T22:59:59Z" })
    expect(order.deliverBy).toEqual({ latest: "2026-03-04T22:59:59Z" })
    expect(order.packages).toEqual([
      {
        referenceId: "1",
        status: "SHIPPED",
        carrier: "Royal Mail",
        shippingService: "Tracked 48",
        trackingNumber: "RM123456789GB",
        shipTime: "2026-02-28T15:00:00Z",
        items: [{ orderItemId: "55500030000031", quantity: 2 }],
      },
    ])
    const { input } = buildMedusaOrderInput(order, {
      account_id: "acc",
      region_id: "reg",
      sales_channel_id: "sc",
      variants: { "CABLE-USBC-1M": { variant_id: "v1" }, "CHARGER-65W": { variant_id: "v2" } },
      shipping_option_id: "so_amazon",
    })
    expect(input.metadata).toMatchObject({
      amazon_latest_ship_date: "2026-03-01T22:59:59Z",
      amazon_earliest_ship_date: "2026-02-27T07:00:00Z",
      amazon_latest_delivery_date: "2026-03-04T22:59:59Z",
    })
    expect(input.shipping_methods[0].shipping_option_id).toBe("so_amazon")
  })

  it("has no packages when PACKAGES was not requested, and refuses a package naming an item the order does not have", () => {
    expect(parseOrder(base).packages).toBeUndefined()
    const raw = structuredClone(base)
    raw.packages = [{ packageReferenceId: "1", packageItems: [{ orderItemId: "nope", quantity: 1 }] }]
    let error: unknown
    try {
      parseOrder(raw)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(OrderParseError)
    expect(error).toMatchObject({ code: "INVALID_VALUE", path: "packages[0].packageItems[0]" })
  })
})
