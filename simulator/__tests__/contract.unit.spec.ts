/**
 * Contract tests: every simulated operation, answering success and each error status, returns a body that
 * validates against Amazon's official Swagger model for that status; every error body is exactly
 * `{errors:[{code,message,details?}]}`; processing reports validate against the JSON_LISTINGS_FEED report schema.
 */
import { ContractValidator, type OperationKey, SIMULATED_OPERATIONS, startSimulator, type SimulatorHandle } from "../index"
import { accessToken, call, type CallOptions, createFeed, DE, downloadResult, grantlessAccessToken, listingsFeed, quantityPatch, SELLER, uploadFeedDocument } from "./helpers/sp-client"

const contract = new ContractValidator()

interface Request {
  method: string
  path: string
  query?: CallOptions["query"]
  body?: unknown
}

interface Scenario {
  ok: { status: number; request: () => Request }
  /** A request the operation refuses with 400 (operations without client-settable input have none). */
  invalid?: () => Request
  /** A request for a resource that does not exist (operations that declare 404). */
  missing?: () => Request
  /** Sent with the application's grantless (client_credentials) token instead of the seller's. */
  grantless?: boolean
}

function expectErrorShape(body: unknown): void {
  expect(body).toEqual({ errors: expect.any(Array) })
  const errors = (body as { errors: Record<string, unknown>[] }).errors
  expect(errors.length).toBeGreaterThan(0)
  for (const error of errors) {
    expect(typeof error.code).toBe("string")
    expect(typeof error.message).toBe("string")
    for (const key of Object.keys(error)) expect(["code", "message", "details"]).toContain(key)
    if ("details" in error) expect(typeof error.details).toBe("string")
  }
}

describe("contract: responses match Amazon's models", () => {
  let sim: SimulatorHandle
  let token: string
  let orderId: string
  let orderItemId: string
  let feedId: string
  let resultDocumentId: string
  let fatalFeedId: string

  let inputDocumentId: string
  let reportId: string
  let reportDocumentId: string
  let grantlessToken: string
  let destinationId: string
  let subscriptionId: string

  beforeAll(async () => {
    sim = await startSimulator({ startTime: Date.parse("2026-03-01T12:00:00Z"), compressReports: "always" })
    sim.control.seed({
      sellers: [SELLER],
      listings: [{ sellerId: SELLER.sellerId, sku: "SKU-1", asin: "B000000001", quantity: 3, price: { amount: "5.00" }, itemName: "One" }],
      fbaInventory: [{ sellerId: SELLER.sellerId, sku: "SKU-1", fulfillable: 4 }],
    })
    const order = sim.control.seedOrder({
      sellerId: SELLER.sellerId,
      createdTime: new Date(sim.control.now() - 3_600_000).toISOString(),
      buyer: { buyerName: "B", buyerEmail: "b@marketplace.amazon.de" },
      recipient: { deliveryAddress: { name: "B", addressLine1: "L1", city: "C", postalCode: "1", countryCode: "DE" } },
      orderItems: [{ sellerSku: "SKU-1", quantityOrdered: 5, unitPrice: "5.00" }],
    })
    orderId = order.orderId
    orderItemId = order.orderItems[0].orderItemId
    token = await accessToken(sim)

    const doc = await uploadFeedDocument(sim, token, listingsFeed(SELLER.sellerId, [quantityPatch(1, "SKU-1", 2), quantityPatch(2, "NOPE", 1)]))
    feedId = await createFeed(sim, token, "JSON_LISTINGS_FEED", doc)
    const badDoc = await uploadFeedDocument(sim, token, "{]")
    fatalFeedId = await createFeed(sim, token, "JSON_LISTINGS_FEED", badDoc)
    const created = await call<{ reportId: string }>(sim.url, "POST", "/reports/2021-06-30/reports", {
      token,
      body: { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: [DE] },
    })
    reportId = created.body.reportId
    sim.control.advanceClock(120_000)
    reportDocumentId = sim.control.getReport(reportId)?.reportDocumentId as string
    resultDocumentId = sim.control.getFeed(feedId)?.resultFeedDocumentId as string
    inputDocumentId = doc

    grantlessToken = await grantlessAccessToken(sim)
    const queue = sim.control.createSqsQueue({ name: "contract" })
    const destination = await call<{ payload: { destinationId: string } }>(sim.url, "POST", "/notifications/v1/destinations", {
      token: grantlessToken,
      body: { name: "contract", resourceSpecification: { sqs: { arn: queue.queueArn } } },
    })
    destinationId = destination.body.payload.destinationId
    const subscription = await call<{ payload: { subscriptionId: string } }>(sim.url, "POST", "/notifications/v1/subscriptions/ORDER_CHANGE", {
      token,
      body: { payloadVersion: "1.0", destinationId },
    })
    subscriptionId = subscription.body.payload.subscriptionId

    // Multi-Channel Fulfillment: an order on hold (getOrder, updateOrder HOLD → HOLD), one to cancel, one UNFULFILLABLE
    for (const [id, action, units] of [
      ["MCF-HELD", "HOLD", "1"],
      ["MCF-CANCEL", "HOLD", "1"],
      ["MCF-UNFULFILLABLE", "SHIP", "99"],
    ]) {
      const created = await call(sim.url, "POST", "/fulfillment/outbound/2026-07-04/orders", { token, body: mcfOrder(id, action, units) })
      if (created.status !== 200) throw new Error(`createOrder ${id}: ${created.status} ${created.text}`)
    }
  })
  afterAll(() => sim.close())

  const MCF = "/fulfillment/outbound/2026-07-04"
  const mcfAddress = { name: "B", addressLine1: "L1", city: "Berlin", postalCode: "10115", countryCode: "DE" }
  function mcfOrder(orderId: string, action = "SHIP", units = "1") {
    return {
      orderId,
      destination: { deliveryAddress: mcfAddress },
      fulfillmentConfiguration: { action, policy: "FILL_OR_KILL", serviceLevel: { serviceTiers: ["STANDARD"] } },
      lineItems: [{ lineItemId: "1", product: { productIdentifier: { amazonSku: "SKU-1" } }, amount: { unit: "EACHES", value: units } }],
    }
  }
  let mcfSequence = 0

  const scenarios: Record<OperationKey, Scenario> = {
    "feeds-2021-06-30.createFeedDocument": {
      ok: { status: 201, request: () => ({ method: "POST", path: "/feeds/2021-06-30/documents", body: { contentType: "application/json; charset=UTF-8" } }) },
      invalid: () => ({ method: "POST", path: "/feeds/2021-06-30/documents", body: { type: "json" } }),
    },
    "feeds-2021-06-30.getFeedDocument": {
      ok: { status: 200, request: () => ({ method: "GET", path: `/feeds/2021-06-30/documents/${encodeURIComponent(resultDocumentId)}` }) },
      invalid: () => ({ method: "GET", path: `/feeds/2021-06-30/documents/${encodeURIComponent(resultDocumentId)}`, query: { enableContentEncodingUrlHeader: "maybe" } }),
      missing: () => ({ method: "GET", path: "/feeds/2021-06-30/documents/amzn1.tortuga.4.eu.nope" }),
    },
    "feeds-2021-06-30.createFeed": {
      ok: {
        status: 202,
        request: () => ({ method: "POST", path: "/feeds/2021-06-30/feeds", body: { feedType: "POST_ORDER_FULFILLMENT_DATA", marketplaceIds: [DE], inputFeedDocumentId: inputDocumentId } }),
      },
      invalid: () => ({ method: "POST", path: "/feeds/2021-06-30/feeds", body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [] } }),
    },
    "feeds-2021-06-30.getFeed": {
      ok: { status: 200, request: () => ({ method: "GET", path: `/feeds/2021-06-30/feeds/${feedId}` }) },
      missing: () => ({ method: "GET", path: "/feeds/2021-06-30/feeds/99" }),
    },
    "feeds-2021-06-30.getFeeds": {
      ok: { status: 200, request: () => ({ method: "GET", path: "/feeds/2021-06-30/feeds", query: { feedTypes: "JSON_LISTINGS_FEED" } }) },
      invalid: () => ({ method: "GET", path: "/feeds/2021-06-30/feeds", query: { pageSize: 5 } }),
    },
    "feeds-2021-06-30.cancelFeed": {
      ok: {
        status: 200,
        request: () => {
          return { method: "DELETE", path: `/feeds/2021-06-30/feeds/${queuedFeedId}` }
        },
      },
      invalid: () => ({ method: "DELETE", path: `/feeds/2021-06-30/feeds/${feedId}` }),
      missing: () => ({ method: "DELETE", path: "/feeds/2021-06-30/feeds/99" }),
    },
    "listings-items-2021-08-01.patchListingsItem": {
      ok: {
        status: 200,
        request: () => ({
          method: "PATCH",
          path: `/listings/2021-08-01/items/${SELLER.sellerId}/SKU-1`,
          query: { marketplaceIds: DE, includedData: "issues,identifiers" },
          body: { productType: "PRODUCT", patches: [{ op: "replace", path: "/attributes/fulfillmentAvailability", value: [{ quantity: 1 }] }] },
        }),
      },
      invalid: () => ({ method: "PATCH", path: `/listings/2021-08-01/items/${SELLER.sellerId}/SKU-1`, query: { marketplaceIds: DE }, body: { patches: [] } }),
    },
    "listings-items-2021-08-01.getListingsItem": {
      ok: {
        status: 200,
        request: () => ({
          method: "GET",
          path: `/listings/2021-08-01/items/${SELLER.sellerId}/SKU-1`,
          query: { marketplaceIds: DE, includedData: "summaries,attributes,issues,offers,fulfillmentAvailability,procurement,relationships,productTypes" },
        }),
      },
      invalid: () => ({ method: "GET", path: `/listings/2021-08-01/items/${SELLER.sellerId}/SKU-1`, query: { marketplaceIds: DE, includedData: "everything" } }),
      missing: () => ({ method: "GET", path: `/listings/2021-08-01/items/${SELLER.sellerId}/NOPE`, query: { marketplaceIds: DE } }),
    },
    "listings-items-2021-08-01.searchListingsItems": {
      ok: {
        status: 200,
        request: () => ({ method: "GET", path: `/listings/2021-08-01/items/${SELLER.sellerId}`, query: { marketplaceIds: DE, includedData: "summaries,offers,fulfillmentAvailability,issues" } }),
      },
      invalid: () => ({ method: "GET", path: `/listings/2021-08-01/items/${SELLER.sellerId}`, query: { marketplaceIds: DE, pageSize: 50 } }),
    },
    "orders-2026-01-01.searchOrders": {
      ok: {
        status: 200,
        request: () => ({
          method: "GET",
          path: "/orders/2026-01-01/orders",
          query: { createdAfter: "2026-03-01T00:00:00Z", includedData: "BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX,PAYMENT,FULFILLMENT_ORDERS" },
        }),
      },
      invalid: () => ({ method: "GET", path: "/orders/2026-01-01/orders", query: { createdAfter: "2026-03-01T00:00:00Z", lastUpdatedAfter: "2026-03-01T00:00:00Z" } }),
    },
    "orders-2026-01-01.getOrder": {
      ok: { status: 200, request: () => ({ method: "GET", path: `/orders/2026-01-01/orders/${orderId}`, query: { includedData: "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES" } }) },
      invalid: () => ({ method: "GET", path: `/orders/2026-01-01/orders/${orderId}`, query: { includedData: "EVERYTHING" } }),
      missing: () => ({ method: "GET", path: "/orders/2026-01-01/orders/302-0000000-0000000" }),
    },
    "orders-v0.confirmShipment": {
      ok: {
        status: 204,
        request: () => ({
          method: "POST",
          path: `/orders/v0/orders/${orderId}/shipmentConfirmation`,
          body: {
            marketplaceId: DE,
            packageDetail: { packageReferenceId: `P-${Math.random()}`, carrierCode: "DHL", trackingNumber: "T1", shipDate: "2026-03-01T10:00:00Z", orderItems: [{ orderItemId, quantity: 1 }] },
          },
        }),
      },
      invalid: () => ({ method: "POST", path: `/orders/v0/orders/${orderId}/shipmentConfirmation`, body: { marketplaceId: DE } }),
      missing: () => ({
        method: "POST",
        path: "/orders/v0/orders/302-0000000-0000000/shipmentConfirmation",
        body: { marketplaceId: DE, packageDetail: { packageReferenceId: "1", carrierCode: "DHL", trackingNumber: "T", shipDate: "2026-03-01T10:00:00Z", orderItems: [] } },
      }),
    },
    "fba-inventory-v1.getInventorySummaries": {
      ok: {
        status: 200,
        request: () => ({ method: "GET", path: "/fba/inventory/v1/summaries", query: { granularityType: "Marketplace", granularityId: DE, marketplaceIds: DE, details: true } }),
      },
      invalid: () => ({ method: "GET", path: "/fba/inventory/v1/summaries", query: { granularityType: "Marketplace", granularityId: DE, marketplaceIds: DE, nextToken: "expired" } }),
    },
    "sellers-v1.getMarketplaceParticipations": {
      ok: { status: 200, request: () => ({ method: "GET", path: "/sellers/v1/marketplaceParticipations" }) },
    },
    "reports-2021-06-30.createReport": {
      ok: { status: 202, request: () => ({ method: "POST", path: "/reports/2021-06-30/reports", body: { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: [DE] } }) },
      invalid: () => ({ method: "POST", path: "/reports/2021-06-30/reports", body: { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: [] } }),
    },
    "reports-2021-06-30.getReport": {
      ok: { status: 200, request: () => ({ method: "GET", path: `/reports/2021-06-30/reports/${reportId}` }) },
      missing: () => ({ method: "GET", path: "/reports/2021-06-30/reports/99" }),
    },
    "reports-2021-06-30.getReports": {
      ok: { status: 200, request: () => ({ method: "GET", path: "/reports/2021-06-30/reports", query: { reportTypes: "GET_MERCHANT_LISTINGS_ALL_DATA", pageSize: 1 } }) },
      invalid: () => ({ method: "GET", path: "/reports/2021-06-30/reports", query: { pageSize: 5 } }),
    },
    "reports-2021-06-30.cancelReport": {
      ok: { status: 200, request: () => ({ method: "DELETE", path: `/reports/2021-06-30/reports/${queuedReportId}` }) },
      invalid: () => ({ method: "DELETE", path: `/reports/2021-06-30/reports/${reportId}` }),
      missing: () => ({ method: "DELETE", path: "/reports/2021-06-30/reports/99" }),
    },
    "notifications-v1.getSubscription": {
      ok: { status: 200, request: () => ({ method: "GET", path: "/notifications/v1/subscriptions/ORDER_CHANGE" }) },
      invalid: () => ({ method: "GET", path: "/notifications/v1/subscriptions/NO_SUCH_TYPE" }),
      missing: () => ({ method: "GET", path: "/notifications/v1/subscriptions/FULFILLMENT_ORDER_STATUS" }),
    },
    "notifications-v1.createSubscription": {
      ok: { status: 200, request: () => ({ method: "POST", path: "/notifications/v1/subscriptions/FEED_PROCESSING_FINISHED", body: { payloadVersion: "1.0", destinationId } }) },
      invalid: () => ({ method: "POST", path: "/notifications/v1/subscriptions/FEED_PROCESSING_FINISHED", body: { payloadVersion: "1.0" } }),
    },
    "notifications-v1.getSubscriptionById": {
      ok: { status: 200, request: () => ({ method: "GET", path: `/notifications/v1/subscriptions/ORDER_CHANGE/${subscriptionId}` }) },
      invalid: () => ({ method: "GET", path: `/notifications/v1/subscriptions/NO_SUCH_TYPE/${subscriptionId}` }),
      missing: () => ({ method: "GET", path: "/notifications/v1/subscriptions/ORDER_CHANGE/nope" }),
    },
    "notifications-v1.deleteSubscriptionById": {
      ok: { status: 200, request: () => ({ method: "DELETE", path: `/notifications/v1/subscriptions/REPORT_PROCESSING_FINISHED/${deletableSubscriptionId}` }) },
      invalid: () => ({ method: "DELETE", path: `/notifications/v1/subscriptions/NO_SUCH_TYPE/${subscriptionId}` }),
      missing: () => ({ method: "DELETE", path: "/notifications/v1/subscriptions/REPORT_PROCESSING_FINISHED/nope" }),
    },
    "notifications-v1.getSubscriptions": {
      ok: { status: 200, request: () => ({ method: "GET", path: "/notifications/v1/subscriptions", query: { notificationTypes: "ORDER_CHANGE" } }) },
      invalid: () => ({ method: "GET", path: "/notifications/v1/subscriptions", query: { notificationTypes: "ORDER_CHANGE", pageSize: 5 } }),
    },
    "notifications-v1.sendTestNotification": {
      grantless: true,
      ok: {
        status: 200,
        request: () => ({
          method: "POST",
          path: "/notifications/v1/subscriptions/ORDER_CHANGE/testNotification",
          body: { destinationId, testNotification: { payloadVersion: "1.0", testScenario: "OrderStatusChange" } },
        }),
      },
      invalid: () => ({ method: "POST", path: "/notifications/v1/subscriptions/ORDER_CHANGE/testNotification", body: {} }),
      missing: () => ({ method: "POST", path: "/notifications/v1/subscriptions/ORDER_CHANGE/testNotification", body: { destinationId: "nope" } }),
    },
    "notifications-v1.getDestinations": {
      grantless: true,
      ok: { status: 200, request: () => ({ method: "GET", path: "/notifications/v1/destinations" }) },
    },
    "notifications-v1.createDestination": {
      grantless: true,
      ok: { status: 200, request: () => ({ method: "POST", path: "/notifications/v1/destinations", body: { name: "spare", resourceSpecification: { sqs: { arn: spareQueueArn } } } }) },
      invalid: () => ({ method: "POST", path: "/notifications/v1/destinations", body: { name: "none", resourceSpecification: {} } }),
    },
    "notifications-v1.getDestination": {
      grantless: true,
      ok: { status: 200, request: () => ({ method: "GET", path: `/notifications/v1/destinations/${destinationId}` }) },
      missing: () => ({ method: "GET", path: "/notifications/v1/destinations/nope" }),
    },
    "notifications-v1.deleteDestination": {
      grantless: true,
      ok: { status: 200, request: () => ({ method: "DELETE", path: `/notifications/v1/destinations/${spareDestinationId}` }) },
      missing: () => ({ method: "DELETE", path: "/notifications/v1/destinations/nope" }),
    },
    "fulfillment-outbound-2026-07-04.getOrderPreview": {
      ok: {
        status: 200,
        request: () => ({
          method: "POST",
          path: `${MCF}/previews`,
          body: { destination: { deliveryAddress: mcfAddress }, lineItems: [{ product: { productIdentifier: { amazonSku: "SKU-1" } }, amount: { value: "9" } }] },
        }),
      },
      invalid: () => ({ method: "POST", path: `${MCF}/previews`, body: { lineItems: [] } }),
    },
    "fulfillment-outbound-2026-07-04.getOffers": {
      ok: {
        status: 200,
        request: () => ({
          method: "POST",
          path: `${MCF}/offers`,
          body: { origin: { countryCode: "DE" }, items: [{ productIdentifier: { amazonSku: "SKU-1" } }, { productIdentifier: { amazonSku: "NOPE" } }] },
        }),
      },
      invalid: () => ({ method: "POST", path: `${MCF}/offers`, body: { items: [] } }),
    },
    "fulfillment-outbound-2026-07-04.createOrder": {
      ok: { status: 200, request: () => ({ method: "POST", path: `${MCF}/orders`, body: mcfOrder(`MCF-C-${++mcfSequence}`) }) },
      invalid: () => ({ method: "POST", path: `${MCF}/orders`, body: { orderId: "X", destination: { deliveryAddress: mcfAddress } } }),
    },
    "fulfillment-outbound-2026-07-04.getOrder": {
      ok: { status: 200, request: () => ({ method: "GET", path: `${MCF}/orders/MCF-HELD` }) },
      invalid: () => ({ method: "GET", path: `${MCF}/orders/MCF-HELD`, query: { shipments: "SOME" } }),
      missing: () => ({ method: "GET", path: `${MCF}/orders/NOPE` }),
    },
    "fulfillment-outbound-2026-07-04.listOrders": {
      ok: { status: 200, request: () => ({ method: "GET", path: `${MCF}/orders`, query: { updatedAfter: "2026-01-01T00:00:00Z" } }) },
      invalid: () => ({ method: "GET", path: `${MCF}/orders`, query: { pageToken: "garbage" } }),
    },
    "fulfillment-outbound-2026-07-04.updateOrder": {
      ok: { status: 202, request: () => ({ method: "PUT", path: `${MCF}/orders/MCF-HELD`, body: { fulfillmentConfiguration: { action: "HOLD" } } }) },
      invalid: () => ({ method: "PUT", path: `${MCF}/orders/MCF-UNFULFILLABLE`, body: { fulfillmentConfiguration: { action: "SHIP" } } }),
      missing: () => ({ method: "PUT", path: `${MCF}/orders/NOPE`, body: { fulfillmentConfiguration: { action: "SHIP" } } }),
    },
    "fulfillment-outbound-2026-07-04.cancelOrder": {
      ok: { status: 202, request: () => ({ method: "PUT", path: `${MCF}/orders/MCF-CANCEL/cancel` }) },
      invalid: () => ({ method: "PUT", path: `${MCF}/orders/MCF-UNFULFILLABLE/cancel` }),
      missing: () => ({ method: "PUT", path: `${MCF}/orders/NOPE/cancel` }),
    },
    "reports-2021-06-30.getReportDocument": {
      ok: { status: 200, request: () => ({ method: "GET", path: `/reports/2021-06-30/documents/${encodeURIComponent(reportDocumentId)}` }) },
      invalid: () => ({ method: "GET", path: `/reports/2021-06-30/documents/${encodeURIComponent(reportDocumentId)}`, query: { enableContentEncodingUrlHeader: "maybe" } }),
      missing: () => ({ method: "GET", path: "/reports/2021-06-30/documents/amzn1.spdoc.1.4.eu.nope" }),
    },
  }

  // cancelFeed's / cancelReport's success cases need a feed / report that is still IN_QUEUE when the request arrives
  let queuedFeedId = ""
  let queuedReportId = ""
  // createDestination needs an unused queue, deleteDestination a destination without subscriptions and
  // deleteSubscriptionById a subscription, fresh for each test
  let spareQueueArn = ""
  let spareDestinationId = ""
  let deletableSubscriptionId = ""
  let spares = 0
  beforeEach(async () => {
    spares += 1
    spareQueueArn = sim.control.createSqsQueue({ name: `spare-${spares}` }).queueArn
    const spareDestination = await call<{ payload: { destinationId: string } }>(sim.url, "POST", "/notifications/v1/destinations", {
      token: grantlessToken,
      body: { name: "spare", resourceSpecification: { sqs: { arn: sim.control.createSqsQueue({ name: `spare-destination-${spares}` }).queueArn } } },
    })
    spareDestinationId = spareDestination.body.payload.destinationId
    const existing = sim.control.listSubscriptions().find((s) => s.notificationType === "REPORT_PROCESSING_FINISHED")
    deletableSubscriptionId =
      existing?.subscriptionId ??
      (
        await call<{ payload: { subscriptionId: string } }>(sim.url, "POST", "/notifications/v1/subscriptions/REPORT_PROCESSING_FINISHED", {
          token,
          body: { payloadVersion: "1.0", destinationId },
        })
      ).body.payload.subscriptionId
    sim.control.refillQuotas()
    sim.control.clearFaults()
    queuedFeedId = await createFeed(sim, token, "POST_ORDER_FULFILLMENT_DATA", inputDocumentId)
    const queued = await call<{ reportId: string }>(sim.url, "POST", "/reports/2021-06-30/reports", {
      token,
      body: { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: [DE] },
    })
    queuedReportId = queued.body.reportId
  })

  async function send(operation: OperationKey, request: Request, withToken = true) {
    const as = scenarios[operation].grantless ? grantlessToken : token
    const res = await call(sim.url, request.method, request.path, { token: withToken ? as : undefined, query: request.query, body: request.body })
    return { ...res, operation }
  }

  it("covers every simulated operation", () => {
    expect(Object.keys(scenarios).sort()).toEqual([...SIMULATED_OPERATIONS].sort())
  })

  describe.each(SIMULATED_OPERATIONS.map((op) => [op]))("%s", (operation) => {
    const scenario = scenarios[operation]

    it("success body matches the model and carries the rate-limit and request-id headers", async () => {
      const res = await send(operation, scenario.ok.request())
      expect(res.status).toBe(scenario.ok.status)
      expect(contract.validateResponse(operation, res.status, res.body).errors).toBe("")
      expect(res.headers.get("x-amzn-ratelimit-limit")).toMatch(/^\d+(\.\d+)?$/)
      expect(res.headers.get("x-amzn-requestid")).toBeTruthy()
    })

    const invalid = scenario.invalid
    if (invalid) {
      it("400 InvalidInput matches the model", async () => {
        const res = await send(operation, invalid())
        expect(res.status).toBe(400)
        expectErrorShape(res.body)
        expect((res.body as { errors: { code: string }[] }).errors[0].code).toBe("InvalidInput")
        expect(contract.validateResponse(operation, 400, res.body).errors).toBe("")
      })
    }

    it("403 Unauthorized matches the model", async () => {
      const res = await send(operation, scenario.ok.request(), false)
      expect(res.status).toBe(403)
      expectErrorShape(res.body)
      expect(contract.validateResponse(operation, 403, res.body).errors).toBe("")
    })

    const missing = scenario.missing
    if (missing) {
      it("404 matches the model", async () => {
        const res = await send(operation, missing())
        expect(res.status).toBe(404)
        expectErrorShape(res.body)
        expect(contract.validateResponse(operation, 404, res.body).errors).toBe("")
      })
    }

    it.each([
      [429, { type: "throttle" as const }],
      [500, { type: "server-error" as const }],
      [503, { type: "server-error" as const, status: 503 as const }],
    ])("%i matches the model", async (status, fault) => {
      sim.control.injectFault({ ...fault, operation })
      const res = await send(operation, scenario.ok.request())
      expect(res.status).toBe(status)
      expectErrorShape(res.body)
      expect(contract.validateResponse(operation, status, res.body).errors).toBe("")
    })
  })

  it("answers 429 from the real bucket in the model's shape too", async () => {
    for (let i = 0; i < 15; i++) await send("sellers-v1.getMarketplaceParticipations", scenarios["sellers-v1.getMarketplaceParticipations"].ok.request())
    const res = await send("sellers-v1.getMarketplaceParticipations", scenarios["sellers-v1.getMarketplaceParticipations"].ok.request())
    expect(res.status).toBe(429)
    expect(contract.validateResponse("sellers-v1.getMarketplaceParticipations", 429, res.body).errors).toBe("")
  })

  it("produces processing reports (DONE and FATAL, gzip) that match the report schema", async () => {
    const done = await downloadResult(sim, token, resultDocumentId)
    expect(done.compressed).toBe(true)
    expect(contract.validateProcessingReport(done.json).errors).toBe("")
    expect((done.json as { issues: unknown[] }).issues).toHaveLength(1)

    const fatal = sim.control.getFeed(fatalFeedId)
    expect(fatal?.processingStatus).toBe("FATAL")
    const fatalReport = await downloadResult(sim, token, fatal?.resultFeedDocumentId as string)
    expect(contract.validateProcessingReport(fatalReport.json).errors).toBe("")
  })

  it("the validator itself rejects off-model bodies", () => {
    expect(contract.validateResponse("feeds-2021-06-30.getFeed", 200, { feedId: "1" }).valid).toBe(false)
    expect(contract.validateResponse("orders-2026-01-01.searchOrders", 200, { orders: [{ orderId: "1" }] }).valid).toBe(false)
    expect(contract.validateResponse("orders-v0.confirmShipment", 204, { unexpected: true }).valid).toBe(false)
    expect(contract.validateResponse("feeds-2021-06-30.getFeed", 418, {}).valid).toBe(false)
    expect(contract.validateProcessingReport({ header: { sellerId: "A", version: "2.0" }, issues: [], summary: {} }).valid).toBe(false)
  })
})
