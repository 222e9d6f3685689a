import { readFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { XMLParser } from "fast-xml-parser"
import {
  buildOrderAcknowledgementFeed,
  CANCEL_REASONS,
  type BuildOrderAcknowledgementFeedInput,
} from "../feeds/build-order-acknowledgement-feed"
import {
  buildOrderFulfillmentFeed,
  type BuildOrderFulfillmentFeedInput,
  type OrderFulfillmentPackageInput,
} from "../feeds/build-order-fulfillment-feed"
import { OrderFeedBuildError, type OrderFeedBuildErrorCode } from "../feeds/order-feed-xml"
import {
  parseXmlProcessingReport,
  XmlReportParseError,
  type XmlReportParseErrorCode,
} from "../feeds/parse-xml-processing-report"

const FIXTURES = join(__dirname, "fixtures")
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8")

// A reader independent of the code under test: the default entity handling of fast-xml-parser (the
// predefined entities only), values kept as strings, repeated elements always as arrays.
const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  isArray: (name) => ["Message", "Item"].includes(name),
})
const read = (xml: string) => reader.parse(xml) as { AmazonEnvelope: Record<string, unknown> }

function buildError(fn: () => unknown): { code: OrderFeedBuildErrorCode; field: string } {
  try {
    fn()
  } catch (e) {
    if (e instanceof OrderFeedBuildError) {
      return { code: e.code, field: e.field }
    }
    throw e
  }
  throw new Error("expected an OrderFeedBuildError")
}

function parseError(fn: () => unknown): { code: XmlReportParseErrorCode; path: string } {
  try {
    fn()
  } catch (e) {
    if (e instanceof XmlReportParseError) {
      return { code: e.code, path: e.path }
    }
    throw e
  }
  throw new Error("expected an XmlReportParseError")
}

const ENVELOPE_ATTRIBUTES = {
  "@xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
  "@xsi:noNamespaceSchemaLocation": "amzn-envelope.xsd",
}

const PACKAGE: OrderFulfillmentPackageInput = {
  amazonOrderId: "302-1234567-7654321",
  packageReference: "1001",
  fulfillmentDate: "2026-03-02T10:15:00+01:00",
  carrierCode: "DHL",
  shippingMethod: "Paket",
  trackingNumber: "00340434161094042557",
  items: [
    { amazonOrderItemCode: "40000000000007", quantity: 2 },
    { amazonOrderItemCode: "40000000000014", quantity: 1 },
  ],
}

function fulfillment(packages: unknown[], sellerId: unknown = "A2EXAMPLESELLER") {
  return buildOrderFulfillmentFeed({ sellerId, packages } as BuildOrderFulfillmentFeedInput)
}

function acknowledgement(acknowledgements: unknown[], sellerId: unknown = "A2EXAMPLESELLER") {
  return buildOrderAcknowledgementFeed({ sellerId, acknowledgements } as BuildOrderAcknowledgementFeedInput)
}

describe("buildOrderFulfillmentFeed", () => {
  it("builds one OrderFulfillment message per package, in the schema's element order", () => {
    const built = fulfillment([
      PACKAGE,
      {
        amazonOrderId: "302-7654321-1234567",
        fulfillmentDate: new Date(Date.UTC(2026, 2, 2, 12, 0, 0)),
        carrierName: "Spedition Müller",
        trackingNumber: "SM-42",
      },
    ])

    expect(read(built.xml)).toEqual({
      "?xml": { "@version": "1.0", "@encoding": "UTF-8" },
      AmazonEnvelope: {
        ...ENVELOPE_ATTRIBUTES,
        Header: { DocumentVersion: "1.01", MerchantIdentifier: "A2EXAMPLESELLER" },
        MessageType: "OrderFulfillment",
        Message: [
          {
            MessageID: "1",
            OrderFulfillment: {
              AmazonOrderID: "302-1234567-7654321",
              MerchantFulfillmentID: "1001",
              FulfillmentDate: "2026-03-02T09:15:00.000Z",
              FulfillmentData: { CarrierCode: "DHL", ShippingMethod: "Paket", ShipperTrackingNumber: "00340434161094042557" },
              Item: [
                { AmazonOrderItemCode: "40000000000007", Quantity: "2" },
                { AmazonOrderItemCode: "40000000000014", Quantity: "1" },
              ],
            },
          },
          {
            MessageID: "2",
            OrderFulfillment: {
              AmazonOrderID: "302-7654321-1234567",
              FulfillmentDate: "2026-03-02T12:00:00.000Z",
              FulfillmentData: { CarrierName: "Spedition Müller", ShipperTrackingNumber: "SM-42" },
            },
          },
        ],
      },
    })
    // Sequence order matters to Amazon's XSD validation; the parsed object above does not show it.
    const order = ["<AmazonOrderID>", "<MerchantFulfillmentID>", "<FulfillmentDate>", "<FulfillmentData>", "<CarrierCode>", "<ShippingMethod>", "<ShipperTrackingNumber>", "<Item>"]
    const first = built.xml.slice(built.xml.indexOf("<OrderFulfillment>"), built.xml.indexOf("</OrderFulfillment>"))
    const positions = order.map((tag) => first.indexOf(tag))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(built.messages).toEqual([
      { messageId: 1, amazonOrderId: "302-1234567-7654321", packageReference: "1001" },
      { messageId: 2, amazonOrderId: "302-7654321-1234567" },
    ])
  })

  it("escapes markup characters, keeps quotes and non-ASCII text as they are, and round-trips exactly", () => {
    const tricky = `DHL "Paket" & <Express> l'Été Köln 🚚`
    const built = fulfillment([{ ...PACKAGE, shippingMethod: tricky, trackingNumber: "A&B<1>" }])
    expect(built.xml).toContain("DHL \"Paket\" &amp; &lt;Express&gt; l'Été Köln 🚚")
    expect(built.xml).toContain("<ShipperTrackingNumber>A&amp;B&lt;1&gt;</ShipperTrackingNumber>")
    expect(built.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    const data = (read(built.xml).AmazonEnvelope.Message as { OrderFulfillment: { FulfillmentData: Record<string, string> } }[])[0]
      .OrderFulfillment.FulfillmentData
    expect(data.ShippingMethod).toBe(tricky)
    expect(data.ShipperTrackingNumber).toBe("A&B<1>")
  })

  it.each<[string, unknown[], unknown, OrderFeedBuildErrorCode, string]>([
    ["no packages", [], "S", "EMPTY_FEED", "packages"],
    ["blank seller id", [PACKAGE], " ", "EMPTY_SELLER_ID", "sellerId"],
    ["blank order id", [{ ...PACKAGE, amazonOrderId: "  " }], "S", "MISSING_FIELD", "packages[0].amazonOrderId"],
    ["no tracking number", [{ ...PACKAGE, trackingNumber: undefined }], "S", "MISSING_FIELD", "packages[0].trackingNumber"],
    ["no carrier", [{ ...PACKAGE, carrierCode: undefined }], "S", "CARRIER_REQUIRED", "packages[0].carrierCode"],
    ["code and name", [{ ...PACKAGE, carrierName: "DHL Paket" }], "S", "CARRIER_AMBIGUOUS", "packages[0].carrierName"],
    ["blank carrier name", [{ ...PACKAGE, carrierCode: undefined, carrierName: "" }], "S", "MISSING_FIELD", "packages[0].carrierName"],
    ["date without a zone", [{ ...PACKAGE, fulfillmentDate: "2026-03-02T10:15:00" }], "S", "INVALID_DATE", "packages[0].fulfillmentDate"],
    ["invalid Date", [{ ...PACKAGE, fulfillmentDate: new Date("nope") }], "S", "INVALID_DATE", "packages[0].fulfillmentDate"],
    ["text package reference", [{ ...PACKAGE, packageReference: "ful_01J" }], "S", "INVALID_PACKAGE_REFERENCE", "packages[0].packageReference"],
    ["leading-zero package reference", [{ ...PACKAGE, packageReference: "0042" }], "S", "INVALID_PACKAGE_REFERENCE", "packages[0].packageReference"],
    ["21-digit package reference", [{ ...PACKAGE, packageReference: "1".repeat(21) }], "S", "INVALID_PACKAGE_REFERENCE", "packages[0].packageReference"],
    ["empty items", [{ ...PACKAGE, items: [] }], "S", "EMPTY_ITEMS", "packages[0].items"],
    ["zero quantity", [{ ...PACKAGE, items: [{ amazonOrderItemCode: "1", quantity: 0 }] }], "S", "INVALID_QUANTITY", "packages[0].items[0].quantity"],
    ["fractional quantity", [{ ...PACKAGE, items: [{ amazonOrderItemCode: "1", quantity: 1.5 }] }], "S", "INVALID_QUANTITY", "packages[0].items[0].quantity"],
    ["string quantity", [{ ...PACKAGE, items: [{ amazonOrderItemCode: "1", quantity: "2" }] }], "S", "INVALID_QUANTITY", "packages[0].items[0].quantity"],
    ["blank item code", [{ ...PACKAGE, items: [{ amazonOrderItemCode: "", quantity: 1 }] }], "S", "MISSING_FIELD", "packages[0].items[0].amazonOrderItemCode"],
    [
      "an item twice",
      [{ ...PACKAGE, items: [{ amazonOrderItemCode: "7", quantity: 1 }, { amazonOrderItemCode: "7", quantity: 1 }] }],
      "S",
      "DUPLICATE_ITEM",
      "packages[0].items[1].amazonOrderItemCode",
    ],
    ["a package reference twice", [PACKAGE, { ...PACKAGE, amazonOrderId: "302-0000000-0000001" }], "S", "DUPLICATE_PACKAGE_REFERENCE", "packages[1].packageReference"],
    ["a control character", [{ ...PACKAGE, shippingMethod: "Paket\u0001" }], "S", "INVALID_CHARACTER", "packages[0].shippingMethod"],
    ["an unpaired surrogate", [{ ...PACKAGE, trackingNumber: "AB\uD800" }], "S", "INVALID_CHARACTER", "packages[0].trackingNumber"],
    ["a control character in the seller id", [PACKAGE], "S\u0000", "INVALID_CHARACTER", "sellerId"],
  ])("refuses %s", (_label, packages, sellerId, code, field) => {
    expect(buildError(() => fulfillment(packages, sellerId))).toEqual({ code, field })
  })

  it("accepts a 20-digit package reference and characters beyond the BMP", () => {
    const built = fulfillment([{ ...PACKAGE, packageReference: "9".repeat(20), shippingMethod: "𝔓aket" }])
    expect(built.messages[0].packageReference).toBe("9".repeat(20))
    expect(built.xml).toContain("<ShippingMethod>𝔓aket</ShippingMethod>")
  })
})

describe("buildOrderAcknowledgementFeed", () => {
  it("builds Failure (cancelling items or the whole order) and Success messages", () => {
    const built = acknowledgement([
      {
        amazonOrderId: "302-1111111-1111111",
        merchantOrderId: "order_01J&Co",
        statusCode: "Failure",
        items: [
          { amazonOrderItemCode: "40000000000007", merchantOrderItemId: "ordli_1", cancelReason: "NoInventory" },
          { amazonOrderItemCode: "40000000000014", cancelReason: "BuyerCanceled" },
        ],
      },
      { amazonOrderId: "302-2222222-2222222", statusCode: "Failure" },
      { amazonOrderId: "302-3333333-3333333", statusCode: "Success", items: [{ amazonOrderItemCode: "40000000000021" }] },
    ])
    expect(read(built.xml).AmazonEnvelope).toEqual({
      ...ENVELOPE_ATTRIBUTES,
      Header: { DocumentVersion: "1.01", MerchantIdentifier: "A2EXAMPLESELLER" },
      MessageType: "OrderAcknowledgement",
      Message: [
        {
          MessageID: "1",
          OrderAcknowledgement: {
            AmazonOrderID: "302-1111111-1111111",
            MerchantOrderID: "order_01J&Co",
            StatusCode: "Failure",
            Item: [
              { AmazonOrderItemCode: "40000000000007", MerchantOrderItemID: "ordli_1", CancelReason: "NoInventory" },
              { AmazonOrderItemCode: "40000000000014", CancelReason: "BuyerCanceled" },
            ],
          },
        },
        { MessageID: "2", OrderAcknowledgement: { AmazonOrderID: "302-2222222-2222222", StatusCode: "Failure" } },
        {
          MessageID: "3",
          OrderAcknowledgement: { AmazonOrderID: "302-3333333-3333333", StatusCode: "Success", Item: [{ AmazonOrderItemCode: "40000000000021" }] },
        },
      ],
    })
    expect(built.xml).toContain("<MerchantOrderID>order_01J&amp;Co</MerchantOrderID>")
    expect(built.messages).toEqual([
      { messageId: 1, amazonOrderId: "302-1111111-1111111", statusCode: "Failure" },
      { messageId: 2, amazonOrderId: "302-2222222-2222222", statusCode: "Failure" },
      { messageId: 3, amazonOrderId: "302-3333333-3333333", statusCode: "Success" },
    ])
  })

  it("knows Amazon's ten cancel reasons", () => {
    expect(CANCEL_REASONS).toHaveLength(10)
    const built = acknowledgement([
      { amazonOrderId: "1", statusCode: "Failure", items: CANCEL_REASONS.map((cancelReason, i) => ({ amazonOrderItemCode: String(i), cancelReason })) },
    ])
    expect(built.messages).toHaveLength(1)
  })

  it.each<[string, unknown[], OrderFeedBuildErrorCode, string]>([
    ["no acknowledgements", [], "EMPTY_FEED", "acknowledgements"],
    ["a blank order id", [{ amazonOrderId: "", statusCode: "Failure" }], "MISSING_FIELD", "acknowledgements[0].amazonOrderId"],
    ["an unknown status code", [{ amazonOrderId: "1", statusCode: "Cancelled" }], "INVALID_STATUS_CODE", "acknowledgements[0].statusCode"],
    [
      "a reason outside Amazon's list",
      [{ amazonOrderId: "1", statusCode: "Failure", items: [{ amazonOrderItemCode: "7", cancelReason: "OutOfStock" }] }],
      "INVALID_CANCEL_REASON",
      "acknowledgements[0].items[0].cancelReason",
    ],
    [
      "a cancelled item without a reason",
      [{ amazonOrderId: "1", statusCode: "Failure", items: [{ amazonOrderItemCode: "7" }] }],
      "INVALID_CANCEL_REASON",
      "acknowledgements[0].items[0].cancelReason",
    ],
    [
      "a reason on Success",
      [{ amazonOrderId: "1", statusCode: "Success", items: [{ amazonOrderItemCode: "7", cancelReason: "NoInventory" }] }],
      "CANCEL_REASON_NOT_ALLOWED",
      "acknowledgements[0].items[0].cancelReason",
    ],
    ["empty items", [{ amazonOrderId: "1", statusCode: "Failure", items: [] }], "EMPTY_ITEMS", "acknowledgements[0].items"],
    [
      "the same order twice",
      [{ amazonOrderId: "1", statusCode: "Success" }, { amazonOrderId: "1", statusCode: "Failure" }],
      "DUPLICATE_ORDER",
      "acknowledgements[1].amazonOrderId",
    ],
    ["a blank merchant order id", [{ amazonOrderId: "1", merchantOrderId: " ", statusCode: "Success" }], "MISSING_FIELD", "acknowledgements[0].merchantOrderId"],
  ])("refuses %s", (_label, acknowledgements, code, field) => {
    expect(buildError(() => acknowledgement(acknowledgements))).toEqual({ code, field })
  })
})

describe("parseXmlProcessingReport", () => {
  const sent = [
    { messageId: 1, amazonOrderId: "302-1111111-1111111", packageReference: "1001" },
    { messageId: 2, amazonOrderId: "302-1234567-7654321", packageReference: "1002" },
    { messageId: 3, amazonOrderId: "302-7654321-1234567", packageReference: "1003" },
  ]

  it("reads Amazon's report shape and maps each MessageID back to what was sent", () => {
    const report = parseXmlProcessingReport(fixture("order-fulfillment-processing-report.mixed.xml"), { messages: sent })
    expect(report.merchantIdentifier).toBe("A2EXAMPLESELLER")
    expect(report.documentTransactionId).toBe("50012018944")
    expect(report.statusCode).toBe("Complete")
    expect(report.summary).toEqual({ messagesProcessed: 3, messagesSuccessful: 2, messagesWithError: 1, messagesWithWarning: 1 })
    expect(report.documentResults).toEqual([])
    expect(report.outcomes.map((o) => [o.messageId, o.message.packageReference, o.status])).toEqual([
      [1, "1001", "accepted"],
      [2, "1002", "error"],
      [3, "1003", "warning"],
    ])
    expect(report.outcomes[1].errors).toEqual([
      {
        messageId: 2,
        resultCode: "Error",
        resultMessageCode: "18028",
        resultDescription:
          "The data you submitted with this item is incomplete or invalid. Please resubmit the item with all required fields completed with valid data.",
        amazonOrderId: "302-1234567-7654321",
        amazonOrderItemCode: "40000000000014",
      },
    ])
    // Predefined entities and a numeric character reference decoded; UTF-8 text kept.
    expect(report.outcomes[2].warnings[0].resultDescription).toBe(
      'Carrier "DHL & Partner" <Express> is unknown for Straße/Köln; shipping confirmed anyway.'
    )
  })

  it("reads a single Result (not a list) tied to no message, and leaves every message unconfirmed", () => {
    const bytes = Buffer.from(fixture("order-feed-processing-report.ill-formed.xml"), "utf8")
    const report = parseXmlProcessingReport(bytes, { messages: sent })
    expect(report.results).toHaveLength(1)
    expect(report.documentResults).toEqual([
      {
        messageId: null,
        resultCode: "Error",
        resultMessageCode: "50001",
        resultDescription: "The XML you submitted is ill-formed at the Amazon Envelope XML level at (or near) line 2, column 185.",
      },
    ])
    expect(report.outcomes.map((o) => o.status)).toEqual(["unconfirmed", "unconfirmed", "unconfirmed"])
  })

  it("does not confirm messages when the counts disagree with the results", () => {
    const text = fixture("order-fulfillment-processing-report.mixed.xml").replace(
      "<MessagesProcessed>3</MessagesProcessed>",
      "<MessagesProcessed>2</MessagesProcessed>"
    )
    const report = parseXmlProcessingReport(text, { messages: sent })
    expect(report.outcomes.map((o) => o.status)).toEqual(["unconfirmed", "error", "unconfirmed"])
  })

  it("returns raw results without outcomes when no messages are given, and accepts a BOM", () => {
    const report = parseXmlProcessingReport("\uFEFF" + fixture("order-fulfillment-processing-report.mixed.xml"))
    expect(report.results.map((r) => r.messageId)).toEqual([2, 3])
    expect(report.outcomes).toEqual([])
  })

  it("keeps CDATA text as written (no entity decoding inside it)", () => {
    const text = fixture("order-feed-processing-report.ill-formed.xml")
      .replace(/<ResultDescription>[^<]*<\/ResultDescription>/, "<ResultDescription><![CDATA[a &amp; <b>]]></ResultDescription>")
    expect(parseXmlProcessingReport(text).results[0].resultDescription).toBe("a &amp; <b>")
  })

  const mixed = () => fixture("order-fulfillment-processing-report.mixed.xml")

  it.each<[string, () => string | Uint8Array, XmlReportParseErrorCode, string]>([
    ["malformed XML", () => mixed().replace("</ProcessingSummary>", ""), "MALFORMED_XML", ""],
    ["an empty document", () => "", "NOT_XML", ""],
    ["the flat-file report of a non-XML upload", () => "Feed Processing Summary:\n\tNumber of records processed\t\t0\n", "NOT_XML", ""],
    ["gzip bytes", () => gzipSync(Buffer.from(mixed())), "GZIPPED", ""],
    ["bytes that are not UTF-8", () => Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]), "INVALID_ENCODING", ""],
    [
      "a DOCTYPE with entities (billion laughs)",
      () => '<?xml version="1.0"?><!DOCTYPE AmazonEnvelope [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><AmazonEnvelope>&b;</AmazonEnvelope>',
      "DOCTYPE_NOT_ALLOWED",
      "",
    ],
    [
      "an undeclared entity",
      () => mixed().replace("Köln", "K&ouml;ln"),
      "MALFORMED_XML",
      "AmazonEnvelope.Message.ProcessingReport.Result[1].ResultDescription",
    ],
    ["a character reference to U+0000", () => mixed().replace("&#223;", "&#0;"), "MALFORMED_XML", "AmazonEnvelope.Message.ProcessingReport.Result[1].ResultDescription"],
    ["another document (our own feed)", () => fulfillment([PACKAGE]).xml, "NOT_A_PROCESSING_REPORT", "AmazonEnvelope.MessageType"],
    ["another root element", () => "<Error><Code>AccessDenied</Code></Error>", "NOT_A_PROCESSING_REPORT", "AmazonEnvelope"],
    [
      "a missing ProcessingSummary",
      () => mixed().replace(/<ProcessingSummary>[\s\S]*<\/ProcessingSummary>/, ""),
      "MISSING_FIELD",
      "AmazonEnvelope.Message.ProcessingReport.ProcessingSummary",
    ],
    [
      "a negative count",
      () => mixed().replace("<MessagesWithError>1<", "<MessagesWithError>-1<"),
      "INVALID_VALUE",
      "AmazonEnvelope.Message.ProcessingReport.ProcessingSummary.MessagesWithError",
    ],
    [
      "an unknown ResultCode",
      () => mixed().replace("<ResultCode>Warning</ResultCode>", "<ResultCode>Info</ResultCode>"),
      "INVALID_VALUE",
      "AmazonEnvelope.Message.ProcessingReport.Result[1].ResultCode",
    ],
    [
      "a Result without MessageID",
      () => mixed().replace("<MessageID>3</MessageID>", ""),
      "MISSING_FIELD",
      "AmazonEnvelope.Message.ProcessingReport.Result[1].MessageID",
    ],
    [
      "a repeated StatusCode",
      () => mixed().replace("<StatusCode>Complete</StatusCode>", "<StatusCode>Complete</StatusCode><StatusCode>Complete</StatusCode>"),
      "INVALID_VALUE",
      "AmazonEnvelope.Message.ProcessingReport.StatusCode",
    ],
  ])("refuses %s", (_label, input, code, path) => {
    expect(parseError(() => parseXmlProcessingReport(input(), { messages: sent }))).toEqual({ code, path })
  })

  it("refuses a report larger than the cap before parsing it", () => {
    const text = mixed()
    expect(parseError(() => parseXmlProcessingReport(text, { maxBytes: text.length - 1 })).code).toBe("TOO_LARGE")
    expect(parseError(() => parseXmlProcessingReport(Buffer.from(text), { maxBytes: 100 })).code).toBe("TOO_LARGE")
    expect(parseXmlProcessingReport(text, { maxBytes: Buffer.byteLength(text) }).results).toHaveLength(2)
  })

  it("refuses a result for a MessageID that was not sent, and a broken message map", () => {
    expect(parseError(() => parseXmlProcessingReport(mixed(), { messages: sent.slice(0, 2) }))).toEqual({
      code: "MESSAGE_MAP_MISMATCH",
      path: "AmazonEnvelope.Message.ProcessingReport.Result[1].MessageID",
    })
    expect(parseError(() => parseXmlProcessingReport(mixed(), { messages: [sent[0], sent[0]] }))).toEqual({
      code: "INVALID_MESSAGE_MAP",
      path: "messages[1].messageId",
    })
    expect(parseError(() => parseXmlProcessingReport(mixed(), { messages: [{ messageId: 0 }] })).code).toBe("INVALID_MESSAGE_MAP")
  })
})
