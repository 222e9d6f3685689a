import { ContractValidator, startSimulator, type Order, type SimulatorHandle } from "../index"
import { accessToken, call, DE, SELLER } from "./helpers/sp-client"

type SearchResponse = { orders: Order[]; pagination?: { nextToken?: string }; lastUpdatedBefore?: string; createdBefore?: string }
type Errors = { errors: { code: string; message: string }[] }

const contract = new ContractValidator()
const START = Date.parse("2026-03-01T12:00:00Z")
const MIN = 60_000
const iso = (ms: number) => new Date(ms).toISOString()

describe("Orders API v2026-01-01 and v0 confirmShipment", () => {
  let sim: SimulatorHandle
  let token: string

  beforeAll(async () => {
    sim = await startSimulator({ startTime: START })
  })
  afterAll(() => sim.close())

  beforeEach(async () => {
    sim.control.reset()
    sim.control.seedSeller(SELLER)
    sim.control.seedListings([{ sellerId: SELLER.sellerId, sku: "MUG", asin: "B00000MUG1", itemName: "Mug", quantity: 10, price: { amount: "9.50" } }])
    token = await accessToken(sim)
  })

  const now = () => sim.control.now()

  function search(query: Record<string, string | number | undefined>) {
    return call<SearchResponse & Errors>(sim.url, "GET", "/orders/2026-01-01/orders", { token, query })
  }

  function seedOrder(minutesAgo: number, extra: Partial<Parameters<SimulatorHandle["control"]["seedOrder"]>[0]> = {}): Order {
    return sim.control.seedOrder({
      sellerId: SELLER.sellerId,
      createdTime: iso(now() - minutesAgo * MIN),
      buyer: { buyerName: "Erika", buyerEmail: "erika@marketplace.amazon.de" },
      recipient: { deliveryAddress: { name: "Erika", addressLine1: "Street 1", city: "Köln", postalCode: "50667", countryCode: "DE", phone: "+49 1" } },
      orderItems: [{ sellerSku: "MUG", quantityOrdered: 2, shippingPrice: "4.00" }],
      ...extra,
    })
  }

  it("requires exactly one of createdAfter / lastUpdatedAfter and refuses mixing the families", async () => {
    const after = iso(now() - 60 * MIN)
    const before = iso(now() - 10 * MIN)
    const cases: Record<string, string>[] = [
      {},
      { createdAfter: after, lastUpdatedAfter: after },
      { createdAfter: after, lastUpdatedBefore: before },
      { lastUpdatedAfter: after, createdBefore: before },
      { createdBefore: before },
      { createdAfter: "yesterday" },
    ]
    for (const query of cases) {
      const res = await search(query)
      expect(res.status).toBe(400)
      expect(res.body.errors[0].code).toBe("InvalidInput")
      expect(contract.validateResponse("orders-2026-01-01.searchOrders", 400, res.body).errors).toBe("")
    }
  })

  it("enforces the 2-minute rule and *Before >= *After", async () => {
    const after = iso(now() - 60 * MIN)
    expect((await search({ lastUpdatedAfter: after, lastUpdatedBefore: iso(now() - 1 * MIN) })).status).toBe(400)
    expect((await search({ lastUpdatedAfter: after, lastUpdatedBefore: iso(now() - 90 * MIN) })).status).toBe(400)
    expect((await search({ createdAfter: iso(now() - 1 * MIN) })).status).toBe(400)
    const before = new Date(Math.floor((now() - 3 * MIN) / 1000) * 1000)
    const ok = await search({ lastUpdatedAfter: after, lastUpdatedBefore: before.toISOString() })
    expect(ok.status).toBe(200)
    expect(ok.body.lastUpdatedBefore).toBe(before.toISOString().replace(".000Z", "Z"))
    // the rule uses simulated time: after the clock moves on, the same "before" is old enough
    const tooRecent = iso(now() - 1 * MIN)
    sim.control.advanceClock(2 * MIN)
    expect((await search({ lastUpdatedAfter: after, lastUpdatedBefore: tooRecent })).status).toBe(200)
  })

  it("defaults *Before to now - 2 minutes, echoes it, and leaves newer orders for the next window", async () => {
    const old = seedOrder(30)
    seedOrder(1)
    const sentAt = now()
    const res = await search({ lastUpdatedAfter: iso(now() - 60 * MIN) })
    const answeredAt = now()
    expect(res.status).toBe(200)
    expect(contract.validateResponse("orders-2026-01-01.searchOrders", 200, res.body).errors).toBe("")
    // the simulated clock runs on while the request is served (and faster under a time scale): the echo
    // is "now − 2 minutes" at some instant of the request, truncated to the second
    const echoed = Date.parse(String(res.body.lastUpdatedBefore))
    expect(echoed).toBeGreaterThanOrEqual(Math.floor((sentAt - 2 * MIN) / 1000) * 1000)
    expect(echoed).toBeLessThanOrEqual(answeredAt - 2 * MIN)
    expect(res.body.lastUpdatedBefore).toMatch(/:\d\dZ$/)
    expect(res.body.createdBefore).toBeUndefined()
    expect(res.body.orders.map((o) => o.orderId)).toEqual([old.orderId])

    const created = await search({ createdAfter: iso(now() - 60 * MIN) })
    expect(created.body.createdBefore).toBeDefined()
    expect(created.body.lastUpdatedBefore).toBeUndefined()
  })

  it("validates maxResultsPerPage (1..100)", async () => {
    for (const bad of ["0", "101", "ten"]) {
      expect((await search({ createdAfter: iso(now() - 60 * MIN), maxResultsPerPage: bad })).status).toBe(400)
    }
    expect((await search({ createdAfter: iso(now() - 60 * MIN), maxResultsPerPage: 100 })).status).toBe(200)
  })

  it("pages in lastUpdatedTime, orderId order and rejects a token sent with changed parameters", async () => {
    const sameTime = iso(now() - 40 * MIN)
    const ids = Array.from({ length: 4 }, () => seedOrder(50, { lastUpdatedTime: sameTime }).orderId)
    ids.push(seedOrder(45).orderId, seedOrder(44).orderId, seedOrder(20).orderId)
    const base = { lastUpdatedAfter: iso(now() - 60 * MIN), fulfillmentStatuses: "UNSHIPPED" }

    const first = await search({ ...base, maxResultsPerPage: 3 })
    expect(first.body.orders).toHaveLength(3)
    const nextToken = first.body.pagination?.nextToken as string
    expect(nextToken).toBeDefined()

    const changed = await search({ ...base, fulfillmentStatuses: "UNSHIPPED,SHIPPED", maxResultsPerPage: 3, paginationToken: nextToken })
    expect(changed.status).toBe(400)
    expect(changed.body.errors[0].code).toBe("InvalidInput")
    const bogus = await search({ ...base, paginationToken: "not-a-token" })
    expect(bogus.status).toBe(400)

    // maxResultsPerPage and includedData may change between pages
    const second = await search({ ...base, maxResultsPerPage: 2, includedData: "BUYER", paginationToken: nextToken })
    expect(second.status).toBe(200)
    expect(second.body.orders[0].buyer).toBeDefined()
    const third = await search({ ...base, paginationToken: second.body.pagination?.nextToken })
    expect(third.body.pagination).toBeUndefined()
    expect(third.body.lastUpdatedBefore).toBe(first.body.lastUpdatedBefore)

    const all = [...first.body.orders, ...second.body.orders, ...third.body.orders]
    // updated 45 and 44 minutes ago, then the four updated 40 minutes ago (by orderId), then 20 minutes ago
    const expected = [ids[4], ids[5], ...ids.slice(0, 4).sort(), ids[6]]
    expect(all.map((o) => o.orderId)).toEqual(expected)
  })

  it("filters by fulfillmentStatuses, fulfilledBy and marketplaceIds", async () => {
    const mfn = seedOrder(30)
    const fba = seedOrder(30, { fulfilledBy: "AMAZON", fulfillmentStatus: "SHIPPED" })
    const after = iso(now() - 60 * MIN)
    expect((await search({ createdAfter: after, fulfilledBy: "AMAZON" })).body.orders.map((o) => o.orderId)).toEqual([fba.orderId])
    expect((await search({ createdAfter: after, fulfillmentStatuses: "UNSHIPPED" })).body.orders.map((o) => o.orderId)).toEqual([mfn.orderId])
    expect((await search({ createdAfter: after, marketplaceIds: DE })).body.orders).toHaveLength(2)
    expect((await search({ createdAfter: after, marketplaceIds: "ATVPDKIKX0DER" })).status).toBe(400)
    expect((await search({ createdAfter: after, fulfillmentStatuses: "CANCELED" })).status).toBe(400)
  })

  it("returns only basic data without includedData, withholds prices while PENDING and PII of FBA orders", async () => {
    const pending = seedOrder(30, { fulfillmentStatus: "PENDING" })
    const fba = seedOrder(30, { fulfilledBy: "AMAZON" })
    const after = iso(now() - 60 * MIN)

    const basic = await search({ createdAfter: after })
    const basicPending = basic.body.orders.find((o) => o.orderId === pending.orderId) as Order
    expect(Object.keys(basicPending).sort()).toEqual(["createdTime", "lastUpdatedTime", "orderId", "orderItems", "salesChannel"])
    expect(basicPending.orderItems[0].product.price).toBeUndefined()

    const full = await search({ createdAfter: after, includedData: "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES,CANCELLATION" })
    expect(contract.validateResponse("orders-2026-01-01.searchOrders", 200, full.body).errors).toBe("")
    const fullPending = full.body.orders.find((o) => o.orderId === pending.orderId) as Order
    expect(fullPending.proceeds).toBeUndefined()
    expect(fullPending.orderItems[0].proceeds).toBeUndefined()
    expect(fullPending.fulfillment?.fulfillmentStatus).toBe("PENDING")
    expect(fullPending.buyer?.buyerEmail).toBe("erika@marketplace.amazon.de")
    const fullFba = full.body.orders.find((o) => o.orderId === fba.orderId) as Order
    expect(fullFba.buyer?.buyerEmail).toBeUndefined()
    expect(fullFba.recipient?.deliveryAddress?.phone).toBeUndefined()
    expect(fullFba.proceeds?.grandTotal).toEqual({ amount: "23.00", currencyCode: "EUR" })

    sim.control.transitionOrder(pending.orderId, { to: "UNSHIPPED" })
    const got = await call<{ order: Order }>(sim.url, "GET", `/orders/2026-01-01/orders/${pending.orderId}`, { token, query: { includedData: "PROCEEDS" } })
    expect(got.status).toBe(200)
    expect(contract.validateResponse("orders-2026-01-01.getOrder", 200, got.body).errors).toBe("")
    expect(got.body.order.orderItems[0].product.price?.unitPrice).toEqual({ amount: "9.50", currencyCode: "EUR" })
    expect(got.body.order.orderItems[0].proceeds?.proceedsTotal).toEqual({ amount: "23.00", currencyCode: "EUR" })
  })

  it("getOrder answers 404 for unknown orders", async () => {
    const res = await call(sim.url, "GET", "/orders/2026-01-01/orders/302-0000000-0000000", { token })
    expect(res.status).toBe(404)
    expect(contract.validateResponse("orders-2026-01-01.getOrder", 404, res.body).errors).toBe("")
  })

  it("moves an order through its life cycle, updating lastUpdatedTime and item quantities", async () => {
    const order = seedOrder(30, { fulfillmentStatus: "PENDING", orderItems: [{ sellerSku: "MUG", quantityOrdered: 3 }] })
    sim.control.advanceClock(MIN)
    const unshipped = sim.control.transitionOrder(order.orderId, { to: "UNSHIPPED" })
    expect(Date.parse(unshipped.lastUpdatedTime)).toBeGreaterThan(Date.parse(order.lastUpdatedTime))
    const partial = sim.control.transitionOrder(order.orderId, { to: "PARTIALLY_SHIPPED", items: [{ orderItemId: order.orderItems[0].orderItemId, quantity: 2 }] })
    expect(partial.orderItems[0].fulfillment).toEqual({ quantityFulfilled: 2, quantityUnfulfilled: 1 })
    const shipped = sim.control.transitionOrder(order.orderId, { to: "SHIPPED" })
    expect(shipped.fulfillment?.fulfillmentStatus).toBe("SHIPPED")
    expect(shipped.orderItems[0].fulfillment).toEqual({ quantityFulfilled: 3, quantityUnfulfilled: 0 })
    expect(() => sim.control.transitionOrder(order.orderId, { to: "UNSHIPPED" })).toThrow(/cannot move from SHIPPED/)
  })

  it("gives orders a ship-by window, and a shipment made outside the API (Seller Central) a package with carrier and tracking", async () => {
    const order = seedOrder(30, { orderItems: [{ sellerSku: "MUG", quantityOrdered: 3 }] })
    const window = order.fulfillment?.shipByWindow
    expect(Date.parse(window?.latestDateTime ?? "") - Date.parse(window?.earliestDateTime ?? "")).toBe(2 * 86_400_000)
    expect(window?.earliestDateTime).toBe(order.createdTime)
    const itemId = order.orderItems[0].orderItemId
    sim.control.transitionOrder(order.orderId, { to: "PARTIALLY_SHIPPED", items: [{ orderItemId: itemId, quantity: 1 }], package: { carrier: "DHL", trackingNumber: "DHL-1" } })
    const shipped = sim.control.transitionOrder(order.orderId, { to: "SHIPPED", package: { carrier: "DHL", trackingNumber: "DHL-2", packageReferenceId: "B" } })
    expect(shipped.packages?.map((p) => [p.packageReferenceId, p.carrier, p.trackingNumber, p.packageItems])).toEqual([
      ["1", "DHL", "DHL-1", [{ orderItemId: itemId, quantity: 1 }]],
      ["B", "DHL", "DHL-2", [{ orderItemId: itemId, quantity: 2 }]],
    ])
    const view = await call<{ order: Order }>(sim.url, "GET", `/orders/2026-01-01/orders/${order.orderId}`, { token, query: { includedData: "PACKAGES,FULFILLMENT" } })
    expect(view.body.order.packages).toHaveLength(2)
    expect(view.body.order.fulfillment?.shipByWindow?.latestDateTime).toEqual(expect.any(String))
    expect(contract.validateResponse("orders-2026-01-01.getOrder", 200, view.body).errors).toBe("")

    // Packages are a merchant-fulfilled thing.
    const fba = seedOrder(20, { fulfilledBy: "AMAZON" })
    expect(() => sim.control.transitionOrder(fba.orderId, { to: "SHIPPED", package: { carrier: "DHL", trackingNumber: "X" } })).toThrow(/merchant-fulfilled/)
  })

  it("records buyer cancellation requests and cancellations", async () => {
    const order = seedOrder(30)
    const requested = sim.control.requestBuyerCancellation(order.orderId, { reason: "ordered by mistake" })
    expect(requested.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")
    expect(requested.orderItems[0].cancellation?.cancellationRequest).toEqual({ requester: "BUYER", cancelReason: "ordered by mistake" })
    const cancelled = sim.control.transitionOrder(order.orderId, { to: "CANCELLED", cancelReason: "buyer asked" })
    expect(cancelled.fulfillment?.fulfillmentStatus).toBe("CANCELLED")
    expect(cancelled.orderItems[0].cancellation?.cancellationExecution).toEqual({ cancelledBy: "MERCHANT", cancelReason: "buyer asked" })
    expect(cancelled.orderItems[0].fulfillment?.quantityUnfulfilled).toBe(0)

    const other = seedOrder(20, { fulfillmentStatus: "PENDING" })
    const gone = sim.control.requestBuyerCancellation(other.orderId, { cancelNow: true })
    expect(gone.fulfillment?.fulfillmentStatus).toBe("CANCELLED")
    expect(gone.orderItems[0].cancellation?.cancellationExecution?.cancelledBy).toBe("BUYER")
  })

  describe("confirmShipment (v0)", () => {
    const confirm = (orderId: string, body: unknown) => call<Errors>(sim.url, "POST", `/orders/v0/orders/${orderId}/shipmentConfirmation`, { token, body })
    const packageDetail = (orderItemId: string, quantity: number, ref = "1") => ({
      packageReferenceId: ref,
      carrierCode: "DHL",
      trackingNumber: `TRACK-${ref}`,
      shipDate: iso(START),
      orderItems: [{ orderItemId, quantity }],
    })

    it("confirms shipments (204), records them and updates the order", async () => {
      const order = seedOrder(30)
      const itemId = order.orderItems[0].orderItemId
      const first = await confirm(order.orderId, { marketplaceId: DE, packageDetail: packageDetail(itemId, 1, "1") })
      expect(first.status).toBe(204)
      expect(first.text).toBe("")
      expect(first.headers.get("x-amzn-ratelimit-limit")).toBe("2.0")
      expect(sim.control.getOrder(order.orderId)?.fulfillment?.fulfillmentStatus).toBe("PARTIALLY_SHIPPED")

      expect((await confirm(order.orderId, { marketplaceId: DE, packageDetail: packageDetail(itemId, 1, "2") })).status).toBe(204)
      const stored = sim.control.getOrder(order.orderId) as Order
      expect(stored.fulfillment?.fulfillmentStatus).toBe("SHIPPED")
      expect(stored.orderItems[0].fulfillment).toEqual({ quantityFulfilled: 2, quantityUnfulfilled: 0 })
      expect(stored.packages?.map((p) => [p.packageReferenceId, p.trackingNumber, p.carrier])).toEqual([
        ["1", "TRACK-1", "DHL"],
        ["2", "TRACK-2", "DHL"],
      ])
      expect(sim.control.listShipments(SELLER.sellerId).map((s) => s.packageReferenceId)).toEqual(["1", "2"])

      const view = await call<{ order: Order }>(sim.url, "GET", `/orders/2026-01-01/orders/${order.orderId}`, { token, query: { includedData: "PACKAGES,FULFILLMENT" } })
      expect(view.body.order.packages).toHaveLength(2)
      expect(contract.validateResponse("orders-2026-01-01.getOrder", 200, view.body).errors).toBe("")
    })

    it("answers 400 InvalidInput for bad requests and 404 for unknown orders", async () => {
      const order = seedOrder(30)
      const itemId = order.orderItems[0].orderItemId
      const { carrierCode: _omitted, ...noCarrier } = packageDetail(itemId, 1)
      const fba = seedOrder(30, { fulfilledBy: "AMAZON" })
      const pending = seedOrder(30, { fulfillmentStatus: "PENDING" })
      const bad: [string, unknown][] = [
        [order.orderId, { marketplaceId: DE, packageDetail: noCarrier }],
        [order.orderId, { marketplaceId: "A13V1IB3VIYZZH", packageDetail: packageDetail(itemId, 1) }],
        [order.orderId, { marketplaceId: DE, packageDetail: packageDetail("99999999999999", 1) }],
        [order.orderId, { marketplaceId: DE, packageDetail: packageDetail(itemId, 3) }],
        [order.orderId, { marketplaceId: DE, packageDetail: { ...packageDetail(itemId, 1), shipDate: "02/21/2026" } }],
        [fba.orderId, { marketplaceId: DE, packageDetail: packageDetail(fba.orderItems[0].orderItemId, 1) }],
        [pending.orderId, { marketplaceId: DE, packageDetail: packageDetail(pending.orderItems[0].orderItemId, 1) }],
      ]
      for (const [orderId, body] of bad) {
        const res = await confirm(orderId, body)
        expect(res.status).toBe(400)
        expect(res.body.errors[0].code).toBe("InvalidInput")
        expect(contract.validateResponse("orders-v0.confirmShipment", 400, res.body).errors).toBe("")
      }
      expect(sim.control.listShipments()).toEqual([])
      expect(sim.control.getOrder(order.orderId)?.orderItems[0].fulfillment?.quantityFulfilled).toBe(0)

      const unknown = await confirm("302-9999999-9999999", { marketplaceId: DE, packageDetail: packageDetail(itemId, 1) })
      expect(unknown.status).toBe(404)
      expect(contract.validateResponse("orders-v0.confirmShipment", 404, unknown.body).errors).toBe("")
    })
  })
})
