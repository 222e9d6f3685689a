import {
  FEED_QUOTA,
  feedHoldMs,
  feedSubmissionsLeft,
  feedTypeQuota,
  JSON_LISTINGS_FEED_SUBMISSIONS,
} from "../feeds/feed-quota"

describe("feed quota spreading", () => {
  const now = 1_000_000_000
  const state = (recent: number, agoMs: number | null) => ({ now, recent, last_submitted_at: agoMs === null ? null : now - agoMs })

  it("sends the first three feeds of a 5-minute window at once, then spaces the rest 45 s per extra feed", () => {
    expect([0, 1, 2].map((recent) => feedHoldMs(state(recent, 1_000), 50))).toEqual([0, 0, 0])
    expect(feedHoldMs(state(3, 1_000), 50)).toBe(44_000)
    expect(feedHoldMs(state(4, 1_000), 50)).toBe(89_000)
    expect(feedHoldMs(state(4, 90_000), 50)).toBe(0)
    expect(feedHoldMs(undefined, 50)).toBe(0)
  })

  it("never holds a big feed: it is worth its quota slot", () => {
    expect(feedHoldMs(state(4, 1_000), 1_000)).toBe(0)
  })

  it("spreads any feed type's quota by its own numbers", () => {
    const quota = { submissions: 10, windowMs: 600_000, freeSubmissions: 5, spacingMs: 30_000, holdMaxMessages: 100 }
    expect(feedHoldMs(state(4, 1_000), 50, quota)).toBe(0)
    expect(feedHoldMs(state(6, 1_000), 50, quota)).toBe(59_000)
    expect(feedHoldMs(state(6, 1_000), 100, quota)).toBe(0)
  })
})

describe("feed-type quotas", () => {
  it("knows JSON_LISTINGS_FEED's 5 per 5 minutes, and no quota of its own for the order feeds", () => {
    expect(feedTypeQuota("JSON_LISTINGS_FEED")).toBe(JSON_LISTINGS_FEED_SUBMISSIONS)
    expect(JSON_LISTINGS_FEED_SUBMISSIONS).toMatchObject(FEED_QUOTA)
    expect(FEED_QUOTA).toEqual({ submissions: 5, windowMs: 300_000 })
    expect(feedTypeQuota("POST_ORDER_FULFILLMENT_DATA")).toBeUndefined()
    expect(feedTypeQuota("POST_ORDER_ACKNOWLEDGEMENT_DATA")).toBeUndefined()
  })

  it("counts the submissions left in the window, never below zero", () => {
    expect([0, 3, 5, 7].map((recent) => feedSubmissionsLeft(FEED_QUOTA, recent))).toEqual([5, 2, 0, 0])
  })
})
