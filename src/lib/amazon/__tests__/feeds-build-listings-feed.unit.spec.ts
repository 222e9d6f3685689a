import { readFileSync } from "node:fs"
import { join } from "node:path"
import Ajv from "ajv"
import addFormats from "ajv-formats"
import {
  buildListingsFeed,
  buildListingsFeeds,
  buildListingsPatchBody,
  FeedBuildError,
  MAX_LISTINGS_FEED_MESSAGES,
  splitIntoFeeds,
} from "../feeds/build-listings-feed"
import type { FeedBuildErrorCode, QuantityUpdateItem } from "../feeds/build-listings-feed"
import type { ListingsFeedDocument } from "../feeds/listings-feed-types"
import feedSchema from "../feeds/schemas/listings-feed-schema-v2.json"
import messageSchema from "../feeds/schemas/listings-feed-message-schema-v2.json"

const VENDOR_DIR = join(__dirname, "../../../../vendor/amazon/schemas/feeds")
const SCHEMA_DIR = join(__dirname, "../feeds/schemas")

// listings-feed-schema-v2.json does not $ref the message schema: it inlines the same message definition
// (plus a messageId maximum). Neither file has an $id, so the message schema is registered under its file
// name and each message is checked against it too, as a second, independent check.
const MESSAGE_SCHEMA_ID = "listings-feed-message-schema-v2.json"
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats(ajv)
ajv.addSchema(messageSchema, MESSAGE_SCHEMA_ID)
const validateFeed = ajv.compile(feedSchema)
const validateMessage = ajv.getSchema(MESSAGE_SCHEMA_ID)!

function schemaErrors(document: string): string[] {
  const parsed: unknown = JSON.parse(document)
  const errors: string[] = []
  if (!validateFeed(parsed)) {
    errors.push(...(validateFeed.errors ?? []).map((e) => `feed ${e.instancePath} ${e.message}`))
  }
  for (const message of (parsed as ListingsFeedDocument).messages ?? []) {
    if (!validateMessage(message)) {
      errors.push(...(validateMessage.errors ?? []).map((e) => `message ${e.instancePath} ${e.message}`))
    }
  }
  return errors
}

function items(n: number, offset = 0): QuantityUpdateItem[] {
  return Array.from({ length: n }, (_, i) => ({
    sku: `SKU-${offset + i}`,
    productType: "LUGGAGE",
    quantity: (offset + i) % 50,
  }))
}

function codeOf(fn: () => unknown): { code: FeedBuildErrorCode; sku?: string; index?: number } {
  try {
    fn()
  } catch (e) {
    if (e instanceof FeedBuildError) {
      return { code: e.code, sku: e.sku, index: e.index }
    }
    throw e
  }
  throw new Error("expected a FeedBuildError")
}

describe("schema copies", () => {
  it.each([
    "listings-feed-schema-v2.json",
    "listings-feed-message-schema-v2.json",
    "listings-feed-processing-report-schema-v2.json",
  ])("src copy of %s is byte-identical to vendor/", (file) => {
    expect(readFileSync(join(SCHEMA_DIR, file), "latin1")).toBe(readFileSync(join(VENDOR_DIR, file), "latin1"))
  })

  it("the validator accepts Amazon's own example and refuses a PATCH without patches", () => {
    const example = readFileSync(join(VENDOR_DIR, "listings-feed-schema-v2.example.json"), "utf8")
    expect(schemaErrors(example)).toEqual([])
    const broken = JSON.stringify({
      header: { sellerId: "A1", version: "2.0" },
      messages: [{ messageId: 1, sku: "X", operationType: "PATCH", productType: "LUGGAGE" }],
    })
    expect(schemaErrors(broken).length).toBeGreaterThan(0)
  })
})

describe("buildListingsFeed", () => {
  it("builds the exact PATCH document with merge and the report header by default", () => {
    const feed = buildListingsFeed({
      sellerId: "A2EXAMPLESELLER",
      issueLocale: "en_US",
      items: [
        { sku: "SKU-A", productType: "LUGGAGE", quantity: 7 },
        { sku: "SKU-B", productType: "SHOES", quantity: 0 },
      ],
    })
    expect(JSON.parse(feed.document)).toEqual({
      header: {
        sellerId: "A2EXAMPLESELLER",
        version: "2.0",
        issueLocale: "en_US",
        report: { includedData: ["issues", "fulfillmentAvailability"], apiVersion: "2021-08-01" },
      },
      messages: [
        {
          messageId: 1,
          sku: "SKU-A",
          operationType: "PATCH",
          productType: "LUGGAGE",
          patches: [
            {
              op: "merge",
              path: "/attributes/fulfillment_availability",
              value: [{ fulfillment_channel_code: "DEFAULT", quantity: 7 }],
            },
          ],
        },
        {
          messageId: 2,
          sku: "SKU-B",
          operationType: "PATCH",
          productType: "SHOES",
          patches: [
            {
              op: "merge",
              path: "/attributes/fulfillment_availability",
              value: [{ fulfillment_channel_code: "DEFAULT", quantity: 0 }],
            },
          ],
        },
      ],
    })
    expect(feed.messages).toEqual([
      { messageId: 1, sku: "SKU-A", quantity: 7 },
      { messageId: 2, sku: "SKU-B", quantity: 0 },
    ])
    expect(schemaErrors(feed.document)).toEqual([])
  })

  it("honours op replace and includeReport false, and omits issueLocale when not given", () => {
    const feed = buildListingsFeed({
      sellerId: "A1",
      includeReport: false,
      op: "replace",
      items: [{ sku: "S", productType: "PRODUCT", quantity: 3 }],
    })
    const doc = JSON.parse(feed.document) as ListingsFeedDocument
    expect(doc.header).toEqual({ sellerId: "A1", version: "2.0" })
    expect(doc.messages[0].patches?.[0].op).toBe("replace")
    expect(schemaErrors(feed.document)).toEqual([])
  })

  it("accepts any iterable, e.g. a generator", () => {
    function* gen(): Generator<QuantityUpdateItem> {
      yield { sku: "G-1", productType: "LUGGAGE", quantity: 1 }
      yield { sku: "G-2", productType: "LUGGAGE", quantity: 2 }
    }
    expect(buildListingsFeed({ sellerId: "A1", items: gen() }).messages.map((m) => m.sku)).toEqual(["G-1", "G-2"])
  })

  it.each([
    ["double quote", 'SKU "quoted"'],
    ["backslash", "C:\\dir\\sku"],
    ["tab and newline", "a\tb\nc\r"],
    ["control character", "x\u0001y\u001f"],
    ["umlauts", "Säge-Größe"],
    ["CJK", "エコー・ドット"],
    ["emoji (surrogate pair)", "🪚-SAW"],
    ["line/paragraph separators", "a\u2028b\u2029c"],
    ["html-ish", "</script><!--"],
    ["only spaces", "   "],
    ["DEL and printable punctuation", "~!#$%&'()*+,-./:;<=>?@[]^_`{|}\u007f"],
    ["JSON-looking", '{"messageId":99}'],
  ])("escapes a SKU with %s so it round-trips exactly", (_label, sku) => {
    const feed = buildListingsFeed({
      sellerId: 'A"1',
      items: [{ sku, productType: 'TYPE"X', quantity: 5 }],
    })
    const doc = JSON.parse(feed.document) as ListingsFeedDocument
    expect(doc.messages[0].sku).toBe(sku)
    expect(doc.header.sellerId).toBe('A"1')
    expect(doc.messages[0].productType).toBe('TYPE"X')
    expect(feed.messages[0].sku).toBe(sku)
    expect(schemaErrors(feed.document)).toEqual([])
  })

  it.each<[string, () => unknown, { code: FeedBuildErrorCode; sku?: string; index?: number }]>([
    [
      "negative quantity",
      () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "A", productType: "P", quantity: 1 }, { sku: "B", productType: "P", quantity: -1 }] }),
      { code: "INVALID_QUANTITY", sku: "B", index: 1 },
    ],
    ["fractional quantity", () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "A", productType: "P", quantity: 1.5 }] }), { code: "INVALID_QUANTITY", sku: "A", index: 0 }],
    ["NaN quantity", () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "A", productType: "P", quantity: NaN }] }), { code: "INVALID_QUANTITY", sku: "A", index: 0 }],
    ["infinite quantity", () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "A", productType: "P", quantity: Infinity }] }), { code: "INVALID_QUANTITY", sku: "A", index: 0 }],
    ["unsafe integer", () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "A", productType: "P", quantity: 2 ** 53 }] }), { code: "INVALID_QUANTITY", sku: "A", index: 0 }],
    [
      "string quantity",
      () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "A", productType: "P", quantity: "3" as unknown as number }] }),
      { code: "INVALID_QUANTITY", sku: "A", index: 0 },
    ],
    ["empty sku", () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "", productType: "P", quantity: 1 }] }), { code: "EMPTY_SKU", index: 0 }],
    [
      "missing sku",
      () => buildListingsFeed({ sellerId: "A1", items: [{ productType: "P", quantity: 1 } as unknown as QuantityUpdateItem] }),
      { code: "EMPTY_SKU", index: 0 },
    ],
    ["lone surrogate in sku", () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "A\uD800", productType: "P", quantity: 1 }] }), { code: "INVALID_SKU", sku: "A\uD800", index: 0 }],
    ["empty productType", () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "A", productType: "", quantity: 1 }] }), { code: "EMPTY_PRODUCT_TYPE", sku: "A", index: 0 }],
    [
      "duplicate sku",
      () => buildListingsFeed({ sellerId: "A1", items: [{ sku: "A", productType: "P", quantity: 1 }, { sku: "B", productType: "P", quantity: 1 }, { sku: "A", productType: "P", quantity: 2 }] }),
      { code: "DUPLICATE_SKU", sku: "A", index: 2 },
    ],
    ["empty sellerId", () => buildListingsFeed({ sellerId: "", items: items(1) }), { code: "EMPTY_SELLER_ID" }],
    ["empty issueLocale", () => buildListingsFeed({ sellerId: "A1", issueLocale: "", items: items(1) }), { code: "INVALID_ISSUE_LOCALE" }],
    ["unsupported op", () => buildListingsFeed({ sellerId: "A1", op: "add" as "merge", items: items(1) }), { code: "INVALID_OP" }],
    ["no items", () => buildListingsFeed({ sellerId: "A1", items: [] }), { code: "EMPTY_FEED" }],
    ["25,001 items", () => buildListingsFeed({ sellerId: "A1", items: items(MAX_LISTINGS_FEED_MESSAGES + 1) }), { code: "TOO_MANY_MESSAGES" }],
    [
      "an endless iterable",
      () =>
        buildListingsFeed({
          sellerId: "A1",
          items: (function* endless() {
            for (let i = 0; ; i++) yield { sku: `E-${i}`, productType: "P", quantity: 1 }
          })(),
        }),
      { code: "TOO_MANY_MESSAGES" },
    ],
  ])("refuses %s", (_label, build, expected) => {
    expect(codeOf(build)).toEqual({ sku: undefined, index: undefined, ...expected })
  })

  it("takes exactly 25,000 items in one feed, valid against the schema", () => {
    const feed = buildListingsFeed({ sellerId: "A1", items: items(MAX_LISTINGS_FEED_MESSAGES) })
    expect(feed.messages).toHaveLength(25_000)
    expect(feed.messages[24_999]).toEqual({ messageId: 25_000, sku: "SKU-24999", quantity: 24_999 % 50 })
    expect(schemaErrors(feed.document)).toEqual([])
  })
})

describe("splitIntoFeeds", () => {
  it.each([
    [0, undefined, []],
    [1, undefined, [1]],
    [25_000, undefined, [25_000]],
    [25_001, undefined, [25_000, 1]],
    [50_000, undefined, [25_000, 25_000]],
    [100_000, undefined, [25_000, 25_000, 25_000, 25_000]],
    [7, 3, [3, 3, 1]],
    [6, 3, [3, 3]],
  ])("%i items, maxPerFeed %p → chunk sizes %j", (n, max, sizes) => {
    const input = items(n)
    const chunks = [...splitIntoFeeds(input, max)]
    expect(chunks.map((c) => c.length)).toEqual(sizes)
    // same objects, same order, nothing dropped or repeated
    const flat = chunks.flat()
    expect(flat.length === input.length && flat.every((item, i) => item === input[i])).toBe(true)
  })

  it.each([0, -1, 1.5, NaN, MAX_LISTINGS_FEED_MESSAGES + 1])("refuses maxPerFeed %p at the call", (max) => {
    expect(codeOf(() => splitIntoFeeds(items(1), max))).toEqual({
      code: "INVALID_MAX_PER_FEED",
      sku: undefined,
      index: undefined,
    })
  })
})

describe("buildListingsFeeds", () => {
  it("splits 25,001 items into two schema-valid feeds whose messageIds each start at 1", () => {
    const feeds = buildListingsFeeds({ sellerId: "A1", items: items(25_001) })
    expect(feeds.map((f) => f.messages.length)).toEqual([25_000, 1])
    expect(feeds[1].messages).toEqual([{ messageId: 1, sku: "SKU-25000", quantity: 25_000 % 50 }])
    expect(schemaErrors(feeds[0].document)).toEqual([])
    expect(schemaErrors(feeds[1].document)).toEqual([])
  })

  it("refuses a SKU repeated in a later feed, reporting its global index", () => {
    const input = [...items(5), { sku: "SKU-0", productType: "LUGGAGE", quantity: 1 }]
    expect(codeOf(() => buildListingsFeeds({ sellerId: "A1", maxPerFeed: 3, items: input }))).toEqual({
      code: "DUPLICATE_SKU",
      sku: "SKU-0",
      index: 5,
    })
  })

  it("returns no feeds for no items", () => {
    expect(buildListingsFeeds({ sellerId: "A1", items: [] })).toEqual([])
  })

  it("builds 100,000 items into 4 feeds in well under the sanity bound", () => {
    const input = items(100_000)
    const started = performance.now()
    const feeds = buildListingsFeeds({ sellerId: "A2EXAMPLESELLER", items: input })
    const elapsed = performance.now() - started
    expect(elapsed).toBeLessThan(3_000)
    expect(feeds).toHaveLength(4)
    expect(feeds.map((f) => f.messages.length)).toEqual([25_000, 25_000, 25_000, 25_000])
    const last = JSON.parse(feeds[3].document) as ListingsFeedDocument
    expect(last.messages).toHaveLength(25_000)
    expect(last.messages[24_999]).toMatchObject({ messageId: 25_000, sku: "SKU-99999" })
  })
})

describe("buildListingsPatchBody", () => {
  it("builds the patchListingsItem body with merge by default", () => {
    expect(buildListingsPatchBody({ productType: "LUGGAGE", quantity: 12 })).toEqual({
      productType: "LUGGAGE",
      patches: [
        {
          op: "merge",
          path: "/attributes/fulfillment_availability",
          value: [{ fulfillment_channel_code: "DEFAULT", quantity: 12 }],
        },
      ],
    })
  })

  it("uses replace when asked, and carries the same patch as the feed message", () => {
    const body = buildListingsPatchBody({ productType: "SHOES", quantity: 0, op: "replace" })
    const feed = buildListingsFeed({
      sellerId: "A1",
      op: "replace",
      items: [{ sku: "X", productType: "SHOES", quantity: 0 }],
    })
    expect((JSON.parse(feed.document) as ListingsFeedDocument).messages[0].patches).toEqual(body.patches)
  })

  it.each<[string, { productType: string; quantity: number; op?: "merge" | "replace" }, FeedBuildErrorCode]>([
    ["negative quantity", { productType: "P", quantity: -3 }, "INVALID_QUANTITY"],
    ["fractional quantity", { productType: "P", quantity: 0.5 }, "INVALID_QUANTITY"],
    ["empty productType", { productType: "", quantity: 1 }, "EMPTY_PRODUCT_TYPE"],
    ["bad op", { productType: "P", quantity: 1, op: "delete" as "merge" }, "INVALID_OP"],
  ])("refuses %s", (_label, input, code) => {
    expect(codeOf(() => buildListingsPatchBody(input)).code).toBe(code)
  })
})
