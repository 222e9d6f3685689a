import { AMAZON_ORDER_HISTORY_DAYS, isBackfillActive, newOrderBackfill, OrderBackfillRangeError } from "../orders/backfill"

const now = new Date("2026-12-05T12:00:00.000Z")

describe("newOrderBackfill", () => {
  it("asks for [created_after, now − 2 minutes) in whole seconds, queued with zero progress", () => {
    expect(newOrderBackfill({ created_after: "2026-06-01", now })).toEqual({
      status: "queued",
      created_after: "2026-06-01T00:00:00Z",
      created_before: "2026-12-05T11:58:00Z",
      requested_at: "2026-12-05T12:00:00.000Z",
      pagination_token: null,
      pages: 0,
      counts: { orders: 0, imported: 0, pending: 0, skipped: 0, needs_attention: 0, failed: 0 },
      updated_at: null,
      finished_at: null,
      error: null,
    })
    expect(newOrderBackfill({ created_after: "2026-11-01T10:15:30.250+01:00", created_before: "2026-11-02", now })).toMatchObject({
      created_after: "2026-11-01T09:15:30Z",
      created_before: "2026-11-02T00:00:00Z",
    })
  })

  it("accepts Amazon's 2 years (a day of grace is moved to the limit) and refuses older dates", () => {
    const limit = new Date(now.getTime() - AMAZON_ORDER_HISTORY_DAYS * 86_400_000)
    const graced = new Date(limit.getTime() - 12 * 3_600_000).toISOString()
    expect(newOrderBackfill({ created_after: graced, now }).created_after).toBe(limit.toISOString().replace(".000Z", "Z"))
    expect(() => newOrderBackfill({ created_after: "2024-06-01", now })).toThrow(OrderBackfillRangeError)
    expect(() => newOrderBackfill({ created_after: "2024-06-01", now })).toThrow(/2 years: created_after must be on or after 2024-12-05/)
  })

  it("refuses what is not a date, the future, the last 2 minutes and empty ranges", () => {
    expect(() => newOrderBackfill({ created_after: "last summer", now })).toThrow(/not a date/)
    expect(() => newOrderBackfill({ created_after: "2027-01-01", now })).toThrow(OrderBackfillRangeError)
    expect(() => newOrderBackfill({ created_after: "2026-12-05T11:59:00Z", now })).toThrow(/2 minutes/)
    expect(() => newOrderBackfill({ created_after: "2026-11-02", created_before: "2026-11-01", now })).toThrow(OrderBackfillRangeError)
    expect(() => newOrderBackfill({ created_after: "2026-11-02", created_before: "soon", now })).toThrow(/created_before "soon" is not a date/)
  })
})

describe("isBackfillActive", () => {
  it("is true while queued or stopped in the middle, false when done, failed or never asked", () => {
    expect(["queued", "running", "done", "failed"].map((status) => isBackfillActive({ status } as never))).toEqual([true, true, false, false])
    expect(isBackfillActive(null)).toBe(false)
    expect(isBackfillActive({})).toBe(false)
  })
})
