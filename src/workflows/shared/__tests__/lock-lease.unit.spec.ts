import { activeLeases, LEASE_SECONDS, MAX_HOLD_MS, startLease, stopLease } from "../lock-lease"

/** The Locking Module's in-memory semantics: a key is held until it expires; its owner may extend it. */
function fakeLocking() {
  const locks = new Map<string, { owner: string; until: number }>()
  const calls: string[] = []
  return {
    calls,
    locks,
    async acquire(key: string, args: { ownerId: string; expire: number }) {
      calls.push(key)
      const held = locks.get(key)
      if (held && held.owner !== args.ownerId && held.until > Date.now()) throw new Error(`Failed to acquire lock for key "${key}"`)
      locks.set(key, { owner: args.ownerId, until: Date.now() + args.expire * 1000 })
    },
    held(key: string) {
      const l = locks.get(key)
      return Boolean(l && l.until > Date.now())
    },
  }
}

describe("lock lease", () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse("2026-12-04T12:00:00Z") }))
  afterEach(() => jest.useRealTimers())

  it("keeps a live run's lock for as long as it runs, and a dead run's for at most one lease", async () => {
    const locking = fakeLocking()
    await locking.acquire("k", { ownerId: "alive", expire: LEASE_SECONDS })
    startLease(locking as any, "k", "alive")
    await jest.advanceTimersByTimeAsync(10 * 60_000) // a ten-minute run
    expect(locking.held("k")).toBe(true)
    expect(locking.calls.length).toBeGreaterThanOrEqual(30) // renewed every 20 s
    // the process dies: nothing renews any more (here: the timers stop with the lease)
    stopLease("k", "alive")
    await jest.advanceTimersByTimeAsync(LEASE_SECONDS * 1000 + 1)
    expect(locking.held("k")).toBe(false)
    await expect(locking.acquire("k", { ownerId: "next", expire: LEASE_SECONDS })).resolves.toBeUndefined()
    expect(activeLeases()).toBe(0)
  })

  it("stops renewing when the lock was lost, and after the longest hold", async () => {
    const locking = fakeLocking()
    await locking.acquire("lost", { ownerId: "a", expire: 1 })
    startLease(locking as any, "lost", "a", 1)
    locking.locks.set("lost", { owner: "b", until: Date.now() + 3_600_000 }) // taken over after a long pause
    await jest.advanceTimersByTimeAsync(1_500)
    expect(activeLeases()).toBe(0)

    await locking.acquire("leaked", { ownerId: "c", expire: LEASE_SECONDS })
    startLease(locking as any, "leaked", "c") // never released by its run
    await jest.advanceTimersByTimeAsync(MAX_HOLD_MS + LEASE_SECONDS * 1000 + 20_001)
    expect(activeLeases()).toBe(0)
    expect(locking.held("leaked")).toBe(false)
  })
})
