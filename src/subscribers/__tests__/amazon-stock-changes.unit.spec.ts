import amazonStockChangesHandler from "../amazon-stock-changes"
import { STOCK_CHANGE_EVENTS, stockEventRefs } from "../../workflows/stock-push/utils/stock-events"

describe("stockEventRefs (what the subscriber records)", () => {
  it("names the record each kind of event carries", () => {
    expect(stockEventRefs("order.placed", { id: "order_1" })).toEqual([{ kind: "order", ref_id: "order_1" }])
    expect(stockEventRefs("order.fulfillment_created", { order_id: "order_2", fulfillment_id: "ful_1" })).toEqual([{ kind: "order", ref_id: "order_2" }])
    expect(stockEventRefs("inventory.reservation-item.created", { id: "resitem_1" })).toEqual([{ kind: "reservation", ref_id: "resitem_1" }])
    expect(stockEventRefs("inventory.inventory-level.updated", { id: "ilev_1" })).toEqual([{ kind: "inventory_level", ref_id: "ilev_1" }])
    expect(stockEventRefs("inventory.inventory-item.deleted", { id: "iitem_1" })).toEqual([{ kind: "inventory_item", ref_id: "iitem_1" }])
    expect(stockEventRefs("product.product-variant.deleted", { id: "variant_1" })).toEqual([{ kind: "variant", ref_id: "variant_1" }])
  })

  it("reads lists, drops duplicates and payloads without an id, ignores other events", () => {
    expect(stockEventRefs("inventory.inventory-level.updated", [{ id: "a" }, { id: "b" }, { id: "a" }, { id: "" }, null, "x"])).toEqual([
      { kind: "inventory_level", ref_id: "a" },
      { kind: "inventory_level", ref_id: "b" },
    ])
    // an order edit's own id is not an order id
    expect(stockEventRefs("order-edit.confirmed", { id: "ordch_1" })).toEqual([])
    expect(stockEventRefs("order-edit.confirmed", { id: "ordch_1", order_id: "order_3" })).toEqual([{ kind: "order", ref_id: "order_3" }])
    expect(stockEventRefs("cart.updated", { id: "cart_1" })).toEqual([])
    expect(stockEventRefs("order.placed", undefined)).toEqual([])
  })

  it("knows every event the subscriber listens to", () => {
    for (const name of STOCK_CHANGE_EVENTS) {
      expect(stockEventRefs(name, { id: "x", order_id: "x" })).toHaveLength(1)
    }
  })
})

describe("amazon-stock-changes subscriber", () => {
  function fakeContainer(record: jest.Mock) {
    const logger = { error: jest.fn() }
    const container = {
      resolve: (key: string) => (key === "amazon" ? { recordStockEvents: record } : key === "logger" ? logger : undefined),
    }
    return { container, logger }
  }
  const call = (container: unknown, name: string, data: unknown) =>
    amazonStockChangesHandler({ event: { name, data, metadata: {} }, container, pluginOptions: {} } as any)

  it("records the raw event with one call and resolves without waiting for a batch", async () => {
    const record = jest.fn().mockResolvedValue(2)
    const { container } = fakeContainer(record)
    await call(container, "inventory.inventory-level.updated", [{ id: "ilev_1" }, { id: "ilev_2" }])
    expect(record).toHaveBeenCalledTimes(1)
    expect(record).toHaveBeenCalledWith([
      { name: "inventory.inventory-level.updated", kind: "inventory_level", ref_id: "ilev_1" },
      { name: "inventory.inventory-level.updated", kind: "inventory_level", ref_id: "ilev_2" },
    ])
  })

  it("shares one insert between the events delivered together (a checkout's), each call resolving after it", async () => {
    const record = jest.fn().mockResolvedValue(3)
    const { container } = fakeContainer(record)
    await Promise.all([
      call(container, "order.placed", { id: "order_1" }),
      call(container, "inventory.reservation-item.created", { id: "resitem_1" }),
      call(container, "inventory.inventory-level.updated", { id: "ilev_1" }),
    ])
    expect(record).toHaveBeenCalledTimes(1)
    expect(record.mock.calls[0][0]).toEqual([
      { name: "order.placed", kind: "order", ref_id: "order_1" },
      { name: "inventory.reservation-item.created", kind: "reservation", ref_id: "resitem_1" },
      { name: "inventory.inventory-level.updated", kind: "inventory_level", ref_id: "ilev_1" },
    ])
    // the next event is its own insert
    await call(container, "order.canceled", { id: "order_1" })
    expect(record).toHaveBeenCalledTimes(2)
  })

  it("writes nothing for a payload without ids, and logs (not throws) when the insert fails", async () => {
    const record = jest.fn().mockRejectedValue(new Error("db down"))
    const { container, logger } = fakeContainer(record)
    await call(container, "order.placed", {})
    expect(record).not.toHaveBeenCalled()
    await expect(call(container, "order.placed", { id: "order_1" })).resolves.toBeUndefined()
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/could not record 1 event row\(s\) \(order\.placed\).*db down/))
  })
})
