import { PushCandidate, planStockPush, retryDelayMs } from "../push-plan"

let n = 0
function candidate(overrides: Partial<PushCandidate> = {}): PushCandidate {
  n++
  return {
    listing_id: `l${n}`,
    account_id: "acc",
    marketplace_id: "mp",
    seller_sku: `SKU-${n}`,
    product_type: "PRODUCT",
    quantity: 5,
    last_accepted_quantity: 3,
    last_sent_quantity: 3,
    push_status: "accepted",
    pending_feed_id: null,
    urgent: false,
    ...overrides,
  }
}

const settings = { maxPatches: 2, urgentAtOrBelow: 0 }

describe("planStockPush", () => {
  it("skips a SKU whose quantity Amazon already accepted, and one already in flight", () => {
    const same = candidate({ quantity: 3 })
    const inFlight = candidate({ quantity: 4, last_sent_quantity: 4, push_status: "pending", pending_feed_id: "fd1" })
    const plan = planStockPush([same, inFlight], settings)
    expect(plan.skip.map((s) => s.reason)).toEqual(["unchanged", "in_flight"])
    expect(plan.patch).toEqual([])
    expect(plan.feed).toEqual([])
  })

  it("patches a small batch instead of spending a feed", () => {
    const a = candidate()
    const b = candidate({ last_accepted_quantity: null })
    const plan = planStockPush([a, b], settings)
    expect(plan.patch).toEqual([a, b])
    expect(plan.feed).toEqual([])
  })

  it("patches urgent changes (going to 0, lowest first) and feeds the rest of a big batch", () => {
    const many = Array.from({ length: 5 }, () => candidate())
    const zeroA = candidate({ quantity: 0 })
    const zeroB = candidate({ quantity: 0, last_accepted_quantity: null })
    const flagged = candidate({ quantity: 9, urgent: true })
    const alreadyZero = candidate({ quantity: 0, last_accepted_quantity: 0 })
    const plan = planStockPush([...many, flagged, zeroA, zeroB, alreadyZero], settings)
    expect(plan.patch).toEqual([zeroA, zeroB])
    expect(plan.feed).toEqual([...many, flagged])
    expect(plan.skip.map((s) => s.candidate)).toEqual([alreadyZero])
  })

  it("never patches a SKU that is in an unfinished feed (the older feed would undo the patch)", () => {
    const pending = candidate({ quantity: 0, last_sent_quantity: 4, push_status: "pending", pending_feed_id: "fd1" })
    const plan = planStockPush([pending], settings)
    expect(plan.patch).toEqual([])
    expect(plan.feed).toEqual([pending])
  })

  it("sends nothing by patch when maxPatches is 0", () => {
    const zero = candidate({ quantity: 0 })
    const plan = planStockPush([zero], { maxPatches: 0, urgentAtOrBelow: 0 })
    expect(plan.patch).toEqual([])
    expect(plan.feed).toEqual([zero])
  })
})

describe("feed quota spreading", () => {
  const now = 1_000_000_000
  const state = (recent: number, agoMs: number | null) => ({ now, recent, last_submitted_at: agoMs === null ? null : now - agoMs })

  // feedHoldMs itself (45 s / 90 s spacing, big feeds never held): lib/amazon/__tests__/feeds-feed-quota.unit.spec.ts
  it("holds a small feed, and patches the oldest waiting changes with the unused patch budget meanwhile", () => {
    const many = Array.from({ length: 6 }, () => candidate())
    const zero = candidate({ quantity: 0 })
    const inFeed = candidate({ quantity: 2, last_sent_quantity: 4, push_status: "pending", pending_feed_id: "fd1" })
    const plan = planStockPush([...many, zero, inFeed], { maxPatches: 3, urgentAtOrBelow: 0, feeds: state(3, 10_000) })
    expect(plan.patch).toEqual([zero, many[0], many[1]])
    expect(plan.feed).toEqual([])
    expect(plan.hold).toEqual([...many.slice(2), inFeed])
    expect(plan.hold_ms).toBe(35_000)
  })

  it("feeds as before while the window has room", () => {
    const many = Array.from({ length: 6 }, () => candidate())
    const plan = planStockPush(many, { maxPatches: 3, urgentAtOrBelow: 0, feeds: state(2, 1_000) })
    expect(plan.patch).toEqual([])
    expect(plan.feed).toEqual(many)
    expect(plan.hold).toEqual([])
  })
})

describe("retryDelayMs", () => {
  it("doubles from one minute and caps at an hour", () => {
    expect([1, 2, 3, 7, 20].map((i) => retryDelayMs(i))).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000])
  })
})
