/**
 * POST_ORDER_FULFILLMENT_DATA and POST_ORDER_ACKNOWLEDGEMENT_DATA through the simulator's HTTP API, the way
 * the plugin submits them: documents built by the plugin's builders, reports read by the plugin's parser
 * (so this also checks that the two sides agree on the XML).
 */
import { gunzipSync, gzipSync } from "node:zlib"
import {
  buildOrderAcknowledgementFeed,
  type OrderAcknowledgementInput,
} from "../../src/lib/amazon/feeds/build-order-acknowledgement-feed"
import {
  buildOrderFulfillmentFeed,
  type OrderFulfillmentPackageInput,
} from "../../src/lib/amazon/feeds/build-order-fulfillment-feed"
import { ORDER_FEED_CONTENT_TYPE } from "../../src/lib/amazon/feeds/order-feed-xml"
import {
  parseXmlProcessingReport,
  XmlReportParseError,
} from "../../src/lib/amazon/feeds/parse-xml-processing-report"
import { ORDER_FEED_RESULT_CODES } from "../domain/order-feeds"
import { ContractValidator, startSimulator, type Order, type SimulatorHandle } from "../index"
import { accessToken, call, createFeed, DE, OTHER_SELLER, SELLER, uploadFeedDocument } from "./helpers/sp-client"

type Feed = { feedId: string; feedType: string; processingStatus: string; resultFeedDocumentId?: string }

const contract = new ContractValidator()
const START = Date.parse("2026-03-02T09:00:00Z")
const FULFILLMENT = "POST_ORDER_FULFILLMENT_DATA"
const ACKNOWLEDGEMENT = "POST_ORDER_ACKNOWLEDGEMENT_DATA"

describe("XML order feeds (POST_ORDER_FULFILLMENT_DATA, POST_ORDER_ACKNOWLEDGEMENT_DATA)", () => {
  let sim: SimulatorHandle
  let token: string

  beforeAll(async () => {
    sim = await startSimulator({ startTime: START, feedTiming: { queueMs: 1_000, processingMs: 2_000 }, compressReports: "never" })
  })
  afterAll(() => sim.close())

  beforeEach(async () => {
    sim.control.reset()
    sim.control.setReportCompression("never")
    sim.control.seed({
      sellers: [SELLER, OTHER_SELLER],
      listings: [
        { sellerId: SELLER.sellerId, sku: "MUG", asin: "B00000MUG1", quantity: 10, price: { amount: "9.50" } },
        { sellerId: SELLER.sellerId, sku: "CUP", asin: "B00000CUP1", quantity: 10, price: { amount: "4.00" } },
        { sellerId: OTHER_SELLER.sellerId, sku: "OTHER", quantity: 1, price: { amount: "1.00" } },
      ],
    })
    token = await accessToken(sim)
  })

  function seedOrder(extra: Partial<Parameters<SimulatorHandle["control"]["seedOrder"]>[0]> = {}): Order {
    return sim.control.seedOrder({
      sellerId: SELLER.sellerId,
      orderItems: [
        { sellerSku: "MUG", quantityOrdered: 2 },
        { sellerSku: "CUP", quantityOrdered: 1 },
      ],
      ...extra,
    })
  }

  /** createFeedDocument → upload → createFeed → (simulated time passes) → getFeed → getFeedDocument → download. */
  async function submit(feedType: string, document: string | Buffer, contentType = ORDER_FEED_CONTENT_TYPE): Promise<{ feed: Feed; report: Buffer }> {
    const documentId = await uploadFeedDocument(sim, token, document, contentType)
    const feedId = await createFeed(sim, token, feedType, documentId, [DE])
    sim.control.advanceClock(10_000)
    const got = await call<Feed>(sim.url, "GET", `/feeds/2021-06-30/feeds/${feedId}`, { token })
    expect(got.status).toBe(200)
    expect(contract.validateResponse("feeds-2021-06-30.getFeed", 200, got.body).errors).toBe("")
    expect(["DONE", "FATAL"]).toContain(got.body.processingStatus)
    const doc = await call<{ url: string; compressionAlgorithm?: string }>(
      sim.url,
      "GET",
      `/feeds/2021-06-30/documents/${encodeURIComponent(got.body.resultFeedDocumentId as string)}`,
      { token },
    )
    expect(doc.status).toBe(200)
    const res = await fetch(doc.body.url)
    expect(res.status).toBe(200)
    const bytes = Buffer.from(await res.arrayBuffer())
    return { feed: got.body, report: doc.body.compressionAlgorithm === "GZIP" ? gunzipSync(bytes) : bytes }
  }

  async function shipByFeed(packages: OrderFulfillmentPackageInput[]) {
    const built = buildOrderFulfillmentFeed({ sellerId: SELLER.sellerId, packages })
    const { feed, report } = await submit(FULFILLMENT, built.xml)
    return { feed, built, report: parseXmlProcessingReport(report, { messages: built.messages }) }
  }

  async function acknowledgeByFeed(acknowledgements: OrderAcknowledgementInput[]) {
    const built = buildOrderAcknowledgementFeed({ sellerId: SELLER.sellerId, acknowledgements })
    const { feed, report } = await submit(ACKNOWLEDGEMENT, built.xml)
    return { feed, built, report: parseXmlProcessingReport(report, { messages: built.messages }) }
  }

  /** The order as getOrder shows it with packages, fulfillment and cancellation data. */
  async function viewOrder(orderId: string): Promise<Order> {
    const res = await call<{ order: Order }>(sim.url, "GET", `/orders/2026-01-01/orders/${orderId}`, {
      token,
      query: { includedData: "PACKAGES,FULFILLMENT,CANCELLATION" },
    })
    expect(res.status).toBe(200)
    expect(contract.validateResponse("orders-2026-01-01.getOrder", 200, res.body).errors).toBe("")
    return res.body.order
  }

  const shipped = (order: Order) => order.orderItems.map((i) => [i.fulfillment?.quantityFulfilled, i.fulfillment?.quantityUnfulfilled])

  it("ships listed items, then the rest of the order, recording packages as confirmShipment does", async () => {
    const order = seedOrder()
    const [mug, cup] = order.orderItems.map((i) => i.orderItemId)
    sim.control.setReportCompression("always")

    const { feed, report } = await shipByFeed([
      {
        amazonOrderId: order.orderId,
        packageReference: "1001",
        fulfillmentDate: "2026-03-02T08:30:00Z",
        carrierCode: "DHL",
        shippingMethod: "Paket",
        trackingNumber: "00340434161094042557",
        items: [{ amazonOrderItemCode: mug, quantity: 1 }],
      },
      { amazonOrderId: order.orderId, packageReference: "1002", fulfillmentDate: "2026-03-02T08:45:00Z", carrierName: "Spedition Müller & Söhne", trackingNumber: "SM-1" },
    ])

    expect(feed.processingStatus).toBe("DONE")
    expect(report.documentTransactionId).toBe(feed.feedId)
    expect(report.merchantIdentifier).toBe(SELLER.sellerId)
    expect(report.summary).toEqual({ messagesProcessed: 2, messagesSuccessful: 2, messagesWithError: 0, messagesWithWarning: 0 })
    expect(report.outcomes.map((o) => [o.message.packageReference, o.status])).toEqual([
      ["1001", "accepted"],
      ["1002", "accepted"],
    ])

    const view = await viewOrder(order.orderId)
    expect(view.fulfillment?.fulfillmentStatus).toBe("SHIPPED")
    expect(shipped(view)).toEqual([
      [2, 0],
      [1, 0],
    ])
    expect(view.packages).toEqual([
      expect.objectContaining({
        packageReferenceId: "1001",
        carrier: "DHL",
        shippingService: "Paket",
        trackingNumber: "00340434161094042557",
        shipTime: "2026-03-02T08:30:00Z",
        packageItems: [{ orderItemId: mug, quantity: 1 }],
      }),
      expect.objectContaining({
        packageReferenceId: "1002",
        carrier: "Spedition Müller & Söhne",
        trackingNumber: "SM-1",
        packageItems: [
          { orderItemId: mug, quantity: 1 },
          { orderItemId: cup, quantity: 1 },
        ],
      }),
    ])
    expect(sim.control.getOrderPackages(order.orderId)).toEqual(view.packages)
    expect(sim.control.listShipments().map((s) => [s.packageReferenceId, s.carrierCode, s.carrierName, s.marketplaceId])).toEqual([
      ["1001", "DHL", undefined, DE],
      ["1002", "Other", "Spedition Müller & Söhne", DE],
    ])
  })

  it("moves the order to PARTIALLY_SHIPPED after a first package", async () => {
    const order = seedOrder()
    const { report } = await shipByFeed([
      {
        amazonOrderId: order.orderId,
        packageReference: "7",
        fulfillmentDate: "2026-03-02T08:30:00Z",
        carrierCode: "UPS",
        trackingNumber: "1Z999",
        items: [{ amazonOrderItemCode: order.orderItems[1].orderItemId, quantity: 1 }],
      },
    ])
    expect(report.outcomes[0].status).toBe("accepted")
    const view = await viewOrder(order.orderId)
    expect(view.fulfillment?.fulfillmentStatus).toBe("PARTIALLY_SHIPPED")
    expect(shipped(view)).toEqual([
      [0, 2],
      [1, 0],
    ])
  })

  it("treats a MerchantFulfillmentID already applied to the order as a success that changes nothing", async () => {
    const order = seedOrder()
    const pkg: OrderFulfillmentPackageInput = {
      amazonOrderId: order.orderId,
      packageReference: "42",
      fulfillmentDate: "2026-03-02T08:30:00Z",
      carrierCode: "DHL",
      trackingNumber: "T-1",
      items: [{ amazonOrderItemCode: order.orderItems[0].orderItemId, quantity: 1 }],
    }
    await shipByFeed([pkg])
    const before = sim.control.getOrder(order.orderId)

    const again = await shipByFeed([pkg])
    expect(again.feed.processingStatus).toBe("DONE")
    expect(again.report.outcomes[0].status).toBe("accepted")
    expect(sim.control.getOrder(order.orderId)).toEqual(before)
    expect(sim.control.listShipments()).toHaveLength(1)
  })

  it("refuses, message by message, what Amazon would refuse, and still applies the valid messages", async () => {
    const open = seedOrder()
    const small = seedOrder({ orderItems: [{ sellerSku: "MUG", quantityOrdered: 1 }] })
    const cancelled = seedOrder({ fulfillmentStatus: "CANCELLED" })
    const fba = seedOrder({ fulfilledBy: "AMAZON" })
    const shippedOrder = seedOrder({ fulfillmentStatus: "SHIPPED" })
    const foreign = sim.control.seedOrder({ sellerId: OTHER_SELLER.sellerId, orderItems: [{ sellerSku: "OTHER", quantityOrdered: 1 }] })
    const base = { fulfillmentDate: "2026-03-02T08:30:00Z", carrierCode: "DHL", trackingNumber: "T" }

    const { feed, report } = await shipByFeed([
      { ...base, amazonOrderId: "302-9999999-9999999" },
      { ...base, amazonOrderId: foreign.orderId },
      { ...base, amazonOrderId: open.orderId, items: [{ amazonOrderItemCode: "40000000099999", quantity: 1 }] },
      { ...base, amazonOrderId: small.orderId, items: [{ amazonOrderItemCode: small.orderItems[0].orderItemId, quantity: 2 }] },
      { ...base, amazonOrderId: cancelled.orderId },
      { ...base, amazonOrderId: fba.orderId },
      { ...base, amazonOrderId: shippedOrder.orderId },
      { ...base, amazonOrderId: open.orderId, packageReference: "5" },
    ])

    expect(feed.processingStatus).toBe("DONE")
    expect(report.summary).toEqual({ messagesProcessed: 8, messagesSuccessful: 1, messagesWithError: 7, messagesWithWarning: 0 })
    const { ORDER_NOT_FOUND, INVALID_ITEM_DATA, ORDER_STATE } = ORDER_FEED_RESULT_CODES
    expect(report.outcomes.map((o) => [o.status, o.errors[0]?.resultMessageCode, o.errors[0]?.amazonOrderId])).toEqual([
      ["error", ORDER_NOT_FOUND, "302-9999999-9999999"],
      ["error", ORDER_NOT_FOUND, foreign.orderId],
      ["error", INVALID_ITEM_DATA, open.orderId],
      ["error", INVALID_ITEM_DATA, small.orderId],
      ["error", ORDER_STATE, cancelled.orderId],
      ["error", ORDER_STATE, fba.orderId],
      ["error", ORDER_STATE, shippedOrder.orderId],
      ["accepted", undefined, undefined],
    ])
    expect(report.outcomes[2].errors[0].amazonOrderItemCode).toBe("40000000099999")
    expect(sim.control.getOrder(small.orderId)?.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")
    expect(sim.control.getOrder(foreign.orderId)?.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")
    expect(sim.control.getOrder(open.orderId)?.fulfillment?.fulfillmentStatus).toBe("SHIPPED")
    expect(sim.control.listShipments().map((s) => s.orderId)).toEqual([open.orderId])
  })

  it("cancels listed items as v2026 shows a seller cancellation, and ships what is left", async () => {
    const order = seedOrder()
    const [mug, cup] = order.orderItems.map((i) => i.orderItemId)

    const cancel = await acknowledgeByFeed([
      { amazonOrderId: order.orderId, merchantOrderId: "order_01", statusCode: "Failure", items: [{ amazonOrderItemCode: cup, cancelReason: "NoInventory" }] },
    ])
    expect(cancel.report.outcomes[0].status).toBe("accepted")
    let view = await viewOrder(order.orderId)
    expect(view.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")
    expect(view.orderItems[1].cancellation).toEqual({ cancellationExecution: { cancelledBy: "MERCHANT", cancelReason: "NoInventory" } })
    expect(view.orderItems[0].cancellation).toBeUndefined()
    expect(shipped(view)).toEqual([
      [0, 2],
      [0, 0],
    ])

    const ship = await shipByFeed([{ amazonOrderId: order.orderId, fulfillmentDate: "2026-03-02T08:30:00Z", carrierCode: "DHL", trackingNumber: "T-9" }])
    expect(ship.report.outcomes[0].status).toBe("accepted")
    view = await viewOrder(order.orderId)
    expect(view.fulfillment?.fulfillmentStatus).toBe("SHIPPED")
    expect(view.packages?.[0].packageItems).toEqual([{ orderItemId: mug, quantity: 2 }])
  })

  it("cancels a whole order, accepts the same cancellation again, and only accepts a Success", async () => {
    const order = seedOrder()
    const kept = seedOrder()
    const cancelWhole: OrderAcknowledgementInput = { amazonOrderId: order.orderId, statusCode: "Failure" }

    const first = await acknowledgeByFeed([cancelWhole, { amazonOrderId: kept.orderId, merchantOrderId: "order_02", statusCode: "Success" }])
    expect(first.report.outcomes.map((o) => o.status)).toEqual(["accepted", "accepted"])
    const view = await viewOrder(order.orderId)
    expect(view.fulfillment?.fulfillmentStatus).toBe("CANCELLED")
    expect(view.orderItems.map((i) => i.cancellation?.cancellationExecution)).toEqual([{ cancelledBy: "MERCHANT" }, { cancelledBy: "MERCHANT" }])
    expect(shipped(view)).toEqual([
      [0, 0],
      [0, 0],
    ])
    expect(sim.control.getOrder(kept.orderId)).toEqual(kept)

    const before = sim.control.getOrder(order.orderId)
    const again = await acknowledgeByFeed([cancelWhole])
    expect(again.report.outcomes[0].status).toBe("accepted")
    expect(sim.control.getOrder(order.orderId)).toEqual(before)
  })

  it("refuses to cancel an order with shipped units, and an unknown item or order", async () => {
    const partly = seedOrder()
    sim.control.transitionOrder(partly.orderId, { to: "PARTIALLY_SHIPPED", items: [{ orderItemId: partly.orderItems[0].orderItemId, quantity: 1 }] })
    const before = sim.control.getOrder(partly.orderId)
    const open = seedOrder()

    const { report } = await acknowledgeByFeed([
      { amazonOrderId: partly.orderId, statusCode: "Failure", items: [{ amazonOrderItemCode: partly.orderItems[1].orderItemId, cancelReason: "NoInventory" }] },
      { amazonOrderId: open.orderId, statusCode: "Failure", items: [{ amazonOrderItemCode: "40000000099999", cancelReason: "NoInventory" }] },
      { amazonOrderId: "302-9999999-9999999", statusCode: "Failure" },
    ])
    const { CANCEL_AFTER_SHIPMENT, INVALID_ITEM_DATA, ORDER_NOT_FOUND } = ORDER_FEED_RESULT_CODES
    expect(report.outcomes.map((o) => [o.status, o.errors[0]?.resultMessageCode])).toEqual([
      ["error", CANCEL_AFTER_SHIPMENT],
      ["error", INVALID_ITEM_DATA],
      ["error", ORDER_NOT_FOUND],
    ])
    expect(sim.control.getOrder(partly.orderId)).toEqual(before)
    expect(sim.control.getOrder(open.orderId)?.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")
  })

  it("warns about a CancelReason sent with StatusCode Success", async () => {
    const order = seedOrder()
    const built = buildOrderAcknowledgementFeed({ sellerId: SELLER.sellerId, acknowledgements: [{ amazonOrderId: order.orderId, statusCode: "Failure", items: [{ amazonOrderItemCode: order.orderItems[0].orderItemId, cancelReason: "NoInventory" }] }] })
    // Our builder refuses this combination, so the document is edited after building.
    const { report } = await submit(ACKNOWLEDGEMENT, built.xml.replace("<StatusCode>Failure</StatusCode>", "<StatusCode>Success</StatusCode>"))
    const parsed = parseXmlProcessingReport(report, { messages: built.messages })
    expect(parsed.summary).toEqual({ messagesProcessed: 1, messagesSuccessful: 1, messagesWithError: 0, messagesWithWarning: 1 })
    expect(parsed.outcomes[0].status).toBe("warning")
    expect(parsed.outcomes[0].warnings[0].resultMessageCode).toBe(ORDER_FEED_RESULT_CODES.CANCEL_REASON_IGNORED)
    expect(sim.control.getOrder(order.orderId)?.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")
  })

  it.each<[string, (xml: string) => string | Buffer, RegExp]>([
    ["malformed XML", (xml: string) => xml.replace("</FulfillmentDate>", ""), /^XML Parsing Fatal Error at Line \d+, Column \d+: /],
    ["a MessageType of another feed type", (xml: string) => xml.replace("<MessageType>OrderFulfillment</MessageType>", "<MessageType>OrderAcknowledgement</MessageType>"), /MessageType/],
    ["a quantity that is not a positive integer", (xml: string) => xml.replace("<Quantity>1</Quantity>", "<Quantity>0</Quantity>"), /positiveInteger/],
    ["both CarrierCode and CarrierName", (xml: string) => xml.replace("<CarrierCode>DHL</CarrierCode>", "<CarrierCode>DHL</CarrierCode><CarrierName>DHL</CarrierName>"), /CarrierCode/],
    ["an unknown element", (xml: string) => xml.replace("<FulfillmentData>", "<Fulfilment/><FulfillmentData>"), /'Fulfilment'/],
    ["a DOCTYPE", (xml: string) => xml.replace("<AmazonEnvelope", '<!DOCTYPE AmazonEnvelope [<!ENTITY x "y">]><AmazonEnvelope'), /DOCTYPE is disallowed/],
    ["gzip bytes", (xml: string) => gzipSync(Buffer.from(xml)), /Invalid byte|Content is not allowed in prolog/],
  ])("ends FATAL on %s, applying nothing, with a report saying so", async (_label, corrupt, description) => {
    const order = seedOrder()
    const built = buildOrderFulfillmentFeed({
      sellerId: SELLER.sellerId,
      packages: [
        { amazonOrderId: order.orderId, fulfillmentDate: "2026-03-02T08:30:00Z", carrierCode: "DHL", trackingNumber: "T", items: [{ amazonOrderItemCode: order.orderItems[0].orderItemId, quantity: 1 }] },
      ],
    })
    const corrupted = corrupt(built.xml)
    const { feed, report } = await submit(FULFILLMENT, corrupted)
    expect(feed.processingStatus).toBe("FATAL")
    const parsed = parseXmlProcessingReport(report, { messages: built.messages })
    expect(parsed.summary).toEqual({ messagesProcessed: 0, messagesSuccessful: 0, messagesWithError: 1, messagesWithWarning: 0 })
    expect(parsed.documentResults).toHaveLength(1)
    expect(parsed.documentResults[0].resultMessageCode).toBe(ORDER_FEED_RESULT_CODES.XML_PARSING_ERROR)
    expect(parsed.documentResults[0].resultDescription).toMatch(description)
    expect(parsed.outcomes[0].status).toBe("unconfirmed")
    expect(sim.control.getOrder(order.orderId)).toEqual(order)
  })

  it("reads a document uploaded with a non-XML content type as a flat file, which the XML parser refuses", async () => {
    const order = seedOrder()
    const built = buildOrderAcknowledgementFeed({ sellerId: SELLER.sellerId, acknowledgements: [{ amazonOrderId: order.orderId, statusCode: "Failure" }] })
    const { feed, report } = await submit(ACKNOWLEDGEMENT, built.xml, "text/tab-separated-values; charset=UTF-8")
    expect(feed.processingStatus).toBe("FATAL")
    const text = report.toString("utf8")
    expect(text.startsWith("Feed Processing Summary:")).toBe(true)
    expect(text).toContain(`${ORDER_FEED_RESULT_CODES.FLAT_FILE_NO_ORDER_ID}\tFatal\tThe required order-id field is missing`)
    expect(sim.control.getFeedReportText(feed.feedId)).toBe(text)
    let error: unknown
    try {
      parseXmlProcessingReport(report, { messages: built.messages })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(XmlReportParseError)
    expect((error as XmlReportParseError).code).toBe("NOT_XML")
    expect(sim.control.getOrder(order.orderId)).toEqual(order)
  })

  it("ends FATAL with an XML report when the feed-fatal fault is injected", async () => {
    const order = seedOrder()
    sim.control.injectFault({ type: "feed-fatal" })
    const built = buildOrderAcknowledgementFeed({ sellerId: SELLER.sellerId, acknowledgements: [{ amazonOrderId: order.orderId, statusCode: "Failure" }] })
    const { feed, report } = await submit(ACKNOWLEDGEMENT, built.xml)
    expect(feed.processingStatus).toBe("FATAL")
    const parsed = parseXmlProcessingReport(report, { messages: built.messages })
    expect(parsed.documentResults[0].resultMessageCode).toBe(ORDER_FEED_RESULT_CODES.INJECTED_FATAL)
    expect(sim.control.getOrder(order.orderId)?.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")
  })
})
