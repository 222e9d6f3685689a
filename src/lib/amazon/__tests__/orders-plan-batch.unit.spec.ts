import { planBatchStock } from "../orders/plan-batch"
import type { BatchStockOrder } from "../orders/plan-batch"
import { planStockChanges } from "../orders/plan-stock"
import type { ResolvedVariant } from "../orders/types"

/** One variant stocked at two locations: `a` units at sloc_a (preferred), `b` at sloc_b. */
const variant = (a: number, b: number): ResolvedVariant => ({
  variant_id: "variant_1",
  listing_id: "amzlst_1",
  product_status: "published",
  manage_inventory: true,
  inventory: [
    {
      inventory_item_id: "iitem_1",
      required_quantity: 1,
      levels: [
        { location_id: "sloc_a", available: a },
        { location_id: "sloc_b", available: b },
      ],
    },
  ],
})

const order = (id: string, quantity: number, over: Partial<BatchStockOrder> = {}): BatchStockOrder => ({
  amazon_order_id: id,
  status: "UNSHIPPED",
  fulfilled_by: "MERCHANT",
  items: [{ order_item_id: `${id}-1`, seller_sku: "SKU-1", quantity_ordered: quantity, quantity_shipped: 0, cancelled: false }],
  variants: { "SKU-1": variant(3, 10) },
  line_items: { [`${id}-1`]: `ordli_${id}` },
  ...over,
})

describe("planBatchStock", () => {
  it("plans each order as if the earlier ones of the batch were applied: a location the batch emptied is not chosen again", () => {
    const plans = planBatchStock([order("A", 2), order("B", 2), order("C", 5)], ["sloc_a", "sloc_b"])
    // Read once: 3 at sloc_a. A takes 2 there; B needs 2 and only 1 is left, so sloc_b; C: sloc_b again.
    expect(plans.map((p) => p.create.map((r) => [r.location_id, r.quantity, r.line_item_id]))).toEqual([
      [["sloc_a", 2, "ordli_A"]],
      [["sloc_b", 2, "ordli_B"]],
      [["sloc_b", 5, "ordli_C"]],
    ])
    expect(plans.every((p) => p.variant_ids.includes("variant_1"))).toBe(true)
  })

  it("matches planStockChanges run one order at a time against levels updated in between", () => {
    const orders = [order("A", 2), order("B", 2, { status: "SHIPPED", items: [{ order_item_id: "B-1", seller_sku: "SKU-1", quantity_ordered: 2, quantity_shipped: 2, cancelled: false }] }), order("C", 1)]
    const batch = planBatchStock(orders, ["sloc_a", "sloc_b"])
    const levels = { sloc_a: 3, sloc_b: 10 } as Record<string, number>
    const sequential = orders.map((o) => {
      const v = variant(levels.sloc_a, levels.sloc_b)
      const plan = planStockChanges({
        amazon_order_id: o.amazon_order_id,
        status: o.status,
        fulfilled_by: o.fulfilled_by,
        items: o.items.map((i) => ({ ...i, variant: v, line_item_id: o.line_items[i.order_item_id] ?? null, fulfilled_in_medusa: 0 })),
        applied: { version: 1, items: {} },
        reservations: {},
        location_ids: ["sloc_a", "sloc_b"],
      })
      plan.create.forEach((r) => (levels[r.location_id] -= r.quantity))
      plan.adjust.forEach((a) => (levels[a.location_id] += a.adjustment))
      return plan
    })
    expect(batch).toEqual(sequential)
    // The shipped order decremented stock instead of reserving it, and its units are to be recorded as a
    // Medusa fulfillment by the batch itself (stock already moved by the plan).
    expect(batch[1].create).toEqual([])
    expect(batch[1].adjust).toEqual([{ inventory_item_id: "iitem_1", location_id: expect.any(String), adjustment: -2 }])
    expect(batch[1].fulfil).toEqual([
      expect.objectContaining({ line_item_id: "ordli_B", quantity: 2, via: "record", stock_moved: true, location_id: batch[1].adjust[0].location_id }),
    ])
    expect(batch[0].fulfil).toEqual([])
  })

  it("plans no fulfillment for an order that cannot take one (no shipping option): its shipped units only leave stock", () => {
    const shipped = { status: "SHIPPED" as const, items: [{ order_item_id: "S-1", seller_sku: "SKU-1", quantity_ordered: 2, quantity_shipped: 2, cancelled: false }] }
    const [withOption] = planBatchStock([order("S", 2, shipped)], ["sloc_a"])
    const [without] = planBatchStock([order("S", 2, { ...shipped, fulfilments: false })], ["sloc_a"])
    expect(withOption.fulfil).toHaveLength(1)
    expect(without.fulfil).toEqual([])
    expect(without.adjust).toEqual(withOption.adjust)
    expect(without.applied.items["S-1"].fulfilled).toBe(0)
  })

  it("leaves Amazon-fulfilled and pending orders to the plan's own rules: FBA takes nothing, PENDING reserves without a line item", () => {
    const plans = planBatchStock(
      [order("F", 1, { fulfilled_by: "AMAZON" }), order("P", 1, { status: "PENDING", line_items: {} })],
      ["sloc_a", "sloc_b"]
    )
    expect(plans[0].create).toEqual([])
    expect(plans[0].adjust).toEqual([])
    expect(plans[1].create).toEqual([expect.objectContaining({ location_id: "sloc_a", quantity: 1 })])
    expect(plans[1].create[0].line_item_id).toBeUndefined()
  })
})
