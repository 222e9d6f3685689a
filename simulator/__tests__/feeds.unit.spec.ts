import { gunzipSync } from "node:zlib"
import { ContractValidator, ISSUE_CODES, startSimulator, type SimulatorHandle } from "../index"
import {
  accessToken,
  call,
  createFeed,
  DE,
  downloadResult,
  listingsFeed,
  OTHER_SELLER,
  quantityPatch,
  SELLER,
  uploadFeedDocument,
} from "./helpers/sp-client"

type Feed = { feedId: string; processingStatus: string; processingStartTime?: string; processingEndTime?: string; resultFeedDocumentId?: string }
type Report = {
  header: { feedId: string; sellerId: string }
  issues: { messageId?: number; sku?: string; code?: string; severity: string; message: string; attributeName?: string }[]
  summary: { errors: number; warnings: number; messagesProcessed: number; messagesAccepted: number; messagesInvalid: number }
  items?: Record<string, unknown>[]
}

const contract = new ContractValidator()
const QUEUE_MS = 10_000
const PROCESSING_MS = 20_000

describe("Feeds API 2021-06-30 and JSON_LISTINGS_FEED", () => {
  let sim: SimulatorHandle
  let token: string

  beforeAll(async () => {
    sim = await startSimulator({ feedTiming: { queueMs: QUEUE_MS, processingMs: PROCESSING_MS }, compressReports: "never" })
  })
  afterAll(() => sim.close())

  beforeEach(async () => {
    sim.control.reset()
    sim.control.setReportCompression("never")
    sim.control.seed({
      sellers: [SELLER, OTHER_SELLER],
      listings: [
        { sellerId: SELLER.sellerId, sku: "SKU-1", asin: "B000000001", quantity: 1, marketplaceIds: [DE] },
        { sellerId: SELLER.sellerId, sku: "SKU-2", asin: "B000000002", quantity: 2, marketplaceIds: [DE] },
        { sellerId: SELLER.sellerId, sku: "SKU-3", asin: "B000000003", quantity: 3, marketplaceIds: [DE] },
        { sellerId: SELLER.sellerId, sku: "SKU-LEAD", asin: "B000000004", quantity: 4, leadTimeToShipMaxDays: 3, marketplaceIds: [DE] },
        { sellerId: OTHER_SELLER.sellerId, sku: "OTHER-1", quantity: 9 },
      ],
    })
    token = await accessToken(sim)
  })

  async function getFeed(feedId: string, as = token): Promise<Feed> {
    const res = await call<Feed>(sim.url, "GET", `/feeds/2021-06-30/feeds/${feedId}`, { token: as })
    expect(res.status).toBe(200)
    expect(contract.validateResponse("feeds-2021-06-30.getFeed", 200, res.body).errors).toBe("")
    return res.body
  }

  async function submit(messages: unknown[], header: Record<string, unknown> = {}): Promise<string> {
    const doc = await uploadFeedDocument(sim, token, listingsFeed(SELLER.sellerId, messages, header))
    return createFeed(sim, token, "JSON_LISTINGS_FEED", doc)
  }

  async function finish(feedId: string): Promise<{ feed: Feed; report: Report }> {
    sim.control.advanceClock(QUEUE_MS + PROCESSING_MS)
    const feed = await getFeed(feedId)
    expect(feed.resultFeedDocumentId).toBeDefined()
    const { json } = await downloadResult(sim, token, feed.resultFeedDocumentId as string)
    expect(contract.validateProcessingReport(json).errors).toBe("")
    return { feed, report: json as Report }
  }

  it("moves a feed IN_QUEUE → IN_PROGRESS → DONE on simulated time and applies the quantity", async () => {
    const feedId = await submit([quantityPatch(1, "SKU-1", 17)])
    expect((await getFeed(feedId)).processingStatus).toBe("IN_QUEUE")

    sim.control.advanceClock(QUEUE_MS)
    const started = await getFeed(feedId)
    expect(started.processingStatus).toBe("IN_PROGRESS")
    expect(started.processingStartTime).toBeDefined()
    expect(sim.control.getQuantity("SKU-1", SELLER.sellerId)).toBe(1)

    sim.control.advanceClock(PROCESSING_MS)
    const done = await getFeed(feedId)
    expect(done.processingStatus).toBe("DONE")
    expect(done.processingEndTime).toBeDefined()
    expect(sim.control.getQuantity("SKU-1", SELLER.sellerId)).toBe(17)

    const { json, compressed } = await downloadResult(sim, token, done.resultFeedDocumentId as string)
    expect(compressed).toBe(false)
    expect(json).toMatchObject({
      header: { sellerId: SELLER.sellerId, version: "2.0", feedId },
      issues: [],
      summary: { errors: 0, warnings: 0, messagesProcessed: 1, messagesAccepted: 1, messagesInvalid: 0 },
    })
  })

  it("processes one seller's feeds strictly in order, one at a time, independently of other sellers", async () => {
    const first = await submit([quantityPatch(1, "SKU-1", 5)])
    const second = await submit([quantityPatch(1, "SKU-1", 7)])
    const otherToken = await accessToken(sim, OTHER_SELLER)
    const otherDoc = await uploadFeedDocument(sim, otherToken, listingsFeed(OTHER_SELLER.sellerId, [quantityPatch(1, "OTHER-1", 1)]))
    const other = await createFeed(sim, otherToken, "JSON_LISTINGS_FEED", otherDoc)

    sim.control.advanceClock(QUEUE_MS)
    expect((await getFeed(first)).processingStatus).toBe("IN_PROGRESS")
    expect((await getFeed(second)).processingStatus).toBe("IN_QUEUE")
    expect((await getFeed(other, otherToken)).processingStatus).toBe("IN_PROGRESS")

    sim.control.advanceClock(PROCESSING_MS)
    expect((await getFeed(first)).processingStatus).toBe("DONE")
    expect((await getFeed(second)).processingStatus).toBe("IN_QUEUE")
    expect(sim.control.getQuantity("SKU-1", SELLER.sellerId)).toBe(5)

    sim.control.advanceClock(QUEUE_MS + PROCESSING_MS)
    const a = await getFeed(first)
    const b = await getFeed(second)
    expect(b.processingStatus).toBe("DONE")
    expect(Date.parse(b.processingStartTime as string)).toBeGreaterThanOrEqual(Date.parse(a.processingEndTime as string))
    expect(sim.control.getQuantity("SKU-1", SELLER.sellerId)).toBe(7)
  })

  it("cancels only IN_QUEUE feeds", async () => {
    const first = await submit([quantityPatch(1, "SKU-1", 5)])
    const second = await submit([quantityPatch(1, "SKU-2", 6)])
    sim.control.advanceClock(QUEUE_MS)

    const inProgress = await call(sim.url, "DELETE", `/feeds/2021-06-30/feeds/${first}`, { token })
    expect(inProgress.status).toBe(400)
    expect(contract.validateResponse("feeds-2021-06-30.cancelFeed", 400, inProgress.body).errors).toBe("")

    const cancelled = await call(sim.url, "DELETE", `/feeds/2021-06-30/feeds/${second}`, { token })
    expect(cancelled.status).toBe(200)
    expect(cancelled.text).toBe("")
    expect((await getFeed(second)).processingStatus).toBe("CANCELLED")

    const unknown = await call(sim.url, "DELETE", "/feeds/2021-06-30/feeds/123", { token })
    expect(unknown.status).toBe(404)

    sim.control.advanceClock(3 * (QUEUE_MS + PROCESSING_MS))
    expect((await getFeed(second)).processingStatus).toBe("CANCELLED")
    expect(sim.control.getQuantity("SKU-2", SELLER.sellerId)).toBe(2)
  })

  it("rejects an upload whose Content-Type differs from createFeedDocument's with an S3 403", async () => {
    const created = await call<{ url: string }>(sim.url, "POST", "/feeds/2021-06-30/documents", {
      token,
      body: { contentType: "application/json; charset=UTF-8" },
    })
    const put = await fetch(created.body.url, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" })
    expect(put.status).toBe(403)
    const xml = await put.text()
    expect(xml).toContain("<Code>SignatureDoesNotMatch</Code>")
  })

  it("expires presigned upload URLs after 5 simulated minutes", async () => {
    const created = await call<{ url: string }>(sim.url, "POST", "/feeds/2021-06-30/documents", { token, body: { contentType: "text/plain" } })
    sim.control.advanceClock(299_000)
    const inTime = await fetch(created.body.url, { method: "PUT", headers: { "content-type": "text/plain" }, body: "x" })
    expect(inTime.status).toBe(200)
    sim.control.advanceClock(2_000)
    const late = await fetch(created.body.url, { method: "PUT", headers: { "content-type": "text/plain" }, body: "x" })
    expect(late.status).toBe(403)
    const xml = await late.text()
    expect(xml).toContain("<Code>AccessDenied</Code>")
    expect(xml).toContain("Request has expired")
  })

  it.each([
    ["not JSON", "this is not json", ISSUE_CODES.DOCUMENT_NOT_JSON],
    ["a wrong header version", JSON.stringify({ header: { sellerId: SELLER.sellerId, version: "1.0" }, messages: [quantityPatch(1, "SKU-1", 9)] }), ISSUE_CODES.DOCUMENT_SCHEMA_INVALID],
    ["no messages", JSON.stringify({ header: { sellerId: SELLER.sellerId, version: "2.0" }, messages: [] }), ISSUE_CODES.DOCUMENT_SCHEMA_INVALID],
    ["another seller's header", listingsFeed(OTHER_SELLER.sellerId, [quantityPatch(1, "SKU-1", 9)]), ISSUE_CODES.SELLER_MISMATCH],
  ])("ends FATAL for a document that is %s, with a report describing it", async (_label, content, code) => {
    const doc = await uploadFeedDocument(sim, token, content)
    const feedId = await createFeed(sim, token, "JSON_LISTINGS_FEED", doc)
    const { feed, report } = await finish(feedId)
    expect(feed.processingStatus).toBe("FATAL")
    expect(report.issues).toEqual([expect.objectContaining({ code, severity: "ERROR" })])
    expect(report.summary).toEqual({ errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 })
    expect(sim.control.getQuantity("SKU-1", SELLER.sellerId)).toBe(1)
  })

  it("ends FATAL for more than 25,000 messages", async () => {
    const messages = Array.from({ length: 25_001 }, (_, i) => quantityPatch(i + 1, "SKU-1", i % 50))
    const feedId = await submit(messages)
    const { feed, report } = await finish(feedId)
    expect(feed.processingStatus).toBe("FATAL")
    expect(report.issues[0].code).toBe(ISSUE_CODES.DOCUMENT_SCHEMA_INVALID)
    expect(report.issues[0].message).toMatch(/25000/)
    expect(sim.control.getQuantity("SKU-1", SELLER.sellerId)).toBe(1)
  })

  it("ends FATAL when nothing was uploaded", async () => {
    const created = await call<{ feedDocumentId: string }>(sim.url, "POST", "/feeds/2021-06-30/documents", { token, body: { contentType: "application/json" } })
    const feedId = await createFeed(sim, token, "JSON_LISTINGS_FEED", created.body.feedDocumentId)
    const { feed, report } = await finish(feedId)
    expect(feed.processingStatus).toBe("FATAL")
    expect(report.issues[0].code).toBe(ISSUE_CODES.DOCUMENT_MISSING)
  })

  it.each(["POST_INVENTORY_AVAILABILITY_DATA", "POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA", "POST_PRODUCT_DATA"])(
    "accepts the retired feed type %s but ends it FATAL",
    async (feedType) => {
      const doc = await uploadFeedDocument(sim, token, "<?xml version=\"1.0\"?><AmazonEnvelope/>", "text/xml; charset=UTF-8")
      const feedId = await createFeed(sim, token, feedType, doc)
      const { feed, report } = await finish(feedId)
      expect(feed.processingStatus).toBe("FATAL")
      expect(report.issues[0].code).toBe(ISSUE_CODES.FEED_TYPE_RETIRED)
    },
  )

  it("reports one issue per invalid message with messageId and sku, and applies only the valid ones", async () => {
    const feedId = await submit([
      quantityPatch(1, "SKU-1", 11),
      {
        messageId: 2,
        sku: "SKU-2",
        operationType: "PATCH",
        productType: "PRODUCT",
        patches: [{ op: "replace", path: "/attributes/fulfillmentAvailability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 5 }] }],
      },
      {
        messageId: 3,
        sku: "SKU-3",
        operationType: "PATCH",
        productType: "PRODUCT",
        patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ quantity: 5 }] }],
      },
      quantityPatch(4, "NO-SUCH-SKU", 5),
      { messageId: 5, sku: "SKU-1", operationType: "PATCH", productType: "PRODUCT", patches: [{ op: "upsert", path: "/attributes/fulfillment_availability" }] },
      quantityPatch(6, "SKU-LEAD", 40, "merge"),
      quantityPatch(7, "SKU-2", -1),
      quantityPatch(1, "SKU-3", 8),
      {
        messageId: 8,
        sku: "SKU-3",
        operationType: "PARTIAL_UPDATE",
        productType: "PRODUCT",
        attributes: { fulfillment_availability: [{ fulfillment_channel_code: "DEFAULT", quantity: 33 }] },
      },
    ])
    const { feed, report } = await finish(feedId)
    expect(feed.processingStatus).toBe("DONE")
    expect(report.summary).toEqual({ errors: 6, warnings: 0, messagesProcessed: 9, messagesAccepted: 3, messagesInvalid: 6 })
    const byMessage = report.issues.map((i) => [i.messageId, i.sku, i.code])
    expect(byMessage).toEqual([
      [2, "SKU-2", ISSUE_CODES.INVALID_ATTRIBUTES],
      [3, "SKU-3", ISSUE_CODES.MISSING_REQUIRED_VALUE],
      [4, "NO-SUCH-SKU", ISSUE_CODES.SKU_NOT_FOUND],
      [5, "SKU-1", ISSUE_CODES.MESSAGE_SCHEMA_INVALID],
      [7, "SKU-2", ISSUE_CODES.INVALID_ATTRIBUTES],
      [1, "SKU-3", ISSUE_CODES.BAD_REQUEST],
    ])
    expect(report.issues[0].attributeName).toBe("fulfillmentAvailability")
    expect(report.issues.every((i) => i.severity === "ERROR")).toBe(true)

    expect(sim.control.quantities(SELLER.sellerId)).toEqual({ "SKU-1": 11, "SKU-2": 2, "SKU-3": 33, "SKU-LEAD": 40 })
    const lead = sim.control.listListings(SELLER.sellerId).find((l) => l.sku === "SKU-LEAD")
    // merge keeps the fields it was not given
    expect(lead?.attributes.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 40, lead_time_to_ship_max_days: 3 }])
  })

  it("replace drops the fields it was not given", async () => {
    const { feed } = await finish(await submit([quantityPatch(1, "SKU-LEAD", 2, "replace")]))
    expect(feed.processingStatus).toBe("DONE")
    const lead = sim.control.listListings(SELLER.sellerId).find((l) => l.sku === "SKU-LEAD")
    expect(lead?.attributes.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 2 }])
  })

  it("adds the listings to the report when header.report asks for them", async () => {
    const feedId = await submit([quantityPatch(1, "SKU-1", 12)], { report: { includedData: ["fulfillmentAvailability", "issues"], apiVersion: "2021-08-01" } })
    const { report } = await finish(feedId)
    expect(report.items).toEqual([{ sku: "SKU-1", issues: [], fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: 12 }] }])
  })

  it("GZIP-compresses reports when configured and honours enableContentEncodingUrlHeader", async () => {
    sim.control.setReportCompression("always")
    const feedId = await submit([quantityPatch(1, "SKU-1", 3)])
    sim.control.advanceClock(QUEUE_MS + PROCESSING_MS)
    const feed = await getFeed(feedId)
    const doc = await call<{ url: string; compressionAlgorithm?: string }>(sim.url, "GET", `/feeds/2021-06-30/documents/${feed.resultFeedDocumentId}`, { token })
    expect(doc.body.compressionAlgorithm).toBe("GZIP")
    expect(contract.validateResponse("feeds-2021-06-30.getFeedDocument", 200, doc.body).errors).toBe("")
    const raw = Buffer.from(await (await fetch(doc.body.url)).arrayBuffer())
    expect(raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]))
    const report = JSON.parse(gunzipSync(raw).toString("utf8"))
    expect(contract.validateProcessingReport(report).errors).toBe("")

    const withHeader = await call<{ url: string }>(sim.url, "GET", `/feeds/2021-06-30/documents/${feed.resultFeedDocumentId}`, {
      token,
      query: { enableContentEncodingUrlHeader: true },
    })
    const res = await fetch(withHeader.body.url)
    expect(res.headers.get("content-encoding")).toBe("gzip")
    // fetch decompresses Content-Encoding itself: the body is the plain JSON report
    expect(JSON.parse(await res.text())).toEqual(report)
  })

  it("compresses in auto mode only above the threshold", async () => {
    sim.control.setReportCompression("auto", 600)
    const small = await finish(await submit([quantityPatch(1, "SKU-1", 3)]))
    const big = await finish(await submit(Array.from({ length: 20 }, (_, i) => quantityPatch(i + 1, `NO-SUCH-${i}`, 1))))
    const smallDoc = await downloadResult(sim, token, small.feed.resultFeedDocumentId as string)
    const bigDoc = await downloadResult(sim, token, big.feed.resultFeedDocumentId as string)
    expect(smallDoc.compressed).toBe(false)
    expect(bigDoc.compressed).toBe(true)
  })

  it("enforces the JSON_LISTINGS_FEED quota of 5 submissions per 5 minutes", async () => {
    const doc = await uploadFeedDocument(sim, token, listingsFeed(SELLER.sellerId, [quantityPatch(1, "SKU-1", 1)]))
    for (let i = 0; i < 5; i++) await createFeed(sim, token, "JSON_LISTINGS_FEED", doc)
    const sixth = await call(sim.url, "POST", "/feeds/2021-06-30/feeds", {
      token,
      body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [DE], inputFeedDocumentId: doc },
    })
    expect(sixth.status).toBe(429)
    expect(sixth.headers.get("x-amzn-ratelimit-limit")).toBe("0.0167")
    expect(sixth.body).toEqual({ errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" }] })
    sim.control.advanceClock(5 * 60_000)
    await expect(createFeed(sim, token, "JSON_LISTINGS_FEED", doc)).resolves.toMatch(/^\d+$/)
  })

  it("holds a stuck feed IN_PROGRESS, blocking the seller's queue, until released", async () => {
    sim.control.injectFault({ type: "feed-stuck" })
    const stuck = await submit([quantityPatch(1, "SKU-1", 5)])
    const next = await submit([quantityPatch(1, "SKU-2", 6)])
    sim.control.advanceClock(10 * (QUEUE_MS + PROCESSING_MS))
    expect((await getFeed(stuck)).processingStatus).toBe("IN_PROGRESS")
    expect((await getFeed(next)).processingStatus).toBe("IN_QUEUE")
    expect(sim.control.listFeeds(SELLER.sellerId)[0].stuck).toBe(true)

    expect(sim.control.releaseStuckFeeds()).toBe(1)
    sim.control.advanceClock(PROCESSING_MS + QUEUE_MS + PROCESSING_MS)
    expect((await getFeed(stuck)).processingStatus).toBe("DONE")
    expect((await getFeed(next)).processingStatus).toBe("DONE")
    expect(sim.control.quantities(SELLER.sellerId)).toMatchObject({ "SKU-1": 5, "SKU-2": 6 })
  })

  it("ends the next feed FATAL when the feed-fatal fault is set", async () => {
    sim.control.injectFault({ type: "feed-fatal" })
    const { feed, report } = await finish(await submit([quantityPatch(1, "SKU-1", 5)]))
    expect(feed.processingStatus).toBe("FATAL")
    expect(report.issues[0].code).toBe(ISSUE_CODES.INJECTED_FATAL)
    expect(sim.control.getQuantity("SKU-1", SELLER.sellerId)).toBe(1)
    const { feed: second } = await finish(await submit([quantityPatch(1, "SKU-1", 5)]))
    expect(second.processingStatus).toBe("DONE")
  })

  it("lists feeds with getFeeds: feedTypes required, pageSize and a nextToken that must come alone", async () => {
    for (let i = 0; i < 3; i++) await submit([quantityPatch(1, "SKU-1", i)])
    const missing = await call(sim.url, "GET", "/feeds/2021-06-30/feeds", { token })
    expect(missing.status).toBe(400)

    const page1 = await call<{ feeds: Feed[]; nextToken?: string }>(sim.url, "GET", "/feeds/2021-06-30/feeds", {
      token,
      query: { feedTypes: "JSON_LISTINGS_FEED", pageSize: 2 },
    })
    expect(page1.status).toBe(200)
    expect(contract.validateResponse("feeds-2021-06-30.getFeeds", 200, page1.body).errors).toBe("")
    expect(page1.body.feeds).toHaveLength(2)
    expect(page1.body.nextToken).toBeDefined()

    const mixed = await call(sim.url, "GET", "/feeds/2021-06-30/feeds", { token, query: { nextToken: page1.body.nextToken, pageSize: 2 } })
    expect(mixed.status).toBe(400)
    const page2 = await call<{ feeds: Feed[]; nextToken?: string }>(sim.url, "GET", "/feeds/2021-06-30/feeds", { token, query: { nextToken: page1.body.nextToken } })
    expect(page2.body.feeds).toHaveLength(1)
    expect(page2.body.nextToken).toBeUndefined()
    const ids = [...page1.body.feeds, ...page2.body.feeds].map((f) => f.feedId)
    expect(new Set(ids).size).toBe(3)
  })

  it("refuses createFeed with another seller's or an unknown document", async () => {
    const otherToken = await accessToken(sim, OTHER_SELLER)
    const foreignDoc = await uploadFeedDocument(sim, otherToken, listingsFeed(OTHER_SELLER.sellerId, [quantityPatch(1, "OTHER-1", 1)]))
    const res = await call(sim.url, "POST", "/feeds/2021-06-30/feeds", {
      token,
      body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [DE], inputFeedDocumentId: foreignDoc },
    })
    expect(res.status).toBe(400)
    expect(contract.validateResponse("feeds-2021-06-30.createFeed", 400, res.body).errors).toBe("")
    const feedOfOther = await call(sim.url, "GET", `/feeds/2021-06-30/documents/${encodeURIComponent(foreignDoc)}`, { token })
    expect(feedOfOther.status).toBe(404)
  })
})
