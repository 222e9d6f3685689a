import { confirmFollowUpMs, LOCKED_RETRIES, LOCKED_RETRY_MS, PushSoon, pushSoonSettings } from "../push-soon"
import type { PushAmazonStockWorkflowOutput } from "../../push-amazon-stock"

const output = (over: Partial<PushAmazonStockWorkflowOutput> = {}): PushAmazonStockWorkflowOutput => ({
  lock_acquired: true,
  retries_enqueued: 0,
  outbox_rows: 1,
  candidates: 1,
  skipped: 0,
  patched: 1,
  rejected: 0,
  fed: 0,
  feeds: [],
  held: 0,
  deferred: 0,
  outbox_completed: 1,
  confirmations: { read: 0, confirmed: 0, waiting: 0, repushed: 0, not_applied: 0, next_due_at: null },
  amazon_calls: 1,
  ...over,
})

describe("pushSoonSettings", () => {
  it("is on by default: one second after the last change, at most five after the first", () => {
    expect(pushSoonSettings({})).toEqual({ enabled: true, debounceMs: 1000, maxDelayMs: 5000 })
  })
  it("reads the debounce, the cap (never below the debounce) and off", () => {
    expect(pushSoonSettings({ AMAZON_STOCK_PUSH_DEBOUNCE_MS: "250", AMAZON_STOCK_PUSH_MAX_DELAY_MS: "2000" })).toEqual({ enabled: true, debounceMs: 250, maxDelayMs: 2000 })
    expect(pushSoonSettings({ AMAZON_STOCK_PUSH_DEBOUNCE_MS: "8000" })).toEqual({ enabled: true, debounceMs: 8000, maxDelayMs: 8000 })
    expect(pushSoonSettings({ AMAZON_STOCK_PUSH_DEBOUNCE_MS: "off" }).enabled).toBe(false)
    expect(pushSoonSettings({ AMAZON_STOCK_PUSH_DEBOUNCE_MS: "nonsense" }).debounceMs).toBe(1000)
  })
})

describe("PushSoon", () => {
  let now = 0
  beforeEach(() => {
    jest.useFakeTimers()
    now = 0
  })
  afterEach(() => jest.useRealTimers())
  const advance = async (ms: number) => {
    now += ms
    await jest.advanceTimersByTimeAsync(ms)
  }
  const make = (run: () => Promise<PushAmazonStockWorkflowOutput[]>, env: NodeJS.ProcessEnv = {}) =>
    new PushSoon(run, () => pushSoonSettings(env), undefined, () => now)

  it("runs once a second after a burst of changes stops", async () => {
    const run = jest.fn(async () => [output()])
    const t = make(run)
    for (let i = 0; i < 5; i++) {
      t.request()
      await advance(200)
    }
    expect(run).not.toHaveBeenCalled()
    await advance(1000)
    expect(run).toHaveBeenCalledTimes(1)
  })

  it("does not wait longer than the cap during a steady stream", async () => {
    const run = jest.fn(async () => [output()])
    const t = make(run)
    for (let i = 0; i < 30; i++) {
      t.request()
      await advance(500)
      if (run.mock.calls.length) break
    }
    // the first request was at 0: the run starts at 5 s although changes kept coming every 500 ms
    expect(run).toHaveBeenCalledTimes(1)
    expect(now).toBe(5000)
  })

  it("asks for one more run when a change arrives while a run is going", async () => {
    let finish!: () => void
    const run = jest.fn(() => new Promise<PushAmazonStockWorkflowOutput[]>((r) => (finish = () => r([output()]))))
    const t = make(run)
    t.request()
    await advance(1000)
    expect(run).toHaveBeenCalledTimes(1)
    t.request()
    t.request()
    finish()
    await advance(1000)
    expect(run).toHaveBeenCalledTimes(2)
    finish()
    await advance(5000)
    expect(run).toHaveBeenCalledTimes(2)
  })

  it("tries again while another run holds the lock, a bounded number of times", async () => {
    const run = jest.fn(async () => [output({ lock_acquired: false, candidates: 0 })])
    const t = make(run)
    t.request()
    await advance(1000)
    expect(run).toHaveBeenCalledTimes(1)
    await advance(LOCKED_RETRY_MS)
    expect(run).toHaveBeenCalledTimes(2)
    await advance(LOCKED_RETRY_MS * (LOCKED_RETRIES + 5))
    expect(run).toHaveBeenCalledTimes(1 + LOCKED_RETRIES)
  })

  it("keeps going after a failed run (the job retries) and does nothing when off", async () => {
    const run = jest.fn(async () => {
      throw new Error("database down")
    })
    const t = make(run)
    t.request()
    await advance(1000)
    expect(run).toHaveBeenCalledTimes(1)
    t.request()
    await advance(1000)
    expect(run).toHaveBeenCalledTimes(2)

    const offRun = jest.fn(async () => [output()])
    const off = make(offRun, { AMAZON_STOCK_PUSH_DEBOUNCE_MS: "off" })
    off.request()
    await advance(10_000)
    expect(offRun).not.toHaveBeenCalled()
    await off.settled()
  })
})

describe("follow-up runs for read-backs", () => {
  const t0 = Date.parse("2026-12-05T10:00:00Z")
  it("comes back after the first confirmation delay when the run sent quantities", () => {
    expect(confirmFollowUpMs([output({ patched: 2 })], t0, [5000, 30000])).toBe(5100)
  })
  it("comes back when the next scheduled read is due", () => {
    const due = new Date(t0 + 25_000).toISOString()
    const r = output({ patched: 0, confirmations: { read: 1, confirmed: 0, waiting: 1, repushed: 0, not_applied: 0, next_due_at: due } })
    expect(confirmFollowUpMs([r], t0, [5000, 30000])).toBe(25_100)
  })
  it("does not come back when nothing waits, or confirmation is off", () => {
    expect(confirmFollowUpMs([output({ patched: 0 })], t0, [5000])).toBeNull()
    expect(confirmFollowUpMs([output({ patched: 3 })], t0, [])).toBeNull()
  })

  describe("PushSoon with a follow-up", () => {
    beforeEach(() => jest.useFakeTimers())
    afterEach(() => jest.useRealTimers())
    it("runs again at the follow-up, once", async () => {
      let n = 0
      const run = jest.fn(async () => [output({ patched: n++ === 0 ? 1 : 0 })])
      const t = new PushSoon(run, () => pushSoonSettings({}), undefined, Date.now, (r) => (r[0].patched ? 5000 : null))
      t.request()
      await jest.advanceTimersByTimeAsync(1000)
      expect(run).toHaveBeenCalledTimes(1)
      await jest.advanceTimersByTimeAsync(5000)
      await jest.advanceTimersByTimeAsync(1000)
      expect(run).toHaveBeenCalledTimes(2)
      await jest.advanceTimersByTimeAsync(60_000)
      expect(run).toHaveBeenCalledTimes(2)
    })
  })
})
