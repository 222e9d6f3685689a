import { bodyKey, parseNotification, withoutNestedIds } from "../notifications/parse-notification"
import { parseSqsQueueUrl } from "../../aws/sqs-queue"
import { reportSleep, wakeReportWaiters } from "../reports/report-wakeups"
import { LwaTokenProvider, NOTIFICATIONS_SCOPE } from "../lwa"
import orderSchema from "../notifications/schemas/OrderChangeNotification.json"
import feedSchema from "../notifications/schemas/FeedProcessingFinishedNotification.json"
import mfnSchema from "../notifications/schemas/ListingsItemMfnQuantityChange.json"
import reportSchema from "../notifications/schemas/ReportProcessingFinishedNotification.json"

const example = (schema: { examples?: unknown[] }) => JSON.parse(JSON.stringify(schema.examples![0])) as Record<string, any>

const fba = {
  NotificationVersion: "1.0",
  NotificationType: "FBA_INVENTORY_AVAILABILITY_CHANGES",
  PayloadVersion: "1.0",
  EventTime: "2026-12-06T10:00:00.000Z",
  Payload: {
    SellerId: "A1SELLER",
    FNSKU: "X001",
    ASIN: "B000001",
    SKU: "FBA-1",
    FulfillmentInventoryByMarketplace: [
      {
        MarketplaceId: "A1PA6795UKMFR9",
        ItemName: "Thing",
        FulfillmentInventory: {
          InboundQuantityBreakdown: { Working: 0, Shipped: 1, Receiving: 0 },
          Fulfillable: 7,
          Unfulfillable: 0,
          Researching: 0,
          ReservedQuantityBreakdown: { WarehouseProcessing: 0, WarehouseTransfer: 0, PendingCustomerOrder: 0 },
          FutureSupplyBuyable: 0,
          PendingCustomerOrderInTransit: 0,
        },
      },
    ],
  },
  NotificationMetadata: { ApplicationId: "app", SubscriptionId: "sub", PublishTime: "2026-12-06T10:00:01.000Z", NotificationId: "fba-n-1" },
}

describe("parseNotification", () => {
  it("reads each consumed type from Amazon's own examples, PascalCase and camelCase envelopes alike", () => {
    const order = parseNotification(JSON.stringify(example(orderSchema)))
    expect(order).toMatchObject({ ok: true, notification: { type: "ORDER_CHANGE", notification_id: "d0e9e693-c3ad-4373-979f-ed4ec98dd746", seller_id: "A3TH9S8BH6GOGM", subject: "903-8868176-2219830" } })
    const mfn = parseNotification(JSON.stringify(example(mfnSchema)))
    expect(mfn).toMatchObject({ ok: true, notification: { type: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE", subject: "NLS-SHOES-03", mfn: { Quantity: 99 } } })
    const feed = parseNotification(JSON.stringify(example(feedSchema)))
    expect(feed).toMatchObject({ ok: true, notification: { type: "FEED_PROCESSING_FINISHED", subject: "53347018456", seller_id: "A3TH9S8BH6GOGM" } })
    const report = parseNotification(JSON.stringify(example(reportSchema)))
    expect(report).toMatchObject({ ok: true, notification: { type: "REPORT_PROCESSING_FINISHED", subject: "54517018502" } })
    expect(parseNotification(JSON.stringify(fba))).toMatchObject({ ok: true, notification: { type: "FBA_INVENTORY_AVAILABILITY_CHANGES", subject: "FBA-1", event_time: fba.EventTime } })
  })

  it("unwraps an EventBridge event forwarded to the queue", () => {
    const event = { version: "0", id: "e1", "detail-type": "LISTINGS_ITEM_MFN_QUANTITY_CHANGE", source: "aws.partner/sellingpartnerapi.amazon/app", detail: example(mfnSchema) }
    expect(parseNotification(JSON.stringify(event))).toMatchObject({ ok: true, notification: { type: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE", notification_id: "8e009934-da2c-4f9c-9bc7-93f23b7e1f60" } })
  })

  it("keeps what it cannot use as invalid, with a stable key and a reason, and never throws", () => {
    expect(parseNotification("not json")).toMatchObject({ ok: false, code: "NOT_JSON", key: bodyKey("not json") })
    expect(parseNotification("[1,2]")).toMatchObject({ ok: false, code: "NOT_A_NOTIFICATION" })
    expect(parseNotification(JSON.stringify({ hello: 1 }))).toMatchObject({ ok: false, code: "NOT_A_NOTIFICATION" })
    const offer = { NotificationType: "ANY_OFFER_CHANGED", NotificationMetadata: { NotificationId: "offer-1" } }
    expect(parseNotification(JSON.stringify(offer))).toMatchObject({ ok: false, code: "UNKNOWN_TYPE", key: "offer-1", type: "ANY_OFFER_CHANGED" })
    const broken = example(orderSchema)
    delete broken.Payload.OrderChangeNotification.AmazonOrderId
    const res = parseNotification(JSON.stringify(broken))
    expect(res).toMatchObject({ ok: false, code: "SCHEMA_MISMATCH", key: "d0e9e693-c3ad-4373-979f-ed4ec98dd746" })
    expect(!res.ok && res.reason).toMatch(/AmazonOrderId/)
    const wrongType = example(mfnSchema)
    wrongType.Payload.Quantity = "many"
    expect(parseNotification(JSON.stringify(wrongType))).toMatchObject({ ok: false, code: "SCHEMA_MISMATCH" })
  })

  it("drops only nested $ids", () => {
    expect(withoutNestedIds({ $id: "root", a: { $id: "x", b: [{ $id: "y", c: 1 }] } })).toEqual({ $id: "root", a: { b: [{ c: 1 }] } })
  })
})

describe("parseSqsQueueUrl", () => {
  const policy = { allowLoopbackEndpoints: false }
  it("derives the ARN of an Amazon queue and leaves the endpoint to the SDK", () => {
    expect(parseSqsQueueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/amazon-notes", "eu-west-1", policy)).toEqual({
      url: "https://sqs.eu-west-1.amazonaws.com/123456789012/amazon-notes",
      arn: "arn:aws:sqs:eu-west-1:123456789012:amazon-notes",
      region: "eu-west-1",
      awsAccountId: "123456789012",
      name: "amazon-notes",
      endpoint: undefined,
    })
  })
  it("refuses FIFO queues, other regions, other shapes and hosts the store does not allow", () => {
    const refusal = (url: string, region = "eu-west-1", p = policy) => (parseSqsQueueUrl(url, region, p) as { refusal?: string }).refusal
    expect(refusal("https://sqs.eu-west-1.amazonaws.com/123456789012/q.fifo")).toMatch(/standard queues/)
    expect(refusal("https://sqs.us-east-1.amazonaws.com/123456789012/q")).toMatch(/us-east-1, not in eu-west-1/)
    expect(refusal("https://sqs.eu-west-1.amazonaws.com/12345/q")).toMatch(/must look like/)
    expect(refusal("https://sqs.eu-west-1.amazonaws.com/123456789012/q", "moon-1")).toMatch(/not an AWS region/)
    expect(refusal("http://127.0.0.1:4566/123456789012/q")).toMatch(/neither Amazon nor/)
    expect(refusal("https://sqs.eu-west-1.amazonaws.com.evil.example/123456789012/q")).toMatch(/neither Amazon nor/)
    expect(parseSqsQueueUrl("http://127.0.0.1:4566/123456789012/q", "eu-west-1", { allowLoopbackEndpoints: true })).toMatchObject({ endpoint: "http://127.0.0.1:4566" })
  })
})

describe("reportSleep", () => {
  it("sleeps its length unless a notification about the report wakes it", async () => {
    expect(wakeReportWaiters("R1")).toBe(0)
    const started = Date.now()
    const waiting = reportSleep("R1")(10_000)
    expect(wakeReportWaiters("R1")).toBe(1)
    await waiting
    expect(Date.now() - started).toBeLessThan(1_000)
    await reportSleep("R2")(5)
    expect(wakeReportWaiters("R2")).toBe(0)
  })
})

describe("LwaTokenProvider, grantless", () => {
  it("asks for client_credentials with the scope, and keeps that token apart from the seller's", async () => {
    const bodies: URLSearchParams[] = []
    const fetchImpl = (async (_url: string, init: { body: string }) => {
      const body = new URLSearchParams(init.body)
      bodies.push(body)
      return new Response(JSON.stringify({ access_token: `Atza|${body.get("grant_type")}`, expires_in: 3600 }), { status: 200 })
    }) as unknown as typeof fetch
    const tokens = new LwaTokenProvider({ fetch: fetchImpl })
    const seller = { clientId: "client", clientSecret: "secret", refreshToken: "Atzr|1" }
    expect(await tokens.getAccessToken("https://lwa.test/token", { ...seller, refreshToken: "", scope: NOTIFICATIONS_SCOPE })).toBe("Atza|client_credentials")
    expect(await tokens.getAccessToken("https://lwa.test/token", seller)).toBe("Atza|refresh_token")
    expect(await tokens.getAccessToken("https://lwa.test/token", { ...seller, refreshToken: "", scope: NOTIFICATIONS_SCOPE })).toBe("Atza|client_credentials")
    expect(tokens.exchanges).toBe(2)
    expect(Object.fromEntries(bodies[0])).toEqual({ grant_type: "client_credentials", scope: "sellingpartnerapi::notifications", client_id: "client", client_secret: "secret" })
    expect(bodies[0].has("refresh_token")).toBe(false)
  })
})
