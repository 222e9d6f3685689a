import { readFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { buildListingsFeed } from "../feeds/build-listings-feed"
import type { ListingsFeedProcessingReport } from "../feeds/listings-feed-types"
import {
  decodeReportDocument,
  isRetryableIssueCode,
  parseFeedProcessingReport,
  parseFeedProcessingReportJson,
} from "../parsers/parse-feed-processing-report"
import type { ParsedProcessingReport } from "../parsers/parse-feed-processing-report"
import { ReportParseError } from "../parsers/payload-reader"
import type { ReportParseErrorCode } from "../parsers/payload-reader"

const FIXTURES = join(__dirname, "fixtures")
const text = (name: string): string => readFileSync(join(FIXTURES, name), "utf8")
const report = (name: string): ListingsFeedProcessingReport => JSON.parse(text(name)) as ListingsFeedProcessingReport

// The feed the "mixed" fixture reports on, built by our own builder so the map is the real one.
const MIXED_FEED = buildListingsFeed({
  sellerId: "A2EXAMPLESELLER",
  items: [
    { sku: "SKU-A", productType: "LUGGAGE", quantity: 7 },
    { sku: "SKU-B", productType: "LUGGAGE", quantity: 3 },
    { sku: 'Säge "XL" 🪚', productType: "SAW", quantity: 0 },
    { sku: "SKU-D", productType: "LUGGAGE", quantity: 1 },
  ],
})

function errorOf(fn: () => unknown): { code: ReportParseErrorCode; path: string } {
  try {
    fn()
  } catch (e) {
    if (e instanceof ReportParseError) {
      return { code: e.code, path: e.path }
    }
    throw e
  }
  throw new Error("expected a ReportParseError")
}

function statuses(parsed: ParsedProcessingReport): [number, string, string, boolean][] {
  return parsed.results.map((r) => [r.messageId, r.sku, r.status, r.retryable])
}

describe("parseFeedProcessingReport: per-message outcomes", () => {
  const mixedText = text("listings-feed-processing-report.mixed.json")

  it("joins issues to the message map and reads the stored quantity back", () => {
    const parsed = parseFeedProcessingReport(mixedText, { messages: MIXED_FEED.messages, feedId: "50001020001" })
    expect(parsed.feedId).toBe("50001020001")
    expect(parsed.sellerId).toBe("A2EXAMPLESELLER")
    expect(parsed.countsConsistent).toBe(true)
    expect(parsed.fatal).toEqual([])
    expect(parsed.feedWarnings).toEqual([])
    expect(parsed.summary).toEqual({
      errors: 3,
      warnings: 1,
      messagesProcessed: 4,
      messagesAccepted: 2,
      messagesInvalid: 2,
      itemSummary: { items: 2, errors: 0, warnings: 1 },
    })
    expect(statuses(parsed)).toEqual([
      [1, "SKU-A", "accepted", false],
      // only an internal error: resending the same message can succeed
      [2, "SKU-B", "error", true],
      [3, 'Säge "XL" 🪚', "warning", false],
      // a validation error next to an internal one: resending cannot fix the validation error
      [4, "SKU-D", "error", false],
    ])
    expect(parsed.results[0].listing).toEqual({ quantity: 7, issues: [] })
    expect(parsed.results[1].listing).toBeUndefined()
    expect(parsed.results[1].issues).toEqual([
      {
        code: "4000000",
        severity: "ERROR",
        message: "An internal error has occurred. Please try again.",
        retryable: true,
      },
    ])
    expect(parsed.results[2]).toEqual({
      messageId: 3,
      sku: 'Säge "XL" 🪚',
      status: "warning",
      retryable: false,
      issues: [
        {
          code: "18448",
          severity: "WARNING",
          message: "Attributes tagged as relevant_attributes are incomplete.",
          attributeName: "item_weight",
          retryable: false,
        },
      ],
      // AMAZON_EU has no quantity; the DEFAULT entry is the one we set
      listing: {
        quantity: 0,
        issues: [
          {
            code: "18448",
            message: "Attributes tagged as relevant_attributes are incomplete.",
            severity: "WARNING",
            attributeNames: ["item_weight"],
          },
        ],
      },
    })
    expect(parsed.results[3].issues.map((i) => [i.code, i.attributeName, i.retryable])).toEqual([
      ["90220", "fulfillment_availability", false],
      ["4000000", undefined, true],
    ])
  })

  it.each<[string, string | Uint8Array]>([
    ["a string", mixedText],
    ["a string with a BOM", "\uFEFF" + mixedText],
    ["UTF-8 bytes", Buffer.from(mixedText, "utf8")],
    ["UTF-8 bytes with a BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(mixedText)])],
    ["gzip bytes", gzipSync(Buffer.from(mixedText, "utf8"))],
    ["gzip bytes as a plain Uint8Array", new Uint8Array(gzipSync(mixedText))],
  ])("gives the same result for %s", (_label, raw) => {
    const expected = parseFeedProcessingReportJson(JSON.parse(mixedText), { messages: MIXED_FEED.messages })
    expect(parseFeedProcessingReport(raw, { messages: MIXED_FEED.messages })).toEqual(expected)
  })

  it("marks clean messages unconfirmed when Amazon's counts disagree with the issues", () => {
    const r = report("listings-feed-processing-report.mixed.json")
    // one message neither accepted nor listed with an error: we cannot tell which one
    r.summary = { ...r.summary, messagesProcessed: 3, messagesAccepted: 1 }
    const parsed = parseFeedProcessingReportJson(r, { messages: MIXED_FEED.messages })
    expect(parsed.countsConsistent).toBe(false)
    expect(statuses(parsed)).toEqual([
      [1, "SKU-A", "unconfirmed", true],
      [2, "SKU-B", "error", true],
      [3, 'Säge "XL" 🪚', "unconfirmed", true],
      [4, "SKU-D", "error", false],
    ])
  })

  it("pairs Amazon's published example with a matching map; its counts leave 3 messages unconfirmed", () => {
    // The example report has errors for messages 4 and 5 but only processed 4 of the 5 messages.
    const messages = [
      { messageId: 1, sku: "My-SKU-A" },
      { messageId: 2, sku: "My-SKU-X" },
      { messageId: 3, sku: "My-SKU-Y" },
      { messageId: 4, sku: "My-SKU-B" },
      { messageId: 5, sku: "My-SKU-C" },
    ]
    const parsed = parseFeedProcessingReport(text("listings-feed-processing-report.amazon-example.json"), {
      messages,
      feedId: "1234567890",
    })
    expect(parsed.countsConsistent).toBe(false)
    expect(statuses(parsed)).toEqual([
      [1, "My-SKU-A", "unconfirmed", true],
      [2, "My-SKU-X", "unconfirmed", true],
      [3, "My-SKU-Y", "unconfirmed", true],
      [4, "My-SKU-B", "error", false],
      [5, "My-SKU-C", "error", false],
    ])
    expect(parsed.results[3].issues).toHaveLength(2)
    expect(parsed.results[3].listing?.quantity).toBe(10)
    // My-SKU-C lists only AMAZON_NA without a quantity: fulfillment availability present, DEFAULT absent
    expect(parsed.results[4].listing?.quantity).toBeNull()
    expect(parsed.results[4].listing?.issues).toEqual([])
  })

  it("accepts the clean messages of Amazon's example when the map has exactly the 4 processed messages", () => {
    const messages = [
      { messageId: 1, sku: "My-SKU-A" },
      { messageId: 2, sku: "My-SKU-E" },
      { messageId: 4, sku: "My-SKU-B" },
      { messageId: 5, sku: "My-SKU-C" },
    ]
    const parsed = parseFeedProcessingReport(text("listings-feed-processing-report.amazon-example.json"), { messages })
    expect(parsed.countsConsistent).toBe(true)
    expect(parsed.results.map((r) => r.status)).toEqual(["accepted", "accepted", "error", "error"])
  })

  it("leaves `listing.quantity` undefined when the report was not asked for fulfillmentAvailability", () => {
    const r = report("listings-feed-processing-report.mixed.json")
    r.items = [{ sku: "SKU-A", issues: [] }]
    const parsed = parseFeedProcessingReportJson(r, { messages: MIXED_FEED.messages })
    expect(parsed.results[0].listing).toEqual({ issues: [] })
  })
})

describe("parseFeedProcessingReport: whole-feed errors", () => {
  const messages = [
    { messageId: 1, sku: "ABCTEST" },
    { messageId: 2, sku: "ABCTEST-2" },
  ]

  it("puts issues without messageId in `fatal` and leaves every message unconfirmed, not retryable", () => {
    const parsed = parseFeedProcessingReport(text("listings-feed-processing-report.fatal.json"), { messages })
    expect(parsed.fatal).toEqual([
      {
        code: "4002006",
        severity: "ERROR",
        message: "The 'version' attribute does not match the required value.",
        retryable: false,
      },
    ])
    expect(parsed.countsConsistent).toBe(false)
    expect(statuses(parsed)).toEqual([
      [1, "ABCTEST", "unconfirmed", false],
      [2, "ABCTEST-2", "unconfirmed", false],
    ])
  })

  it("makes the unconfirmed messages retryable when the feed-level error is an internal one", () => {
    const r = report("listings-feed-processing-report.fatal.json")
    r.issues = [{ code: "4000000", severity: "ERROR", message: "An internal error has occurred. Please try again." }]
    const parsed = parseFeedProcessingReportJson(r, { messages })
    expect(parsed.results.map((x) => [x.status, x.retryable])).toEqual([
      ["unconfirmed", true],
      ["unconfirmed", true],
    ])
  })

  it("keeps feed-level warnings apart from fatal errors", () => {
    const r = report("listings-feed-processing-report.fatal.json")
    r.issues = [{ severity: "WARNING", message: "Feed-level notice." }]
    r.summary = { errors: 0, warnings: 1, messagesProcessed: 2, messagesAccepted: 2, messagesInvalid: 0 }
    const parsed = parseFeedProcessingReportJson(r, { messages })
    expect(parsed.fatal).toEqual([])
    expect(parsed.feedWarnings).toEqual([{ severity: "WARNING", message: "Feed-level notice.", retryable: false }])
    expect(parsed.results.map((x) => x.status)).toEqual(["accepted", "accepted"])
  })
})

describe("parseFeedProcessingReport: refusals", () => {
  const messages = MIXED_FEED.messages
  const mixed = (): ListingsFeedProcessingReport => report("listings-feed-processing-report.mixed.json")
  const asJson = (r: unknown): string => JSON.stringify(r)

  it.each<[string, () => string | Uint8Array, ReportParseErrorCode, string]>([
    ["empty text", () => "", "MALFORMED_JSON", ""],
    ["truncated JSON", () => text("listings-feed-processing-report.mixed.json").slice(0, 100), "MALFORMED_JSON", ""],
    ["a JSON array", () => "[]", "SCHEMA_MISMATCH", ""],
    ["JSON null", () => "null", "SCHEMA_MISMATCH", ""],
    ["no summary", () => asJson({ ...mixed(), summary: undefined }), "SCHEMA_MISMATCH", ""],
    ["no issues array", () => asJson({ ...mixed(), issues: undefined }), "SCHEMA_MISMATCH", ""],
    ["header version 1.0", () => asJson({ ...mixed(), header: { ...mixed().header, version: "1.0" } }), "SCHEMA_MISMATCH", ""],
    ["header without feedId", () => asJson({ ...mixed(), header: { sellerId: "A", version: "2.0" } }), "SCHEMA_MISMATCH", ""],
    [
      "unknown severity",
      () => asJson({ ...mixed(), issues: [{ messageId: 1, severity: "FATAL", message: "x" }] }),
      "SCHEMA_MISMATCH",
      "",
    ],
    [
      "messageId 0",
      () => asJson({ ...mixed(), issues: [{ messageId: 0, severity: "ERROR", message: "x" }] }),
      "SCHEMA_MISMATCH",
      "",
    ],
    [
      "negative count",
      () => asJson({ ...mixed(), summary: { ...mixed().summary, messagesAccepted: -1 } }),
      "SCHEMA_MISMATCH",
      "",
    ],
    ["corrupt gzip", () => Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]), "GZIP_INVALID", ""],
    ["bytes that are not UTF-8", () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), "INVALID_ENCODING", ""],
    [
      "an issue for a message not in the map",
      () => asJson({ ...mixed(), issues: [{ messageId: 9, severity: "ERROR", message: "x" }] }),
      "MESSAGE_MAP_MISMATCH",
      "issues[0].messageId",
    ],
    [
      "an issue whose sku disagrees with the map",
      () => asJson({ ...mixed(), issues: [{ messageId: 1, sku: "SKU-B", severity: "ERROR", message: "x" }] }),
      "MESSAGE_MAP_MISMATCH",
      "issues[0].sku",
    ],
    [
      "more messages processed than sent",
      () => asJson({ ...mixed(), summary: { ...mixed().summary, messagesProcessed: 5 } }),
      "MESSAGE_MAP_MISMATCH",
      "summary.messagesProcessed",
    ],
    [
      "an item for a sku not in the map",
      () => asJson({ ...mixed(), items: [{ sku: "OTHER", issues: [] }] }),
      "MESSAGE_MAP_MISMATCH",
      "items",
    ],
    [
      "an item without sku",
      () => asJson({ ...mixed(), items: [{ fulfillmentAvailability: [] }] }),
      "MISSING_FIELD",
      "items[0].sku",
    ],
    [
      "fulfillmentAvailability that is not an array",
      () => asJson({ ...mixed(), items: [{ sku: "SKU-A", fulfillmentAvailability: { quantity: 1 } }] }),
      "INVALID_TYPE",
      "items[0].fulfillmentAvailability",
    ],
    [
      "a negative read-back quantity",
      () =>
        asJson({
          ...mixed(),
          items: [{ sku: "SKU-A", fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: -2 }] }],
        }),
      "INVALID_VALUE",
      "items[0].fulfillmentAvailability[0].quantity",
    ],
    [
      "a listing issue with an unknown severity",
      () => asJson({ ...mixed(), items: [{ sku: "SKU-A", issues: [{ code: "1", message: "m", severity: "BAD" }] }] }),
      "INVALID_VALUE",
      "items[0].issues[0].severity",
    ],
    [
      "the same sku twice in items",
      () => asJson({ ...mixed(), items: [{ sku: "SKU-A" }, { sku: "SKU-A" }] }),
      "INVALID_VALUE",
      "items[1].sku",
    ],
  ])("refuses %s", (_label, raw, code, path) => {
    expect(errorOf(() => parseFeedProcessingReport(raw(), { messages }))).toEqual({ code, path })
  })

  it("refuses a report for another feed", () => {
    expect(
      errorOf(() => parseFeedProcessingReport(text("listings-feed-processing-report.mixed.json"), { messages, feedId: "1" }))
    ).toEqual({ code: "FEED_ID_MISMATCH", path: "header.feedId" })
  })

  it("refuses Amazon's example report against Amazon's example feed: they are not the same feed", () => {
    // In the example feed message 4 is My-SKU-D; the example report says message 4 is My-SKU-B.
    const exampleFeed = JSON.parse(
      readFileSync(join(__dirname, "../../../../vendor/amazon/schemas/feeds/listings-feed-schema-v2.example.json"), "utf8")
    ) as { messages: { messageId: number; sku: string }[] }
    expect(
      errorOf(() =>
        parseFeedProcessingReport(text("listings-feed-processing-report.amazon-example.json"), {
          messages: exampleFeed.messages,
        })
      )
    ).toEqual({ code: "MESSAGE_MAP_MISMATCH", path: "issues[0].sku" })
  })

  it.each<[string, { messageId: number; sku: string }[]]>([
    ["a duplicate messageId", [{ messageId: 1, sku: "A" }, { messageId: 1, sku: "B" }]],
    ["messageId 0", [{ messageId: 0, sku: "A" }]],
    ["an empty sku", [{ messageId: 1, sku: "" }]],
  ])("refuses a message map with %s", (_label, map) => {
    expect(errorOf(() => parseFeedProcessingReport(text("listings-feed-processing-report.fatal.json"), { messages: map })).code).toBe(
      "INVALID_MESSAGE_MAP"
    )
  })

  it("refuses a gzip document that inflates beyond the size limit", () => {
    const big = gzipSync(Buffer.alloc(1024 * 1024, 0x20))
    expect(errorOf(() => decodeReportDocument(big, { maxDecompressedBytes: 64 * 1024 })).code).toBe("GZIP_INVALID")
    expect(decodeReportDocument(big)).toHaveLength(1024 * 1024)
  })
})

describe("isRetryableIssueCode", () => {
  it.each<[string | undefined, boolean]>([
    ["4000000", true],
    ["5002", true],
    ["QuotaExceeded", true],
    ["InternalFailure", true],
    ["90220", false],
    ["99022", false],
    ["4002006", false],
    ["4002008", false],
    ["BAD_REQUEST", false],
    ["never-seen-code", false],
    [undefined, false],
    // keys of Object.prototype must not read as table entries
    ["toString", false],
    ["__proto__", false],
  ])("%p → %p", (code, retryable) => {
    expect(isRetryableIssueCode(code)).toBe(retryable)
  })
})
