import { parseMerchantListingsReport } from "../../amazon/parsers/parse-merchant-listings-report"
import { DriftReportRow, diffDrift, IntendedListing, pickReportRow } from "../drift"

const DATA_TIME = new Date("2026-03-10T06:00:00Z")
const BEFORE = new Date("2026-03-10T04:00:00Z")
const AFTER = new Date("2026-03-10T06:30:00Z")

function listing(sku: string, intendedQuantity: number | null, overrides: Partial<IntendedListing> = {}): IntendedListing {
  return {
    listingId: `lst_${sku}`,
    sellerSku: sku,
    fulfillmentChannel: "MERCHANT",
    intendedQuantity,
    lastSentAt: BEFORE,
    lastAcceptedAt: BEFORE,
    ...overrides,
  }
}

function row(sku: string, quantity: number | null, overrides: Partial<DriftReportRow> = {}): DriftReportRow {
  return { sellerSku: sku, quantity, fulfillmentChannel: "MERCHANT", status: "Active", ...overrides }
}

describe("diffDrift", () => {
  it("compares seller-fulfilled listings and reports each difference with its delta", () => {
    const summary = diffDrift(
      [row("A", 5), row("B", 9), row("C", 0, { status: "Inactive" }), row("D", 1)],
      [listing("A", 5), listing("B", 4), listing("C", 0), listing("D", 3)],
      { reportDataTime: DATA_TIME }
    )
    expect(summary).toMatchObject({ compared: 4, matching: 2, differing: 2, skippedNewer: 0, missingOnAmazon: 0, inactiveOnAmazon: 0, unknownOnAmazon: 0 })
    expect(summary.differences).toEqual([
      { listingId: "lst_B", sellerSku: "B", amazonQuantity: 9, intendedQuantity: 4, delta: 5 },
      { listingId: "lst_D", sellerSku: "D", amazonQuantity: 1, intendedQuantity: 3, delta: -2 },
    ])
    // an out-of-stock listing is Inactive on Amazon: expected, not a problem
    expect(summary.missing).toEqual([])
  })

  it.each([
    ["sent after the report's data time", { lastSentAt: AFTER }],
    ["accepted after the report's data time (a feed that sat at Amazon)", { lastAcceptedAt: AFTER }],
    ["sent exactly at the report's data time", { lastSentAt: DATA_TIME }],
  ])("skips a listing %s, even when it is missing from the report", (_name, overrides) => {
    const summary = diffDrift([row("A", 1)], [listing("A", 7, overrides), listing("NEW", 2, overrides)], { reportDataTime: DATA_TIME })
    expect(summary).toMatchObject({ compared: 0, skippedNewer: 2, missingOnAmazon: 0, differences: [] })
  })

  it("compares a listing never pushed (both times null)", () => {
    const summary = diffDrift([row("A", 1)], [listing("A", 7, { lastSentAt: null, lastAcceptedAt: null })], { reportDataTime: DATA_TIME })
    expect(summary).toMatchObject({ compared: 1, differing: 1 })
  })

  it("lists listings missing from the report and active-intended ones that are not Active on Amazon", () => {
    const summary = diffDrift(
      [row("INACTIVE", 4, { status: "Inactive" }), row("INCOMPLETE", 0, { status: "Incomplete" }), row("NO-STATUS", 3, { status: null })],
      [listing("GONE", 3), listing("INACTIVE", 4), listing("INCOMPLETE", 2), listing("NO-STATUS", 3)],
      { reportDataTime: DATA_TIME }
    )
    expect(summary.missing).toEqual([
      { listingId: "lst_GONE", sellerSku: "GONE", reason: "not_in_report", intendedQuantity: 3 },
      { listingId: "lst_INACTIVE", sellerSku: "INACTIVE", reason: "inactive", status: "Inactive", intendedQuantity: 4 },
      { listingId: "lst_INCOMPLETE", sellerSku: "INCOMPLETE", reason: "inactive", status: "Incomplete", intendedQuantity: 2 },
    ])
    expect(summary).toMatchObject({ missingOnAmazon: 1, inactiveOnAmazon: 2 })
    // inactive listings are still compared on quantity; a missing status column counts as active
    expect(summary).toMatchObject({ compared: 3, matching: 2, differing: 1 })
    expect(summary.differences.map((d) => d.sellerSku)).toEqual(["INCOMPLETE"])
  })

  it("counts what it cannot compare by reason, and report SKUs the store does not have", () => {
    const summary = diffDrift(
      [row("FBA", null, { fulfillmentChannel: "AMAZON" }), row("SWITCHED", null, { fulfillmentChannel: "AMAZON" }), row("NOQTY", null), row("UNKNOWN-INTENT", 2), row("STRANGER-1", 1), row("STRANGER-2", null, { fulfillmentChannel: "AMAZON" })],
      [listing("FBA", null, { fulfillmentChannel: "AMAZON" }), listing("SWITCHED", 3), listing("NOQTY", 1), listing("UNKNOWN-INTENT", null)],
      { reportDataTime: DATA_TIME }
    )
    expect(summary.notCompared).toEqual({ amazon_fulfilled: 1, channel_mismatch: 1, intended_unknown: 1, amazon_quantity_unknown: 1 })
    expect(summary).toMatchObject({ compared: 0, unknownOnAmazon: 2, missingOnAmazon: 0 })
  })

  it("keeps the worst differences by |delta|, ties by SKU, up to worstLimit", () => {
    const summary = diffDrift(
      [row("A", 10), row("B", 0), row("C", 3), row("D", 8), row("E", 1)],
      [listing("A", 0), listing("B", 10), listing("C", 4), listing("D", 0), listing("E", 0)],
      { reportDataTime: DATA_TIME, worstLimit: 3 }
    )
    expect(summary.worst.map((d) => [d.sellerSku, d.delta])).toEqual([["A", 10], ["B", -10], ["D", 8]])
    expect(summary.differences).toHaveLength(5)
    expect(diffDrift([row("A", 1)], [listing("A", 0)], { reportDataTime: DATA_TIME, worstLimit: 0 }).worst).toEqual([])
  })

  it("uses one row per duplicated SKU: seller-fulfilled over FBA, Active over not, with a quantity over without", () => {
    const summary = diffDrift(
      [row("DUP", 3, { status: "Inactive" }), row("DUP", 5), row("DUP", null, { fulfillmentChannel: "AMAZON" })],
      [listing("DUP", 5)],
      { reportDataTime: DATA_TIME }
    )
    expect(summary).toMatchObject({ duplicateSkusInReport: 1, compared: 1, matching: 1, inactiveOnAmazon: 0 })
    expect(pickReportRow(row("X", null), row("X", 2))).toEqual(row("X", 2))
    expect(pickReportRow(row("X", 1), row("X", 2))).toEqual(row("X", 2))
  })

  it("rejects an invalid reportDataTime", () => {
    expect(() => diffDrift([], [], { reportDataTime: new Date("nope") })).toThrow(TypeError)
  })

  it("works on the parsed report (parser → drift)", () => {
    const header = ["item-name", "listing-id", "seller-sku", "price", "quantity", "asin1", "fulfillment-channel", "status"]
    const text = [
      header.join("\t"),
      ['Mug 12"', "L1", "MUG-12", "12.99", "7", "B0MUG", "DEFAULT", "Active"].join("\t"),
      ["Towel", "L2", "TOWEL-1", "4.50", "", "B0TOW", "AMAZON_EU", "Active"].join("\t"),
    ].join("\r\n")
    const { rows } = parseMerchantListingsReport(text)
    const summary = diffDrift(rows, [listing("MUG-12", 6), listing("TOWEL-1", null, { fulfillmentChannel: "AMAZON" })], { reportDataTime: DATA_TIME })
    expect(summary.differences).toEqual([{ listingId: "lst_MUG-12", sellerSku: "MUG-12", amazonQuantity: 7, intendedQuantity: 6, delta: 1 }])
    expect(summary.notCompared.amazon_fulfilled).toBe(1)
  })

  it("handles 100,000 listings correctly", () => {
    const N = 100_000
    const rows: DriftReportRow[] = []
    const intended: IntendedListing[] = []
    for (let i = 0; i < N; i++) {
      const sku = `SKU-${i}`
      // every 100th store listing is missing on Amazon; every 1,000th report row is unknown to the store
      if (i % 100 !== 0) rows.push(row(sku, i % 20))
      if (i % 1000 === 1) rows.push(row(`STRANGER-${i}`, 1))
      intended.push(
        listing(sku, i % 250 === 3 ? (i % 20) + (i % 7) + 1 : i % 20, {
          // every 50th was pushed after the report
          lastSentAt: i % 50 === 7 ? AFTER : BEFORE,
        })
      )
    }
    const summary = diffDrift(rows, intended, { reportDataTime: DATA_TIME })
    const skippedNewer = N / 50
    const missing = N / 100
    // i % 250 === 3 never meets i % 50 === 7 nor i % 100 === 0
    const differing = N / 250
    expect(summary.skippedNewer).toBe(skippedNewer)
    expect(summary.missingOnAmazon).toBe(missing)
    expect(summary.unknownOnAmazon).toBe(N / 1000)
    expect(summary.differing).toBe(differing)
    expect(summary.compared).toBe(N - skippedNewer - missing)
    expect(summary.matching).toBe(summary.compared - differing)
    expect(summary.worst).toHaveLength(10)
    expect(Math.abs(summary.worst[0].delta)).toBe(7)
    expect(summary.differences.every((d) => d.delta === -((Number(d.sellerSku.slice(4)) % 7) + 1))).toBe(true)
  })
})
