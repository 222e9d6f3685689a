/**
 * Notifications v1 and their delivery: grantless vs seller tokens, destination and subscription life cycles,
 * each emitted notification type (validated against Amazon's payload schemas), EventBridge routing and the
 * notification-* faults. Queues are read with the real @aws-sdk/client-sqs.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs"
import type { SqsQueueCredentials } from "../control"
import { notificationSchema } from "../domain/notification-payloads"
import { startSimulator, type SimulatorHandle } from "../index"
import { createAjv } from "../validation"
import { accessToken, call, createFeed, createReport, DE, grantlessAccessToken, listingsFeed, OTHER_SELLER, quantityPatch, SELLER, uploadFeedDocument } from "./helpers/sp-client"

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** Amazon's FBA schema repeats nested `$id`s (ajv refuses ambiguous ids); they carry no constraint, so drop them. */
function withoutNestedIds(node: unknown, root = true): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutNestedIds(n, false))
  if (node === null || typeof node !== "object") return node
  return Object.fromEntries(Object.entries(node).filter(([key]) => root || key !== "$id").map(([key, value]) => [key, withoutNestedIds(value, false)]))
}

function expectSchemaValid(type: string, notification: unknown): void {
  const validate = createAjv().compile(withoutNestedIds(notificationSchema(type)) as object)
  expect(validate(notification) ? "" : JSON.stringify(validate.errors)).toBe("")
}

describe("Notifications v1 and SQS delivery", () => {
  let sim: SimulatorHandle
  let seller: string
  let other: string
  let grantless: string
  let queue: SqsQueueCredentials
  let sqs: SQSClient

  beforeAll(async () => {
    sim = await startSimulator({ feedTiming: { queueMs: 1_000, processingMs: 1_000 }, reportTiming: { queueMs: 1_000, processingMs: 1_000 } })
  })
  afterAll(() => sim.close())

  beforeEach(async () => {
    sim.control.reset()
    sim.control.seed({
      sellers: [SELLER, OTHER_SELLER],
      listings: [
        { sellerId: SELLER.sellerId, sku: "MUG", asin: "B000000001", itemName: "Mug", quantity: 5, price: { amount: "9.90" } },
        { sellerId: SELLER.sellerId, sku: "FBA-1", asin: "B000000002", fnSku: "X00FBA0001", fulfillmentChannel: "AMAZON_EU", itemName: "Bottle" },
      ],
    })
    seller = await accessToken(sim)
    other = await accessToken(sim, OTHER_SELLER)
    grantless = await grantlessAccessToken(sim)
    queue = sim.control.createSqsQueue({ name: "sp-api" })
    sqs = new SQSClient({ region: "eu-west-1", endpoint: sim.url, credentials: queue })
  })
  afterEach(() => sqs.destroy())

  async function createDestination(resourceSpecification: unknown, token = grantless) {
    return call<Json>(sim.url, "POST", "/notifications/v1/destinations", { token, body: { name: "dest", resourceSpecification } })
  }

  async function sqsDestination(): Promise<string> {
    const res = await createDestination({ sqs: { arn: queue.queueArn } })
    expect(res.status).toBe(200)
    return res.body.payload.destinationId
  }

  async function subscribe(type: string, destinationId: string, token = seller, payloadVersion = "1.0", extra: Json = {}) {
    return call<Json>(sim.url, "POST", `/notifications/v1/subscriptions/${type}`, { token, body: { payloadVersion, destinationId, ...extra } })
  }

  /** Receive (and delete) everything visible on the queue; returns the parsed bodies. */
  async function drain(client = sqs, url = queue.queueUrl): Promise<Json[]> {
    const out: Json[] = []
    for (;;) {
      const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))
      if (!Messages?.length) return out
      for (const m of Messages) {
        out.push(JSON.parse(m.Body ?? "null") as Json)
        await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }))
      }
    }
  }

  describe("tokens", () => {
    it("issues grantless tokens for the notifications scope only", async () => {
      const token = async (form: Record<string, string>) =>
        fetch(`${sim.url}/auth/o2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() })
      const base = { grant_type: "client_credentials", client_id: SELLER.clientId, client_secret: SELLER.clientSecret }
      const ok = await token({ ...base, scope: "sellingpartnerapi::notifications" })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({ access_token: expect.stringMatching(/^Atc\|/), scope: "sellingpartnerapi::notifications", token_type: "bearer", expires_in: 3600 })
      expect((await token({ ...base, scope: "sellingpartnerapi::client_credential:rotation" })).status).toBe(400)
      expect((await token(base)).status).toBe(400)
      expect((await token({ ...base, client_secret: "wrong", scope: "sellingpartnerapi::notifications" })).status).toBe(401)
    })

    it("destinations need a grantless token, seller operations a seller token", async () => {
      const bySeller = await call<Json>(sim.url, "GET", "/notifications/v1/destinations", { token: seller })
      expect(bySeller.status).toBe(403)
      expect(bySeller.body.errors[0]).toMatchObject({ code: "Unauthorized", message: "Access to requested resource is denied." })
      const grantlessSubscription = await call<Json>(sim.url, "GET", "/notifications/v1/subscriptions/ORDER_CHANGE", { token: grantless })
      expect(grantlessSubscription.status).toBe(403)
      const grantlessListings = await call<Json>(sim.url, "GET", "/sellers/v1/marketplaceParticipations", { token: grantless })
      expect(grantlessListings.status).toBe(403)
      expect((await call(sim.url, "GET", "/notifications/v1/destinations", { token: grantless })).status).toBe(200)
    })
  })

  describe("destinations", () => {
    it("creates, lists, gets and deletes SQS destinations", async () => {
      const created = await createDestination({ sqs: { arn: queue.queueArn } })
      expect(created.body).toEqual({ payload: { name: "dest", destinationId: expect.any(String), resource: { sqs: { arn: queue.queueArn } } } })
      const id = created.body.payload.destinationId
      expect((await call<Json>(sim.url, "GET", "/notifications/v1/destinations", { token: grantless })).body.payload).toEqual([created.body.payload])
      expect((await call<Json>(sim.url, "GET", `/notifications/v1/destinations/${id}`, { token: grantless })).body).toEqual(created.body)
      expect(sim.control.listDestinations()).toEqual([expect.objectContaining({ destinationId: id, clientId: SELLER.clientId, applicationId: expect.stringMatching(/^amzn1\.sellerapps\.app\./) })])
      expect((await call(sim.url, "DELETE", `/notifications/v1/destinations/${id}`, { token: grantless })).status).toBe(200)
      expect((await call(sim.url, "GET", `/notifications/v1/destinations/${id}`, { token: grantless })).status).toBe(404)
    })

    it("refuses unknown queues, FIFO queues and duplicates; refuses deleting a destination in use", async () => {
      const unknown = await createDestination({ sqs: { arn: "arn:aws:sqs:eu-west-1:123456789012:nope" } })
      expect(unknown.status).toBe(400)
      expect(unknown.body.errors[0].code).toBe("InvalidInput")
      const fifo = sim.control.createSqsQueue({ name: "q.fifo" })
      expect((await createDestination({ sqs: { arn: fifo.queueArn } })).body.errors[0].message).toMatch(/FIFO/)
      const id = await sqsDestination()
      const duplicate = await createDestination({ sqs: { arn: queue.queueArn } })
      expect(duplicate.status).toBe(409)
      expect(duplicate.body.errors[0]).toMatchObject({ code: "Conflict", details: expect.stringContaining(queue.queueArn) })
      expect((await subscribe("ORDER_CHANGE", id)).status).toBe(200)
      const inUse = await call<Json>(sim.url, "DELETE", `/notifications/v1/destinations/${id}`, { token: grantless })
      expect(inUse.status).toBe(403)
      expect(inUse.body.errors[0].details).toBe("Destination has subscriptions")
    })

    it("creates EventBridge destinations, one per AWS account", async () => {
      const created = await createDestination({ eventBridge: { accountId: "111122223333", region: "eu-west-1" } })
      expect(created.body.payload.resource).toEqual({
        eventBridge: { accountId: "111122223333", region: "eu-west-1", name: expect.stringMatching(/^aws\.partner\/sellingpartnerapi\.amazon\/amzn1\.sellerapps\.app\./) },
      })
      expect((await createDestination({ eventBridge: { accountId: "111122223333", region: "us-east-1" } })).status).toBe(409)
      expect((await createDestination({ eventBridge: { accountId: "123", region: "eu-west-1" } })).status).toBe(400)
    })
  })

  describe("subscriptions", () => {
    it("creates one per seller and type, and gets, lists and deletes it", async () => {
      const destinationId = await sqsDestination()
      const created = await subscribe("ORDER_CHANGE", destinationId)
      expect(created.body).toEqual({ payload: { subscriptionId: expect.any(String), payloadVersion: "1.0", destinationId } })
      const id = created.body.payload.subscriptionId
      const again = await subscribe("ORDER_CHANGE", destinationId)
      expect(again.status).toBe(409)
      expect(again.body.errors[0]).toMatchObject({ code: "StateConflict", details: "Subscription already exist for notification type ORDER_CHANGE" })
      expect((await subscribe("ORDER_CHANGE", destinationId, other)).status).toBe(200)

      expect((await call<Json>(sim.url, "GET", "/notifications/v1/subscriptions/ORDER_CHANGE", { token: seller })).body).toEqual(created.body)
      expect((await call<Json>(sim.url, "GET", `/notifications/v1/subscriptions/ORDER_CHANGE/${id}`, { token: grantless })).body).toEqual(created.body)
      expect((await call<Json>(sim.url, "GET", `/notifications/v1/subscriptions/ORDER_CHANGE/${id}`, { token: other })).status).toBe(404)
      expect((await call<Json>(sim.url, "GET", "/notifications/v1/subscriptions", { token: seller, query: { notificationTypes: "ORDER_CHANGE" } })).body).toEqual({
        payload: { subscriptions: [created.body.payload] },
      })
      expect(sim.control.listSubscriptions(SELLER.sellerId)).toEqual([expect.objectContaining({ subscriptionId: id, notificationType: "ORDER_CHANGE" })])

      expect((await call(sim.url, "DELETE", `/notifications/v1/subscriptions/ORDER_CHANGE/${id}`, { token: seller })).status).toBe(200)
      expect((await call(sim.url, "DELETE", `/notifications/v1/subscriptions/ORDER_CHANGE/${id}`, { token: seller })).status).toBe(404)
      expect((await call(sim.url, "GET", "/notifications/v1/subscriptions/ORDER_CHANGE", { token: seller })).status).toBe(404)
    })

    it("checks type, payload version, destination and its kind", async () => {
      const destinationId = await sqsDestination()
      expect((await subscribe("NOT_A_TYPE", destinationId)).status).toBe(400)
      expect((await subscribe("ORDER_CHANGE", destinationId, seller, "9.9")).status).toBe(400)
      expect((await subscribe("ORDER_CHANGE", "no-such-destination")).body.errors[0].message).toMatch(/No destination with id/)
      const mfn = await subscribe("LISTINGS_ITEM_MFN_QUANTITY_CHANGE", destinationId)
      expect(mfn.status).toBe(400)
      expect(mfn.body.errors[0].message).toMatch(/EventBridge only/)
      const badFilter = await subscribe("FEED_PROCESSING_FINISHED", destinationId, seller, "1.0", { processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE" } } })
      expect(badFilter.status).toBe(400)
    })
  })

  describe("emitted notifications", () => {
    it("ORDER_CHANGE on creation, status changes, shipment confirmation and buyer cancellation requests", async () => {
      await subscribe("ORDER_CHANGE", await sqsDestination())
      const order = sim.control.seedOrder({
        sellerId: SELLER.sellerId,
        fulfillmentStatus: "PENDING",
        recipient: { deliveryAddress: { name: "E", addressLine1: "Str. 1", city: "Köln", postalCode: "50667", countryCode: "DE" } },
        orderItems: [{ sellerSku: "MUG", quantityOrdered: 2 }],
      })
      sim.control.transitionOrder(order.orderId, { to: "UNSHIPPED" })
      sim.control.requestBuyerCancellation(order.orderId, { reason: "changed mind" })
      const confirm = await call(sim.url, "POST", `/orders/v0/orders/${order.orderId}/shipmentConfirmation`, {
        token: seller,
        body: {
          marketplaceId: DE,
          packageDetail: {
            packageReferenceId: "1",
            carrierCode: "DHL",
            trackingNumber: "T1",
            shipDate: new Date(sim.control.now()).toISOString(),
            orderItems: [{ orderItemId: order.orderItems[0].orderItemId, quantity: 2 }],
          },
        },
      })
      expect(confirm.status).toBe(204)
      const notifications = await drain()
      expect(notifications.map((n) => [n.Payload.OrderChangeNotification.OrderChangeType, n.Payload.OrderChangeNotification.Summary.OrderStatus])).toEqual([
        ["OrderStatusChange", "Pending"],
        ["OrderStatusChange", "Unshipped"],
        ["BuyerRequestedChange", "Unshipped"],
        ["OrderStatusChange", "Shipped"],
      ])
      for (const n of notifications) expectSchemaValid("ORDER_CHANGE", n)
      const cancelRequest = notifications[2]
      expect(cancelRequest.Payload.OrderChangeNotification).toMatchObject({
        NotificationLevel: "OrderLevel",
        SellerId: SELLER.sellerId,
        AmazonOrderId: order.orderId,
        OrderChangeTrigger: { ChangeReason: "Buyer Requested Cancel" },
        Summary: { MarketplaceId: DE, DestinationPostalCode: "50667", FulfillmentType: "MFN", OrderItems: [expect.objectContaining({ SellerSKU: "MUG", IsBuyerRequestedCancel: true })] },
      })
      expect(notifications[3].Payload.OrderChangeNotification.Summary).toMatchObject({ NumberOfItemsShipped: 2, NumberOfItemsUnshipped: 0 })
      expect(new Set(notifications.map((n) => n.NotificationMetadata.NotificationId)).size).toBe(4)
      expect(sim.control.notificationsSent().ORDER_CHANGE).toMatchObject({ published: 4, delivered: 4 })
    })

    it("ORDER_CHANGE honours the subscription's event filter and goes only to the seller's subscription", async () => {
      const destinationId = await sqsDestination()
      await subscribe("ORDER_CHANGE", destinationId, seller, "1.0", { processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE", orderChangeTypes: ["BuyerRequestedChange"] } } })
      const order = sim.control.seedOrder({ sellerId: SELLER.sellerId, orderItems: [{ sellerSku: "MUG", quantityOrdered: 1 }] })
      sim.control.seedOrder({ sellerId: OTHER_SELLER.sellerId, orderItems: [{ sellerSku: "X", quantityOrdered: 1 }] })
      sim.control.requestBuyerCancellation(order.orderId, { cancelNow: true })
      const notifications = await drain()
      expect(notifications.map((n) => n.Payload.OrderChangeNotification.OrderChangeType)).toEqual(["BuyerRequestedChange"])
    })

    it("FBA_INVENTORY_AVAILABILITY_CHANGES when FBA stock changes", async () => {
      await subscribe("FBA_INVENTORY_AVAILABILITY_CHANGES", await sqsDestination())
      sim.control.setFbaStock({ sellerId: SELLER.sellerId, sku: "FBA-1", asin: "B000000002", fnSku: "X00FBA0001", fulfillable: 7, reserved: { pendingCustomerOrder: 1 } })
      sim.control.setFbaStock({ sellerId: SELLER.sellerId, sku: "FBA-1", fulfillable: 7 }) // unchanged: no notification
      const [n, ...rest] = await drain()
      expect(rest).toEqual([])
      expectSchemaValid("FBA_INVENTORY_AVAILABILITY_CHANGES", n)
      expect(n.Payload).toMatchObject({
        SellerId: SELLER.sellerId,
        FNSKU: "X00FBA0001",
        ASIN: "B000000002",
        SKU: "FBA-1",
        FulfillmentInventoryByMarketplace: [{ MarketplaceId: DE, ItemName: "Bottle", FulfillmentInventory: { Fulfillable: 7, ReservedQuantityBreakdown: { PendingCustomerOrder: 1 } } }],
      })
    })

    it("LISTINGS_ITEM_MFN_QUANTITY_CHANGE goes through EventBridge: dropped without a route, wrapped in an event with one", async () => {
      const bridge = await createDestination({ eventBridge: { accountId: "111122223333", region: "eu-west-1" } })
      expect((await subscribe("LISTINGS_ITEM_MFN_QUANTITY_CHANGE", bridge.body.payload.destinationId)).status).toBe(200)
      sim.control.setQuantity("MUG", 4, { sellerId: SELLER.sellerId })
      expect(sim.control.notificationsSent().LISTINGS_ITEM_MFN_QUANTITY_CHANGE).toMatchObject({ published: 1, unrouted: 1, delivered: 0 })

      sim.control.routeEventBridgeToQueue({ awsAccountId: "111122223333", region: "eu-west-1" }, queue.queueArn)
      sim.control.setQuantity("MUG", 4, { sellerId: SELLER.sellerId }) // same quantity: nothing
      const patch = await call(sim.url, "PATCH", `/listings/2021-08-01/items/${SELLER.sellerId}/MUG`, {
        token: seller,
        query: { marketplaceIds: DE },
        body: { productType: "PRODUCT", patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 3 }] }] },
      })
      expect(patch.status).toBe(200)
      const document = await uploadFeedDocument(sim, seller, listingsFeed(SELLER.sellerId, [quantityPatch(1, "MUG", 2)]))
      await createFeed(sim, seller, "JSON_LISTINGS_FEED", document)
      sim.control.advanceClock(2_000)
      const events = await drain()
      expect(events.map((e) => e.detail.Payload.Quantity)).toEqual([3, 2])
      const destination = sim.control.listDestinations()[0]
      expect(events[0]).toMatchObject({
        version: "0",
        "detail-type": "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
        source: `aws.partner/sellingpartnerapi.amazon/${destination.applicationId}`,
        account: "111122223333",
        region: "eu-west-1",
        resources: [],
        detail: { Payload: { SellerId: SELLER.sellerId, FulfillmentChannelCode: "DEFAULT", Sku: "MUG" } },
      })
      for (const e of events) expectSchemaValid("LISTINGS_ITEM_MFN_QUANTITY_CHANGE", e.detail)
    })

    it("FEED_PROCESSING_FINISHED and REPORT_PROCESSING_FINISHED in the lower-camel envelope", async () => {
      const destinationId = await sqsDestination()
      await subscribe("FEED_PROCESSING_FINISHED", destinationId)
      await subscribe("REPORT_PROCESSING_FINISHED", destinationId, seller, "2020-09-04")
      const document = await uploadFeedDocument(sim, seller, listingsFeed(SELLER.sellerId, [quantityPatch(1, "MUG", 1)]))
      const feedId = await createFeed(sim, seller, "JSON_LISTINGS_FEED", document)
      const reportId = (await createReport(sim, seller, { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: [DE] })).body.reportId
      const cancelled = (await createReport(sim, seller, { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: [DE] })).body.reportId
      expect((await call(sim.url, "DELETE", `/reports/2021-06-30/reports/${cancelled}`, { token: seller })).status).toBe(200)
      sim.control.advanceClock(2_000)
      const notifications = await drain()
      const feed = notifications.find((n) => n.notificationType === "FEED_PROCESSING_FINISHED") as Json
      expectSchemaValid("FEED_PROCESSING_FINISHED", feed)
      expect(feed.payload.feedProcessingFinishedNotification).toEqual({
        sellerId: SELLER.sellerId,
        accountId: `amzn1.merchant.o.${SELLER.sellerId}`,
        feedId,
        feedType: "JSON_LISTINGS_FEED",
        processingStatus: "DONE",
        resultFeedDocumentId: sim.control.getFeed(feedId)?.resultFeedDocumentId,
      })
      const reports = notifications.filter((n) => n.notificationType === "REPORT_PROCESSING_FINISHED")
      for (const r of reports) expectSchemaValid("REPORT_PROCESSING_FINISHED", r)
      expect(reports.map((r) => [r.payload.reportProcessingFinishedNotification.reportId, r.payload.reportProcessingFinishedNotification.processingStatus])).toEqual([
        [cancelled, "CANCELLED"],
        [reportId, "DONE"],
      ])
      expect(reports[1].payload.reportProcessingFinishedNotification.reportDocumentId).toBe(sim.control.getReport(reportId)?.reportDocumentId)
      expect(reports[1].notificationMetadata).toEqual({ applicationId: expect.any(String), subscriptionId: expect.any(String), publishTime: expect.any(String), notificationId: expect.any(String) })
    })

    it("sendTestNotification puts the schema example with fresh metadata on the destination", async () => {
      const destinationId = await sqsDestination()
      const res = await call(sim.url, "POST", "/notifications/v1/subscriptions/ANY_OFFER_CHANGED/testNotification", {
        token: grantless,
        body: { destinationId, testNotification: { payloadVersion: "1.0", testScenario: "AnyOfferChanged" } },
      })
      expect(res.status).toBe(200)
      const [n] = await drain()
      expect(n.NotificationType).toBe("ANY_OFFER_CHANGED")
      expectSchemaValid("ANY_OFFER_CHANGED", n)
    })
  })

  describe("delivery faults", () => {
    beforeEach(async () => {
      await subscribe("LISTINGS_ITEM_MFN_QUANTITY_CHANGE", (await createDestination({ eventBridge: { accountId: "111122223333", region: "eu-west-1" } })).body.payload.destinationId)
      sim.control.routeEventBridgeToQueue({ awsAccountId: "111122223333", region: "eu-west-1" }, queue.queueArn)
    })
    const setQuantity = (quantity: number) => sim.control.setQuantity("MUG", quantity, { sellerId: SELLER.sellerId })
    const quantities = async () => (await drain()).map((e) => e.detail.Payload.Quantity as number)

    it("notification-duplicate: the same notification twice, as two SQS messages", async () => {
      sim.control.injectFault({ type: "notification-duplicate", notificationType: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE" })
      setQuantity(1)
      const messages = sim.control.listSqsMessages("sp-api")
      expect(messages).toHaveLength(2)
      expect(messages[0].messageId).not.toBe(messages[1].messageId)
      const [a, b] = messages.map((m) => JSON.parse(m.body) as Json)
      expect(a.detail.NotificationMetadata.NotificationId).toBe(b.detail.NotificationMetadata.NotificationId)
      expect(sim.control.notificationsSent().LISTINGS_ITEM_MFN_QUANTITY_CHANGE).toMatchObject({ published: 1, delivered: 2, duplicated: 1 })
    })

    it("notification-reorder: the held notification arrives after the next one (or after 60 s alone)", async () => {
      sim.control.injectFault({ type: "notification-reorder" })
      setQuantity(1)
      setQuantity(2)
      expect(await quantities()).toEqual([2, 1])
      sim.control.injectFault({ type: "notification-reorder" })
      setQuantity(3)
      expect(await quantities()).toEqual([])
      sim.control.advanceClock(60_000)
      expect(await quantities()).toEqual([3])
    })

    it("notification-delay: invisible for `ms` of simulated time", async () => {
      sim.control.injectFault({ type: "notification-delay", ms: 10_000 })
      setQuantity(1)
      expect(sim.control.sqsQueueState("sp-api")).toMatchObject({ delayed: 1, visible: 0 })
      expect(await quantities()).toEqual([])
      sim.control.advanceClock(10_000)
      expect(await quantities()).toEqual([1])
    })

    it("notification-drop: lost", async () => {
      sim.control.injectFault({ type: "notification-drop", count: 1 })
      setQuantity(1)
      setQuantity(2)
      expect(await quantities()).toEqual([2])
      expect(sim.control.notificationsSent().LISTINGS_ITEM_MFN_QUANTITY_CHANGE).toMatchObject({ published: 2, dropped: 1, delivered: 1 })
    })
  })
})
