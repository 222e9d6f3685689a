import { channelsOf, ListingsShapeError, nextWindowStart, parseListingsSearchPage } from "../lib/parse-listings-search"

const DE = "A1PA6795UKMFR9"
const FR = "A13V1IB3VIYZZH"

/** The shape of Amazon's searchListingsItems answer (Listings Items API 2021-08-01, ItemSearchResults). */
const page = {
  numberOfResults: 3,
  pagination: { nextToken: "tok-2" },
  items: [
    {
      sku: "MFN-1",
      summaries: [
        { marketplaceId: DE, asin: "B0AAA", productType: "SHIRT", status: ["BUYABLE"], itemName: "Tee", createdDate: "2026-01-01T00:00:00Z", lastUpdatedDate: "2026-01-02T00:00:00Z" },
      ],
      fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: 4 }],
    },
    {
      sku: "BOTH-1",
      summaries: [
        { marketplaceId: FR, productType: "SHIRT", status: [], createdDate: "2026-01-02T00:00:00Z", lastUpdatedDate: "2026-01-02T00:00:00Z" },
        { marketplaceId: DE, productType: "SHIRT", status: [], createdDate: "2026-01-03T00:00:00Z", lastUpdatedDate: "2026-01-03T00:00:00Z" },
      ],
      fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: 1 }, { fulfillmentChannelCode: "AMAZON_EU", quantity: 9 }],
    },
    {
      sku: "FR-ONLY",
      summaries: [{ marketplaceId: FR, productType: "SHIRT", status: [], createdDate: "2026-01-04T00:00:00Z", lastUpdatedDate: "2026-01-04T00:00:00Z" }],
    },
  ],
}

describe("parseListingsSearchPage", () => {
  it("turns items into one row per marketplace summary and fulfillment channel", () => {
    const parsed = parseListingsSearchPage(page, DE)
    expect(parsed).toEqual({
      items: [
        { marketplace_id: DE, seller_sku: "MFN-1", asin: "B0AAA", product_type: "SHIRT", fulfillment_channel: "MERCHANT", item_name: "Tee", created_date: "2026-01-01T00:00:00Z" },
        { marketplace_id: DE, seller_sku: "BOTH-1", asin: null, product_type: "SHIRT", fulfillment_channel: "MERCHANT", item_name: null, created_date: "2026-01-03T00:00:00Z" },
        { marketplace_id: DE, seller_sku: "BOTH-1", asin: null, product_type: "SHIRT", fulfillment_channel: "AMAZON", item_name: null, created_date: "2026-01-03T00:00:00Z" },
      ],
      item_count: 3,
      next_token: "tok-2",
      number_of_results: 3,
      last_created_date: "2026-01-03T00:00:00Z",
    })
  })

  it("keeps items without summaries (requested data missing) for the asked marketplace", () => {
    const parsed = parseListingsSearchPage({ numberOfResults: 1, items: [{ sku: "BARE" }] }, DE)
    expect(parsed.items).toEqual([
      { marketplace_id: DE, seller_sku: "BARE", asin: null, product_type: "PRODUCT", fulfillment_channel: "MERCHANT", item_name: null, created_date: null },
    ])
    expect(parsed.next_token).toBeNull()
  })

  it.each([
    ["not an object", "nope"],
    ["no items", { numberOfResults: 1 }],
    ["no count", { items: [] }],
    ["an item without sku", { numberOfResults: 1, items: [{ summaries: [] }] }],
  ])("rejects a body with %s", (_, body) => {
    expect(() => parseListingsSearchPage(body, DE)).toThrow(ListingsShapeError)
  })
})

describe("channelsOf", () => {
  it.each([
    [[{ fulfillmentChannelCode: "DEFAULT" }], ["MERCHANT"]],
    [[{ fulfillmentChannelCode: "AMAZON_NA" }], ["AMAZON"]],
    [[{ fulfillmentChannelCode: "AMAZON_EU" }, { fulfillmentChannelCode: "DEFAULT" }], ["AMAZON", "MERCHANT"]],
    [[], ["MERCHANT"]],
    [undefined, ["MERCHANT"]],
  ])("%j → %j", (fa, expected) => {
    expect(channelsOf({ sku: "X", fulfillmentAvailability: fa })).toEqual(expected)
  })
})

describe("nextWindowStart (Amazon pages through at most 1,000 results)", () => {
  it("ends when every result was seen", () => {
    expect(nextWindowStart({ number_of_results: 40, seen_in_window: 40, last_created_date: "2026-01-01T00:00:00Z", window_start: null })).toBeNull()
  })
  it("starts the next window at the last createdDate when results remain", () => {
    expect(nextWindowStart({ number_of_results: 2500, seen_in_window: 1000, last_created_date: "2026-02-01T00:00:00Z", window_start: null })).toBe(
      "2026-02-01T00:00:00Z"
    )
  })
  it("stops instead of looping when a window made no progress", () => {
    expect(nextWindowStart({ number_of_results: 2500, seen_in_window: 1000, last_created_date: "2026-02-01T00:00:00Z", window_start: "2026-02-01T00:00:00Z" })).toBeNull()
    expect(nextWindowStart({ number_of_results: 2500, seen_in_window: 1000, last_created_date: null, window_start: null })).toBeNull()
  })
})
