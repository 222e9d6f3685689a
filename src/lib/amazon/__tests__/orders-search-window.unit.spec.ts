import {
  computeLastUpdatedAfter,
  isVersionApplied,
  nextWatermark,
  peekLastUpdatedTime,
  peekOrderId,
  peekOrderResources,
  readSearchOrdersEnvelope,
} from "../orders/search-window"
import { OrderParseError } from "../parsers/payload-reader"

const now = new Date("2026-03-01T12:00:00.000Z")

describe("computeLastUpdatedAfter", () => {
  it("starts the window the overlap before the watermark", () => {
    expect(computeLastUpdatedAfter({ watermark: "2026-03-01T11:50:00Z", overlapSeconds: 300, lookbackSeconds: 86400, now })).toBe(
      "2026-03-01T11:45:00Z"
    )
  })

  it("looks back on the first run", () => {
    expect(computeLastUpdatedAfter({ watermark: null, overlapSeconds: 300, lookbackSeconds: 86400, now })).toBe("2026-02-28T12:00:00Z")
  })

  it("never asks for a window Amazon would refuse (ending less than 2 minutes ago)", () => {
    expect(computeLastUpdatedAfter({ watermark: "2026-03-01T12:30:00Z", overlapSeconds: 0, lookbackSeconds: 86400, now })).toBe(
      "2026-03-01T11:58:00Z"
    )
  })

  it("truncates to whole seconds", () => {
    expect(computeLastUpdatedAfter({ watermark: "2026-03-01T11:50:00.900Z", overlapSeconds: 0, lookbackSeconds: 0, now })).toBe(
      "2026-03-01T11:50:00Z"
    )
  })
})

describe("readSearchOrdersEnvelope", () => {
  it("reads orders unparsed, the next token and the echoed upper bound", () => {
    const env = readSearchOrdersEnvelope({ orders: [{ orderId: "1" }, "junk"], pagination: { nextToken: "abc" }, lastUpdatedBefore: "2026-03-01T11:58:00Z" })
    expect(env).toEqual({ orders: [{ orderId: "1" }, "junk"], nextToken: "abc", lastUpdatedBefore: "2026-03-01T11:58:00Z" })
  })

  it("has no token on the last page", () => {
    expect(readSearchOrdersEnvelope({ orders: [] })).toEqual({ orders: [] })
  })

  it("refuses a body without orders", () => {
    expect(() => readSearchOrdersEnvelope({ errors: [] })).toThrow(OrderParseError)
    expect(() => readSearchOrdersEnvelope({ orders: [], lastUpdatedBefore: "yesterday" })).toThrow(OrderParseError)
  })
})

describe("dedupe and watermark helpers", () => {
  it("peeks the id and version of an unparsed order", () => {
    expect(peekOrderId({ orderId: "111-2" })).toBe("111-2")
    expect(peekOrderId({ orderId: "" })).toBeNull()
    expect(peekOrderId(null)).toBeNull()
    expect(peekLastUpdatedTime({ lastUpdatedTime: "2026-03-01T11:00:00Z" })).toBe("2026-03-01T11:00:00Z")
    expect(peekLastUpdatedTime({ lastUpdatedTime: "soon" })).toBeNull()
  })

  it("peeks the SKUs and buyer of an unparsed order (what parallel imports must not share)", () => {
    expect(
      peekOrderResources({
        orderItems: [{ product: { sellerSku: "A" } }, { product: { sellerSku: "B" } }, { product: { sellerSku: "A" } }, { product: {} }, null],
        buyer: { buyerEmail: "X@marketplace.amazon.de" },
      })
    ).toEqual({ skus: ["A", "B"], email: "x@marketplace.amazon.de" })
    expect(peekOrderResources("junk")).toEqual({ skus: [], email: null })
  })

  it("treats a version as applied when the stored lastUpdatedTime is the same or newer", () => {
    expect(isVersionApplied(new Date("2026-03-01T11:00:00Z"), "2026-03-01T11:00:00Z")).toBe(true)
    expect(isVersionApplied("2026-03-01T11:00:01Z", "2026-03-01T11:00:00Z")).toBe(true)
    expect(isVersionApplied("2026-03-01T11:00:00Z", "2026-03-01T11:00:01Z")).toBe(false)
    expect(isVersionApplied(null, "2026-03-01T11:00:00Z")).toBe(false)
  })

  it("advances to Amazon's echo, else to the newest order seen, never backwards", () => {
    expect(nextWatermark({ echoedBefore: "2026-03-01T11:58:00Z", previous: "2026-03-01T11:00:00Z" })?.toISOString()).toBe(
      "2026-03-01T11:58:00.000Z"
    )
    expect(nextWatermark({ newestSeen: "2026-03-01T11:30:00Z", previous: "2026-03-01T11:00:00Z" })?.toISOString()).toBe(
      "2026-03-01T11:30:00.000Z"
    )
    expect(nextWatermark({ newestSeen: null, previous: "2026-03-01T11:00:00Z" })?.toISOString()).toBe("2026-03-01T11:00:00.000Z")
    expect(nextWatermark({})).toBeNull()
  })
})
