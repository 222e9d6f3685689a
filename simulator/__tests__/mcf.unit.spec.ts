/**
 * Multi-Channel Fulfillment (Fulfillment Outbound API v2026-07-04): life cycle on the simulated clock (SHIP, HOLD →
 * SHIP), policies, cancellation window, FBA stock reservation seen through getInventorySummaries, preview / offers,
 * FULFILLMENT_ORDER_STATUS notifications, the mcf-* faults, quotas and the control API.
 */
import { ContractValidator, DEFAULT_MCF_TIMING, type OperationKey, startSimulator, type SimulatorHandle } from "../index"
import { notificationSchema } from "../domain/notification-payloads"
import { createAjv } from "../validation"
import { accessToken, call, DE, grantlessAccessToken, SELLER } from "./helpers/sp-client"

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const MCF = "/fulfillment/outbound/2026-07-04"
const contract = new ContractValidator()
const op = (name: string) => `fulfillment-outbound-2026-07-04.${name}` as OperationKey
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z")
const ADDRESS = { name: "Erika Muster", addressLine1: "Hauptstr. 1", city: "Berlin", postalCode: "10115", countryCode: "DE" }

function orderBody(orderId: string, lines: [string, number][], config: Json = {}): Json {
  return {
    orderId,
    destination: { deliveryAddress: ADDRESS },
    fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["STANDARD"] }, ...config },
    lineItems: lines.map(([sku, units], i) => ({ lineItemId: `L${i + 1}`, product: { productIdentifier: { amazonSku: sku } }, amount: { unit: "EACHES", value: `${units}.0` } })),
  }
}

/** Amazon's schema files repeat nested `$id`s (ajv refuses ambiguous ids); they carry no constraint, so drop them. */
function withoutNestedIds(node: unknown, root = true): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutNestedIds(n, false))
  if (node === null || typeof node !== "object") return node
  return Object.fromEntries(Object.entries(node).filter(([key]) => root || key !== "$id").map(([key, value]) => [key, withoutNestedIds(value, false)]))
}

describe("Multi-Channel Fulfillment (Fulfillment Outbound 2026-07-04)", () => {
  let sim: SimulatorHandle
  let token: string
  const T = DEFAULT_MCF_TIMING

  beforeAll(async () => {
    // the clock keeps the time tests moved it to (reset does not rewind it): times are checked relative to the order
    sim = await startSimulator({ startTime: Date.parse("2026-08-03T08:00:00Z"), config: { mcfPageSize: 2 } })
  })
  afterAll(() => sim.close())

  beforeEach(async () => {
    sim.control.reset()
    sim.control.seed({
      sellers: [SELLER],
      listings: [{ sku: "MUG", asin: "B000000001", fulfillmentChannel: "AMAZON_EU", itemName: "Mug" }],
      fbaInventory: [
        { sku: "MUG", fulfillable: 5 },
        { sku: "EMPTY", fulfillable: 0 },
      ],
    })
    token = await accessToken(sim)
  })

  const create = (body: Json) => call<Json>(sim.url, "POST", `${MCF}/orders`, { token, body })
  const getOrder = (id: string, query?: Json) => call<Json>(sim.url, "GET", `${MCF}/orders/${encodeURIComponent(id)}`, { token, query })
  const cancel = (id: string) => call<Json>(sim.url, "PUT", `${MCF}/orders/${encodeURIComponent(id)}/cancel`, { token })
  const update = (id: string, action: string) => call<Json>(sim.url, "PUT", `${MCF}/orders/${encodeURIComponent(id)}`, { token, body: { fulfillmentConfiguration: { action } } })

  /** FBA stock as getInventorySummaries shows it. */
  async function inventory(sku = "MUG") {
    const res = await call<Json>(sim.url, "GET", "/fba/inventory/v1/summaries", {
      token,
      query: { granularityType: "Marketplace", granularityId: DE, marketplaceIds: DE, details: true, sellerSkus: sku },
    })
    const summary = res.body.payload.inventorySummaries[0]
    return { fulfillable: summary.inventoryDetails.fulfillableQuantity, reserved: summary.inventoryDetails.reservedQuantity.pendingCustomerOrderQuantity, total: summary.totalQuantity, summary }
  }

  it("SHIP: PROCESSING → shipment planned → shipped with a tracked package → delivered, COMPLETE; stock reserved then gone", async () => {
    const created = await create(orderBody("SHOP-1001", [["MUG", 2]], { action: "SHIP", policy: "FILL_OR_KILL", services: { packaging: { packagingOption: "UNBRANDED" } } }))
    expect(created.status).toBe(200)
    expect(contract.validateResponse(op("createOrder"), 200, created.body).errors).toBe("")
    expect(created.body.order).toMatchObject({
      orderId: "SHOP-1001",
      status: "PROCESSING",
      receiveTime: expect.stringMatching(/^2026-08-\d\dT\d\d:\d\d:\d\dZ$/),
      fulfillmentConfiguration: { action: "SHIP", policy: "FILL_OR_KILL", serviceLevel: { serviceTiers: ["STANDARD"] }, services: { packaging: { packagingOption: "UNBRANDED" } } },
      origin: { countryCode: "DE" },
      lineItems: [{ lineItemId: "L1", amount: { unit: "EACHES", value: "2.0" }, cancelledAmount: { value: "0.0" }, unfulfillableAmount: { value: "0.0" } }],
      shipments: [],
    })
    expect(await inventory()).toMatchObject({ fulfillable: 3, reserved: 2, total: 5 })
    const t0 = Date.parse(created.body.order.receiveTime)

    sim.control.advanceClock(T.planningMs)
    let order = (await getOrder("SHOP-1001")).body.order
    expect(order.status).toBe("PROCESSING")
    expect(order.shipments).toHaveLength(1)
    expect(order.shipments[0]).toMatchObject({ status: "PROCESSING", amazonFacility: { facilityId: "LEJ1" }, serviceLevel: { serviceTier: "STANDARD" } })
    expect(order.shipments[0].packages).toBeUndefined()

    sim.control.advanceClock(T.shippingMs)
    const shipped = await getOrder("SHOP-1001")
    expect(contract.validateResponse(op("getOrder"), 200, shipped.body).errors).toBe("")
    order = shipped.body.order
    const shipment = order.shipments[0]
    const shipTime = t0 + T.planningMs + T.shippingMs
    const deliveryTime = shipTime + T.deliveryMs.STANDARD
    expect(shipment).toMatchObject({ status: "SHIPPED", shipTime: iso(shipTime), deliveryTime: iso(deliveryTime) })
    expect(shipment.items).toEqual([{ shipmentItemId: expect.any(String), productIdentifier: { amazonSku: "MUG" }, lineItemId: "L1", amount: { unit: "EACHES", value: "2.0" }, packageId: shipment.packages[0].packageId }])
    expect(shipment.packages[0]).toMatchObject({
      status: "IN_TRANSIT",
      deliveryTime: iso(deliveryTime),
      shipmentItemIds: [shipment.items[0].shipmentItemId],
      tracking: { carrier: { carrierCode: "DHL", trackingNumber: expect.any(String), trackingUrl: expect.stringContaining("dhl.de") }, amazon: { trackingNumber: expect.stringMatching(/^TBA/) } },
    })
    expect(await inventory()).toMatchObject({ fulfillable: 3, reserved: 0, total: 3 })

    sim.control.advanceClock(T.deliveryMs.STANDARD)
    order = (await getOrder("SHOP-1001")).body.order
    expect(order.status).toBe("COMPLETE")
    expect(order.statusUpdateTime).toBe(iso(deliveryTime))
    expect(order.shipments[0].packages[0].status).toBe("DELIVERED")
    expect((await getOrder("SHOP-1001", { shipments: "EXCLUDE" })).body.order.shipments).toBeUndefined()
  })

  it("HOLD reserves and waits; updateOrder SHIP releases it; only held orders can be updated", async () => {
    expect((await create(orderBody("HOLD-1", [["MUG", 1]], { action: "HOLD" }))).body.order.fulfillmentConfiguration.action).toBe("HOLD")
    sim.control.advanceClock(30 * 60_000)
    expect((await getOrder("HOLD-1")).body.order).toMatchObject({ status: "PROCESSING", shipments: [] })
    expect(await inventory()).toMatchObject({ fulfillable: 4, reserved: 1 })
    expect(sim.control.getMcfOrder("HOLD-1")?.phase).toBe("hold")

    const released = await update("HOLD-1", "SHIP")
    expect(released.status).toBe(202)
    expect(contract.validateResponse(op("updateOrder"), 202, released.body).errors).toBe("")
    expect((await getOrder("HOLD-1")).body.order.fulfillmentConfiguration.action).toBe("SHIP")
    sim.control.advanceClock(T.planningMs + T.shippingMs)
    expect((await getOrder("HOLD-1")).body.order.shipments[0].status).toBe("SHIPPED")

    const again = await update("HOLD-1", "SHIP")
    expect(again.status).toBe(400)
    expect(again.body.errors[0]).toMatchObject({ code: "InvalidInput", message: expect.stringContaining("not on hold") })
    expect((await update("NOPE", "SHIP")).status).toBe(404)
  })

  it("a repeated orderId does not create a second order", async () => {
    expect((await create(orderBody("DUP-1", [["MUG", 1]]))).status).toBe(200)
    const second = await create(orderBody("DUP-1", [["MUG", 1]]))
    expect(second.status).toBe(400)
    expect(second.body.errors[0]).toMatchObject({ code: "InvalidInput", message: "A fulfillment order with orderId DUP-1 already exists." })
    expect(sim.control.listMcfOrders()).toHaveLength(1)
    expect(await inventory()).toMatchObject({ fulfillable: 4, reserved: 1 })
  })

  it("refuses unknown SKUs and SKUs without FBA stock in the marketplace, and malformed amounts", async () => {
    const unknown = await create(orderBody("BAD-1", [["MUG", 1], ["NOPE", 1]]))
    expect(unknown.status).toBe(400)
    expect(unknown.body.errors[0]).toMatchObject({ code: "InvalidInput", message: "The amazonSku for lineItemId: L2 is invalid.", details: expect.stringContaining("NOPE") })
    expect(contract.validateResponse(op("createOrder"), 400, unknown.body).errors).toBe("")
    const fractional = await create({ ...orderBody("BAD-2", [["MUG", 1]]), lineItems: [{ lineItemId: "L1", product: { productIdentifier: { amazonSku: "MUG" } }, amount: { value: "1.5" } }] })
    expect(fractional.status).toBe(400)
    const priority = await create(orderBody("BAD-3", [["MUG", 1]], { serviceLevel: { serviceTiers: ["PRIORITY"] } }))
    expect(priority.body.errors[0].message).toMatch(/PRIORITY is not available/)
    expect(sim.control.listMcfOrders()).toEqual([])
    expect(await inventory()).toMatchObject({ fulfillable: 5, reserved: 0 })
  })

  it("FILL_OR_KILL with short stock: the order is UNFULFILLABLE and nothing is reserved", async () => {
    const res = await create(orderBody("FOK-1", [["MUG", 6]]))
    expect(res.status).toBe(200)
    expect(res.body.order).toMatchObject({ status: "UNFULFILLABLE", fulfillmentConfiguration: { policy: "FILL_OR_KILL" }, lineItems: [{ unfulfillableAmount: { value: "6.0" } }] })
    expect(await inventory()).toMatchObject({ fulfillable: 5, reserved: 0 })
    expect((await create(orderBody("FOK-2", [["EMPTY", 1]]))).body.order.status).toBe("UNFULFILLABLE")
    const cancelled = await cancel("FOK-1")
    expect(cancelled.status).toBe(400)
  })

  it("FILL_ALL_AVAILABLE ships what is there and ends COMPLETE_PARTIAL with unfulfillableAmount", async () => {
    const res = await create(orderBody("FAA-1", [["MUG", 7], ["EMPTY", 1]], { policy: "FILL_ALL_AVAILABLE" }))
    expect(res.body.order.lineItems.map((l: Json) => l.unfulfillableAmount.value)).toEqual(["2.0", "1.0"])
    expect(await inventory()).toMatchObject({ fulfillable: 0, reserved: 5 })
    const before = sim.control.now()
    const delivered = sim.control.advanceMcfOrder("FAA-1", "delivered")
    expect(delivered.order.status).toBe("COMPLETE_PARTIAL")
    expect(delivered.order.shipments?.[0].items).toEqual([expect.objectContaining({ lineItemId: "L1", amount: { unit: "EACHES", value: "5.0" } })])
    expect(sim.control.now() - before).toBeLessThan(1_000) // the clock did not jump
    expect(await inventory()).toMatchObject({ fulfillable: 0, reserved: 0, total: 0 })
  })

  it("FILL_ALL ships what is there and keeps the rest open until the seller cancels it", async () => {
    await create(orderBody("FA-1", [["MUG", 8]], { policy: "FILL_ALL" }))
    sim.control.advanceMcfOrder("FA-1", "delivered")
    expect((await getOrder("FA-1")).body.order.status).toBe("PROCESSING")
    expect((await cancel("FA-1")).status).toBe(202)
    const order = (await getOrder("FA-1")).body.order
    expect(order).toMatchObject({ status: "COMPLETE_PARTIAL", lineItems: [{ cancelledAmount: { value: "3.0" } }] })
  })

  it("cancels early (stock back, CANCELLED, cancelledAmount) and refuses after the window or once shipped", async () => {
    await create(orderBody("C-1", [["MUG", 2]]))
    await create(orderBody("C-2", [["MUG", 1]]))
    sim.control.advanceClock(T.planningMs + 1_000)
    // picking has begun (shipment PROCESSING) but the window is still open: the shipment is cancelled too
    const early = await cancel("C-1")
    expect(early.status).toBe(202)
    expect(contract.validateResponse(op("cancelOrder"), 202, early.body).errors).toBe("")
    const order = (await getOrder("C-1")).body.order
    expect(order).toMatchObject({ status: "CANCELLED", lineItems: [{ cancelledAmount: { value: "2.0" }, unfulfillableAmount: { value: "0.0" } }] })
    expect(order.shipments[0].status).toBe("CANCELLED")
    expect(order.shipments[0].shipTime).toBeUndefined()
    expect(await inventory()).toMatchObject({ fulfillable: 4, reserved: 1 })

    sim.control.advanceClock(T.cancelWindowMs)
    const late = await cancel("C-2")
    expect(late.status).toBe(400)
    expect(late.body.errors[0]).toMatchObject({ code: "InvalidInput", message: expect.stringContaining("cancellation window has passed") })
    expect(contract.validateResponse(op("cancelOrder"), 400, late.body).errors).toBe("")
    sim.control.advanceClock(T.shippingMs)
    expect((await cancel("C-2")).body.errors[0].message).toMatch(/already shipped/)
    expect((await cancel("C-1")).body.errors[0].message).toMatch(/CANCELLED and cannot be cancelled/)

    await create(orderBody("C-3", [["MUG", 1]], { action: "HOLD" }))
    sim.control.advanceClock(24 * 3_600_000)
    token = await accessToken(sim)
    expect((await cancel("C-3")).status).toBe(202)
  })

  it("getOrderPreview and getOffers: planned shipments, offers per tier with fees and windows, constraints", async () => {
    const preview = await call<Json>(sim.url, "POST", `${MCF}/previews`, {
      token,
      body: {
        destination: { deliveryAddress: ADDRESS },
        lineItems: [
          { product: { productIdentifier: { amazonSku: "MUG" } }, amount: { value: "7" } },
          { product: { productIdentifier: { amazonSku: "NOPE" } }, amount: { value: "1" } },
        ],
        fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["STANDARD", "EXPEDITED", "PRIORITY"] }, services: { packaging: { packagingOption: "UNBRANDED" } } },
      },
    })
    expect(preview.status).toBe(200)
    expect(contract.validateResponse(op("getOrderPreview"), 200, preview.body).errors).toBe("")
    const shipment = preview.body.plannedShipments[0]
    expect(shipment.items).toEqual([{ productIdentifier: { amazonSku: "MUG" }, amount: { unit: "EACHES", value: "5.0" } }])
    expect(shipment.offers.map((o: Json) => [o.fulfillmentConfiguration.serviceLevel.serviceTier, o.estimatedPrice.totalPrice])).toEqual([
      ["STANDARD", { currencyCode: "EUR", amount: "9.50" }],
      ["EXPEDITED", { currencyCode: "EUR", amount: "14.00" }],
    ])
    const { serviceLevel, services } = shipment.offers[0].fulfillmentConfiguration
    expect(services).toEqual({ packaging: { packagingOption: "UNBRANDED" } })
    expect(Date.parse(serviceLevel.shipInterval.startTime) - sim.control.now()).toBeGreaterThan(T.planningMs - 2_000)
    expect(Date.parse(serviceLevel.shipInterval.endTime) - Date.parse(serviceLevel.shipInterval.startTime)).toBe(T.shippingMs)
    expect(Date.parse(serviceLevel.deliveryInterval.endTime) - Date.parse(serviceLevel.shipInterval.endTime)).toBe(T.deliveryMs.STANDARD)
    expect(preview.body.constraints.map((c: Json) => c.code).sort()).toEqual(["DeliverySLAUnavailable", "InvalidSku", "ItemQuantityNotAvailable"])
    expect(preview.body.constraints.find((c: Json) => c.code === "ItemQuantityNotAvailable").details).toContainEqual({ type: "availableQuantity", value: "5" })

    const offers = await call<Json>(sim.url, "POST", `${MCF}/offers`, {
      token,
      body: { origin: { countryCode: "DE" }, items: [{ productIdentifier: { amazonSku: "MUG" } }, { productIdentifier: { amazonSku: "EMPTY" } }] },
    })
    expect(offers.status).toBe(200)
    expect(contract.validateResponse(op("getOffers"), 200, offers.body).errors).toBe("")
    const [mug, empty] = offers.body.offerResults
    expect(mug.offers.map((o: Json) => o.fulfillmentConfiguration.serviceLevel.serviceTier)).toEqual(["STANDARD", "EXPEDITED"])
    expect(Math.abs(Date.parse(mug.offers[0].expiryTime) - sim.control.now() - T.offerTtlMs)).toBeLessThan(2_000)
    expect(mug.constraints).toEqual([expect.objectContaining({ code: "DeliverySLAUnavailable" })])
    expect(empty).toMatchObject({ offers: [], constraints: [{ code: "ItemQuantityNotAvailable" }] })
  })

  it("sends schema-valid FULFILLMENT_ORDER_STATUS notifications for every status, shipment and package change", async () => {
    const grantless = await grantlessAccessToken(sim)
    const queue = sim.control.createSqsQueue({ name: "mcf" })
    const destination = await call<Json>(sim.url, "POST", "/notifications/v1/destinations", { token: grantless, body: { name: "mcf", resourceSpecification: { sqs: { arn: queue.queueArn } } } })
    const subscribed = await call<Json>(sim.url, "POST", "/notifications/v1/subscriptions/FULFILLMENT_ORDER_STATUS", {
      token,
      body: { payloadVersion: "1.0", destinationId: destination.body.payload.destinationId },
    })
    expect(subscribed.status).toBe(200)
    const t0 = Date.parse((await create(orderBody("N-1", [["MUG", 1]]))).body.order.receiveTime)
    sim.control.advanceClock(T.planningMs + T.shippingMs + T.deliveryMs.STANDARD)
    const messages = sim.control.listSqsMessages("mcf").map((m) => JSON.parse(m.body) as Json)
    const mcf = messages.filter((m) => m.NotificationType === "FULFILLMENT_ORDER_STATUS").map((m) => m.Payload.FulfillmentOrderStatusNotification)
    expect(mcf.map((n) => [n.EventType, n.FulfillmentOrderStatus, n.FulfillmentShipment?.FulfillmentShipmentStatus])).toEqual([
      ["Order", "Received", undefined],
      ["Order", "Planning", undefined],
      ["Shipment", "Processing", "Pending"],
      ["Shipment", "Processing", "Shipped"],
      ["Shipment", "Complete", "Shipped"],
    ])
    expect(mcf.every((n) => n.SellerFulfillmentOrderId === "N-1" && n.SellerId === SELLER.sellerId)).toBe(true)
    // FBA stock changes are notified through FBA_INVENTORY_AVAILABILITY_CHANGES subscriptions only
    expect(messages.every((m) => m.NotificationType === "FULFILLMENT_ORDER_STATUS")).toBe(true)

    const shipped = messages.find((m) => m.Payload.FulfillmentOrderStatusNotification.FulfillmentShipment?.FulfillmentShipmentStatus === "Shipped") as Json
    expect(shipped.Payload.FulfillmentOrderStatusNotification.FulfillmentShipment).toEqual({
      FulfillmentShipmentStatus: "Shipped",
      AmazonShipmentId: expect.any(String),
      EstimatedArrivalDateTime: expect.stringMatching(new RegExp(`^${iso(t0 + T.planningMs + T.shippingMs + T.deliveryMs.STANDARD).slice(0, 19)}`)),
      FulfillmentShipmentPackages: [{ PackageNumber: 1, CarrierCode: "DHL", TrackingNumber: expect.any(String) }],
    })
    // The schema file was generated from its example and marks FulfillmentReturnItem (only sent with EventType Return)
    // and FulfillmentShipment.info (in no documented payload) required; Amazon's guide calls them optional.
    const schema = withoutNestedIds(notificationSchema("FULFILLMENT_ORDER_STATUS")) as Json
    const body = schema.properties.Payload.properties.FulfillmentOrderStatusNotification
    body.required = body.required.filter((r: string) => r !== "FulfillmentReturnItem")
    body.properties.FulfillmentShipment.required = body.properties.FulfillmentShipment.required.filter((r: string) => r !== "info")
    const validate = createAjv().compile(schema)
    expect(validate(shipped) ? "" : JSON.stringify(validate.errors)).toBe("")
    expect(sim.control.notificationsSent().FULFILLMENT_ORDER_STATUS).toMatchObject({ published: 5, delivered: 5 })
  })

  describe("faults", () => {
    it("mcf-unfulfillable: the order turns UNFULFILLABLE when picking starts; the units are found damaged", async () => {
      sim.control.injectFault({ type: "mcf-unfulfillable", sku: "MUG" })
      await create(orderBody("U-1", [["MUG", 2]]))
      expect((await getOrder("U-1")).body.order.status).toBe("PROCESSING")
      sim.control.advanceClock(T.planningMs)
      const order = (await getOrder("U-1")).body.order
      expect(order).toMatchObject({ status: "UNFULFILLABLE", shipments: [], lineItems: [{ unfulfillableAmount: { value: "2.0" } }] })
      const stock = await inventory()
      expect(stock).toMatchObject({ fulfillable: 3, reserved: 0, total: 5 })
      expect(stock.summary.inventoryDetails.unfulfillableQuantity.warehouseDamagedQuantity).toBe(2)
      // count-based: only the next order
      sim.control.clearFaults()
      sim.control.injectFault({ type: "mcf-unfulfillable" })
      await create(orderBody("U-2", [["MUG", 1]]))
      await create(orderBody("U-3", [["MUG", 1]]))
      expect(sim.control.advanceMcfOrder("U-2", "shipped").order.status).toBe("UNFULFILLABLE")
      expect(sim.control.advanceMcfOrder("U-3", "shipped").order.shipments?.[0].status).toBe("SHIPPED")
    })

    it("mcf-cancel-refused refuses the next cancelOrder even early", async () => {
      await create(orderBody("R-1", [["MUG", 1]]))
      sim.control.injectFault({ type: "mcf-cancel-refused" })
      const refused = await cancel("R-1")
      expect(refused.status).toBe(400)
      expect(refused.body.errors[0].message).toBe("The fulfillment order R-1 could not be cancelled.")
      expect((await cancel("R-1")).status).toBe(202)
    })

    it("malformed-json on createOrder: the answer is lost but the order exists", async () => {
      sim.control.injectFault({ type: "malformed-json", operation: "createOrder" })
      const res = await create(orderBody("LOST-1", [["MUG", 1]]))
      expect(res.status).toBe(200)
      expect(res.body).toBeUndefined()
      expect((await getOrder("LOST-1")).body.order.status).toBe("PROCESSING")
      expect((await create(orderBody("LOST-1", [["MUG", 1]]))).status).toBe(400)
    })

    it("generic faults and counters apply", async () => {
      sim.control.injectFault({ type: "server-error", operation: "getOffers", status: 503 })
      const res = await call<Json>(sim.url, "POST", `${MCF}/offers`, { token, body: { origin: { countryCode: "DE" }, items: [] } })
      expect(res.status).toBe(503)
      expect(sim.control.counters()[op("getOffers")]).toMatchObject({ calls: 1 })
    })
  })

  it("applies the model's usage plans (2 rps burst 30; getOffers 5 rps)", async () => {
    const first = await create(orderBody("Q-0", [["MUG", 1]]))
    expect(first.headers.get("x-amzn-ratelimit-limit")).toMatch(/^2(\.0+)?$/)
    const offers = await call(sim.url, "POST", `${MCF}/offers`, { token, body: { origin: { countryCode: "DE" }, items: [] } })
    expect(offers.headers.get("x-amzn-ratelimit-limit")).toMatch(/^5(\.0+)?$/)
    expect(sim.control.usagePlans()[op("listOrders")]).toEqual({ rate: 2, burst: 30 })
    for (let i = 0; i < 29; i++) await call(sim.url, "GET", `${MCF}/orders/Q-0`, { token })
    const throttled = await getOrder("Q-0")
    expect(throttled.status).toBe(200)
    const over = await getOrder("Q-0")
    expect(over.status).toBe(429)
    expect(contract.validateResponse(op("getOrder"), 429, over.body).errors).toBe("")
  })

  it("listOrders pages with nextToken (pageToken) and filters by updatedAfter", async () => {
    for (const id of ["P-1", "P-2", "P-3"]) {
      await create(orderBody(id, [["MUG", 1]]))
      sim.control.advanceClock(1_000)
    }
    const first = await call<Json>(sim.url, "GET", `${MCF}/orders`, { token, query: { shipments: "EXCLUDE" } })
    expect(contract.validateResponse(op("listOrders"), 200, first.body).errors).toBe("")
    expect(first.body.orders.map((o: Json) => o.orderId)).toEqual(["P-1", "P-2"])
    const next = await call<Json>(sim.url, "GET", `${MCF}/orders`, { token, query: { shipments: "EXCLUDE", pageToken: first.body.pagination.nextToken } })
    expect(next.body).toEqual({ orders: [expect.objectContaining({ orderId: "P-3" })] })
    expect((await call(sim.url, "GET", `${MCF}/orders`, { token, query: { pageToken: first.body.pagination.nextToken } })).status).toBe(400)

    sim.control.advanceClock(T.planningMs)
    await cancel("P-3")
    const updated = await call<Json>(sim.url, "GET", `${MCF}/orders`, { token, query: { updatedAfter: new Date(sim.control.now() - 500).toISOString() } })
    expect(updated.body.orders.map((o: Json) => [o.orderId, o.status])).toEqual([["P-3", "CANCELLED"]])
  })

  it("control API over HTTP: timing, list, get, advance; reset clears the orders", async () => {
    const timing = await call<Json>(sim.url, "PUT", "/_sim/mcf/timing", { body: { planningMs: 1_000, deliveryMs: { STANDARD: 5_000 } } })
    expect(timing.body).toMatchObject({ planningMs: 1_000, shippingMs: T.shippingMs, deliveryMs: { STANDARD: 5_000, EXPEDITED: T.deliveryMs.EXPEDITED } })
    expect((await call(sim.url, "PUT", "/_sim/mcf/timing", { body: { planningMs: -1 } })).status).toBe(400)
    await create(orderBody("H-1", [["MUG", 1]]))
    sim.control.advanceClock(1_000)
    expect((await call<Json>(sim.url, "GET", "/_sim/mcf/orders/H-1")).body).toMatchObject({ sellerId: SELLER.sellerId, marketplaceId: DE, phase: "picking" })
    const advanced = await call<Json>(sim.url, "POST", "/_sim/mcf/orders/H-1/advance", { body: { to: "shipped" } })
    expect(advanced.body.order.shipments[0].status).toBe("SHIPPED")
    sim.control.advanceClock(5_000)
    expect(sim.control.getMcfOrder("H-1")?.order.status).toBe("COMPLETE")
    expect((await call(sim.url, "POST", "/_sim/mcf/orders/H-1/advance", { body: { to: "delivered" } })).status).toBe(409)
    expect((await call<Json[]>(sim.url, "GET", "/_sim/mcf/orders")).body).toHaveLength(1)
    sim.control.setMcfTiming(structuredClone(DEFAULT_MCF_TIMING))
    sim.control.reset()
    expect(sim.control.listMcfOrders()).toEqual([])
  })
})
