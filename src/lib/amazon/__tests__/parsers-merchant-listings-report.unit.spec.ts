import {
  MerchantListingsParseError,
  parseMerchantListingsReport,
} from "../parsers/parse-merchant-listings-report"

/** The header Amazon documents for GET_MERCHANT_LISTINGS_ALL_DATA (report-type-values-inventory), in its order. */
const HEADER = [
  "item-name", "item-description", "listing-id", "seller-sku", "price", "quantity", "open-date", "image-url",
  "item-is-marketplace", "product-id-type", "zshop-shipping-fee", "item-note", "item-condition", "zshop-category1",
  "zshop-browse-path", "zshop-storefront-feature", "asin1", "asin2", "asin3", "will-ship-internationally",
  "expedited-shipping", "zshop-boldface", "product-id", "bid-for-featured-placement", "add-delete",
  "pending-quantity", "fulfillment-channel", "merchant-shipping-group", "status",
]

type Cells = Partial<Record<string, string>>
function line(cells: Cells, header = HEADER): string {
  return header.map((h) => cells[h] ?? "").join("\t")
}

/** A small report as Amazon writes one: UTF-8 BOM, CRLF, an FBA row, a quote in a name, a duplicate SKU, a short row. */
const REPORT =
  "\ufeff" +
  [
    HEADER.join("\t"),
    line({ "item-name": 'Mug 12" "Classic"', "listing-id": "0101Z9ABCDE", "seller-sku": "MUG-12", price: "12.99", quantity: "7", "open-date": "2024-03-01 10:00:00 MET", "item-is-marketplace": "y", "product-id-type": "1", "asin1": "B0MUG00012", "product-id": "B0MUG00012", "fulfillment-channel": "DEFAULT", "merchant-shipping-group": "Migrated Template", status: "Active" }),
    line({ "item-name": "Tea towel", "listing-id": "0101Z9ABCDF", "seller-sku": "TOWEL-1", price: "4.50", quantity: "", "asin1": "B0TOWEL001", "fulfillment-channel": "AMAZON_EU", status: "Active" }),
    line({ "item-name": "Teapot", "listing-id": "0101Z9ABCDG", "seller-sku": "POT-1", price: "30.00", quantity: "0", "asin1": "B0POT00001", "fulfillment-channel": "DEFAULT", status: "Inactive" }),
    line({ "item-name": "Mug 12 (old)", "listing-id": "0101Z9ABCDH", "seller-sku": "MUG-12", price: "12.99", quantity: "3", "asin1": "B0MUG00012", "fulfillment-channel": "DEFAULT", status: "Inactive" }),
    // a row cut after the quantity: the trailing cells read as empty
    ["Saucer", "", "0101Z9ABCDI", "SAUCER-1", "3.00", "12"].join("\t"),
    "",
  ].join("\r\n")

describe("parseMerchantListingsReport", () => {
  it("reads Amazon's documented layout: columns by header name, BOM and CRLF tolerated, FBA quantity null", () => {
    const parsed = parseMerchantListingsReport(REPORT)
    expect(parsed.columns).toEqual(HEADER)
    expect(parsed.rows).toEqual([
      { sellerSku: "MUG-12", asin: "B0MUG00012", quantity: 7, fulfillmentChannel: "MERCHANT", fulfillmentChannelCode: "DEFAULT", status: "Active", itemName: 'Mug 12" "Classic"', listingId: "0101Z9ABCDE", line: 2 },
      { sellerSku: "TOWEL-1", asin: "B0TOWEL001", quantity: null, fulfillmentChannel: "AMAZON", fulfillmentChannelCode: "AMAZON_EU", status: "Active", itemName: "Tea towel", listingId: "0101Z9ABCDF", line: 3 },
      { sellerSku: "POT-1", asin: "B0POT00001", quantity: 0, fulfillmentChannel: "MERCHANT", fulfillmentChannelCode: "DEFAULT", status: "Inactive", itemName: "Teapot", listingId: "0101Z9ABCDG", line: 4 },
      { sellerSku: "MUG-12", asin: "B0MUG00012", quantity: 3, fulfillmentChannel: "MERCHANT", fulfillmentChannelCode: "DEFAULT", status: "Inactive", itemName: "Mug 12 (old)", listingId: "0101Z9ABCDH", line: 5 },
      { sellerSku: "SAUCER-1", asin: null, quantity: 12, fulfillmentChannel: "MERCHANT", fulfillmentChannelCode: "", status: null, itemName: "Saucer", listingId: "0101Z9ABCDI", line: 6 },
    ])
    expect(parsed.duplicateSkus).toEqual(["MUG-12"])
    expect(parsed.issues).toEqual([])
  })

  it("takes the column order from the header, never from position (reordered, extra and placeholder columns)", () => {
    // Some EU accounts: "Deprecated column" placeholders (repeated), British "fulfilment-channel", extra columns, no status (#4140, #5216)
    const header = ["seller-sku", "Deprecated column", "asin1", "Deprecated column", "fulfilment-channel ", "Minimum order quantity", "quantity", "item-name"]
    const text = [
      header.join("\t"),
      ["SKU-A", "", "B0A", "", "DEFAULT", "1", "4", "A"].join("\t"),
      ["SKU-B", "", "B0B", "", "AMAZON_NA", "", "", "B"].join("\t"),
    ].join("\n")
    const { rows } = parseMerchantListingsReport(text)
    expect(rows.map((r) => [r.sellerSku, r.asin, r.quantity, r.fulfillmentChannel, r.status, r.listingId])).toEqual([
      ["SKU-A", "B0A", 4, "MERCHANT", null, null],
      ["SKU-B", "B0B", null, "AMAZON", null, null],
    ])
  })

  it("reads a Japanese header", () => {
    const header = ["商品名", "出品ID", "出品者SKU", "価格", "数量", "出品日", "フルフィルメント・チャンネル", "ステータス"]
    const text = [header.join("\t"), ["湯呑み", "0415X", "YUNOMI-1", "1200", "5", "2024/05/01", "DEFAULT", "Active"].join("\t")].join("\r\n")
    expect(parseMerchantListingsReport(text).rows[0]).toMatchObject({ sellerSku: "YUNOMI-1", quantity: 5, itemName: "湯呑み", listingId: "0415X", fulfillmentChannel: "MERCHANT" })
  })

  it("records unreadable cells as issues and goes on with the rest of the file", () => {
    const text = [
      HEADER.join("\t"),
      line({ "seller-sku": "OK-1", quantity: "2", "fulfillment-channel": "DEFAULT" }),
      line({ "seller-sku": "", quantity: "2", "item-name": "no sku" }),
      line({ "seller-sku": "BAD-QTY", quantity: "2.5", "fulfillment-channel": "DEFAULT" }),
      line({ "seller-sku": "NEG-QTY", quantity: "-1", "fulfillment-channel": "DEFAULT" }),
      line({ "seller-sku": "ODD-CHANNEL", quantity: "1", "fulfillment-channel": "SOMETHING_NEW" }),
      "   ",
    ].join("\n")
    const parsed = parseMerchantListingsReport(text)
    expect(parsed.rows.map((r) => [r.sellerSku, r.quantity, r.fulfillmentChannel])).toEqual([
      ["OK-1", 2, "MERCHANT"],
      ["BAD-QTY", null, "MERCHANT"],
      ["NEG-QTY", null, "MERCHANT"],
      // an unknown channel is read as seller-fulfilled, so it is compared (and seen) rather than skipped
      ["ODD-CHANNEL", 1, "MERCHANT"],
    ])
    expect(parsed.issues.map((i) => [i.line, i.code, i.value])).toEqual([
      [3, "MISSING_SKU", expect.stringContaining("no sku")],
      [4, "INVALID_QUANTITY", "2.5"],
      [5, "INVALID_QUANTITY", "-1"],
      [6, "UNKNOWN_FULFILLMENT_CHANNEL", "SOMETHING_NEW"],
    ])
  })

  it("keeps a SKU exactly as written (spaces are part of it)", () => {
    const text = [HEADER.join("\t"), line({ "seller-sku": " SKU 1 ", quantity: "1", "fulfillment-channel": "DEFAULT" })].join("\n")
    expect(parseMerchantListingsReport(text).rows[0].sellerSku).toBe(" SKU 1 ")
  })

  it.each([
    ["an empty document", "", "EMPTY_DOCUMENT"],
    ["only a BOM and blank lines", "\ufeff\r\n\r\n", "EMPTY_DOCUMENT"],
    ["no quantity column (a custom report, #4864)", "seller-sku\tasin1\tfulfillment-channel\nA\tB0\tDEFAULT", "MISSING_COLUMN"],
    ["no seller-sku column", "sku\tquantity\tfulfillment-channel\nA\t1\tDEFAULT", "MISSING_COLUMN"],
    ["no fulfillment-channel column", "seller-sku\tquantity\nA\t1", "MISSING_COLUMN"],
  ])("rejects %s", (_name, text, code) => {
    const err = (() => {
      try {
        parseMerchantListingsReport(text)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(MerchantListingsParseError)
    expect(err).toMatchObject({ code })
  })

  it("parses a header-only report to no rows", () => {
    expect(parseMerchantListingsReport(HEADER.join("\t") + "\r\n")).toMatchObject({ rows: [], issues: [], duplicateSkus: [] })
  })

  it("parses 100,000 rows correctly (the size of a large catalogue)", () => {
    const N = 100_000
    const lines = [HEADER.join("\t")]
    for (let i = 0; i < N; i++) {
      const fba = i % 10 === 0
      lines.push(
        line({
          "item-name": `Product ${i} with a "quote" and, a comma`,
          "item-description": "A description long enough to be realistic. ".repeat(4),
          "listing-id": `0101L${i}`,
          "seller-sku": `SKU-${i}`,
          price: "19.99",
          quantity: fba ? "" : String(i % 50),
          "open-date": "2024-03-01 10:00:00 PST",
          asin1: `B0${String(i).padStart(8, "0")}`,
          "product-id": `B0${String(i).padStart(8, "0")}`,
          "fulfillment-channel": fba ? "AMAZON_NA" : "DEFAULT",
          status: i % 7 === 0 ? "Inactive" : "Active",
        })
      )
    }
    const parsed = parseMerchantListingsReport(lines.join("\r\n") + "\r\n")
    expect(parsed.rows).toHaveLength(N)
    expect(parsed.issues).toEqual([])
    expect(parsed.duplicateSkus).toEqual([])
    expect(parsed.rows.filter((r) => r.fulfillmentChannel === "AMAZON")).toHaveLength(N / 10)
    expect(parsed.rows.filter((r) => r.quantity === null)).toHaveLength(N / 10)
    expect(parsed.rows[99_999]).toEqual({
      sellerSku: "SKU-99999",
      asin: "B000099999",
      quantity: 99_999 % 50,
      fulfillmentChannel: "MERCHANT",
      fulfillmentChannelCode: "DEFAULT",
      status: "Active",
      itemName: 'Product 99999 with a "quote" and, a comma',
      listingId: "0101L99999",
      line: 100_001,
    })
    expect(parsed.rows[70].status).toBe("Inactive")
  })
})
