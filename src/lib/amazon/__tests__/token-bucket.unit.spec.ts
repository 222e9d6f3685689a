import { spawnSync } from "node:child_process"
import { gcraReserve, gcraTokens, MemoryBucketStore, RedisBucketStore } from "../token-bucket"

const REDIS_HOST = "127.0.0.1"
const REDIS_PORT = 6379
const REDIS_URL = `redis://${REDIS_HOST}:${REDIS_PORT}`

/**
 * Whether a Redis answers, decided before the tests are declared (a child process, synchronously), so that
 * without Redis the Redis store tests are reported as skipped instead of passing without running. With
 * CI=true they run anyway and fail without Redis: CI must exercise the Lua scripts.
 */
function redisReachable(): boolean {
  const probe =
    `const s = require("node:net").connect(${REDIS_PORT}, "${REDIS_HOST}");` +
    `s.once("connect", () => process.exit(0)); s.once("error", () => process.exit(1)); setTimeout(() => process.exit(1), 1000)`
  return spawnSync(process.execPath, ["-e", probe], { timeout: 5000, env: { PATH: process.env.PATH ?? "" } }).status === 0
}
const REDIS_UP = redisReachable()
const REDIS_REQUIRED = process.env.CI === "true"
const itWithRedis = REDIS_UP || REDIS_REQUIRED ? it : it.skip

function requireRedis() {
  if (!REDIS_UP) {
    throw new Error(`CI=true but no Redis answers on ${REDIS_HOST}:${REDIS_PORT}: the Redis bucket store tests must run in CI`)
  }
}

describe("token bucket (GCRA)", () => {
  const limits = { rate: 2, burst: 3 } // one token per 500 ms, bucket of 3

  it("admits a full burst at once, then one call per 1/rate", () => {
    let tat: number | undefined
    const waits: number[] = []
    for (let i = 0; i < 5; i++) {
      const r = gcraReserve(tat, 0, limits, Infinity)
      tat = r.tat
      waits.push(r.waitMs)
    }
    expect(waits).toEqual([0, 0, 0, 500, 1000])
  })

  it("refills over time up to the burst, never beyond", () => {
    let tat: number | undefined
    for (let i = 0; i < 3; i++) tat = gcraReserve(tat, 0, limits, Infinity).tat
    expect(gcraTokens(tat, 0, limits)).toBe(0)
    expect(gcraTokens(tat, 500, limits)).toBe(1)
    expect(gcraTokens(tat, 1000, limits)).toBe(2)
    expect(gcraTokens(tat, 60_000, limits)).toBe(3)
  })

  it("never admits more than burst + rate·t in any window (Amazon's bucket would 429 the excess)", () => {
    // a greedy caller at random times for 60 simulated seconds
    let tat: number | undefined
    const admitted: number[] = []
    let now = 0
    while (now < 60_000) {
      const r = gcraReserve(tat, now, limits, 0)
      if (r.granted) {
        tat = r.tat
        admitted.push(now)
      }
      now += Math.floor(((now * 7919) % 97) + 1)
    }
    for (let i = 0; i < admitted.length; i++) {
      for (let j = i; j < admitted.length; j++) {
        const span = (admitted[j] - admitted[i]) / 1000
        expect(j - i + 1).toBeLessThanOrEqual(limits.burst + Math.floor(limits.rate * span) + 0)
      }
    }
    // and it does use the quota: about burst + rate·60 s
    expect(admitted.length).toBeGreaterThanOrEqual(limits.burst + limits.rate * 59)
  })

  it("a reservation refused for maxWait reserves nothing", async () => {
    let now = 0
    const store = new MemoryBucketStore(() => now)
    for (let i = 0; i < 3; i++) await store.reserve("k", limits, 0)
    expect(await store.reserve("k", limits, 100)).toEqual({ granted: false, waitMs: 500 })
    expect(await store.reserve("k", limits, 1000)).toEqual({ granted: true, waitMs: 500 })
    now = 10_000
    expect(await store.peek("k", limits)).toBe(3)
  })

  it("drain makes the next call wait a full interval", async () => {
    let now = 0
    const store = new MemoryBucketStore(() => now)
    await store.drain("k", limits)
    expect(await store.peek("k", limits)).toBe(0)
    expect(await store.reserve("k", limits, Infinity)).toEqual({ granted: true, waitMs: 500 })
  })

  it("rebase: a faster announced rate releases a schedule booked at the old rate", async () => {
    let now = 0
    const store = new MemoryBucketStore(() => now)
    const slow = { rate: 0.01, burst: 1 } // one call per 100 s
    await store.reserve("k", slow, Infinity)
    expect((await store.reserve("k", slow, Infinity)).waitMs).toBe(100_000)
    const fast = { rate: 1, burst: 1 }
    await store.rebase("k", slow, fast)
    expect((await store.reserve("k", fast, Infinity)).waitMs).toBeLessThanOrEqual(1_000)
  })

  it("rebase keeps the tokens left: one call at the old rate costs one token at the new rate, not the bucket", async () => {
    let now = 0
    const store = new MemoryBucketStore(() => now)
    const slow = { rate: 0.0056, burst: 20 }
    const fast = { rate: 0.56, burst: 20 }
    await store.reserve("k", slow, Infinity)
    expect(await store.peek("k", slow)).toBe(19)
    await store.rebase("k", slow, fast)
    expect(await store.peek("k", fast)).toBe(19)
    now += 1000 / 0.56
    expect(await store.peek("k", fast)).toBe(20)
    // and the other way: a slower rate keeps the same count in use
    await store.reserve("k", fast, Infinity)
    await store.rebase("k", fast, slow)
    expect(await store.peek("k", slow)).toBe(19)
  })

  describe("shared through Redis", () => {
    itWithRedis("two stores (two instances) share one bucket atomically", async () => {
      requireRedis()
      const { Redis } = await import("ioredis")
      const a = new Redis(REDIS_URL)
      const b = new Redis(REDIS_URL)
      const key = `test:${process.pid}:${Date.now()}`
      const sa = new RedisBucketStore(a, "jest:")
      const sb = new RedisBucketStore(b, "jest:")
      try {
        const lim = { rate: 1, burst: 4 }
        const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? sa : sb).reserve(key, lim, 0)))
        expect(results.filter((r) => r.granted)).toHaveLength(4)
        expect(await sa.peek(key, lim)).toBe(0)
        const queued = await sb.reserve(key, lim, 5_000)
        expect(queued.granted).toBe(true)
        expect(queued.waitMs).toBeGreaterThan(900)
      } finally {
        await sa.close()
        await sb.close()
      }
    })

    itWithRedis("rebase in Redis keeps the tokens in use, like the memory store", async () => {
      requireRedis()
      const { Redis } = await import("ioredis")
      const store = new RedisBucketStore(new Redis(REDIS_URL), "jest:")
      const key = `rebase:${process.pid}:${Date.now()}`
      try {
        const slow = { rate: 0.0056, burst: 20 }
        const fast = { rate: 0.56, burst: 20 }
        await store.reserve(key, slow, Infinity)
        await store.rebase(key, slow, fast)
        expect(await store.peek(key, fast)).toBe(19)
      } finally {
        await store.close()
      }
    })
  })
})
