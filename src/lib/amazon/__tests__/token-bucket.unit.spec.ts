import net from "node:net"
import { gcraReserve, gcraTokens, MemoryBucketStore, RedisBucketStore } from "../token-bucket"

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
    let redisUp = false
    beforeAll(async () => {
      redisUp = await new Promise<boolean>((resolve) => {
        const s = net.connect({ host: "127.0.0.1", port: 6379 })
        s.once("connect", () => (s.destroy(), resolve(true)))
        s.once("error", () => resolve(false))
        s.setTimeout(500, () => (s.destroy(), resolve(false)))
      })
    })

    it("two stores (two instances) share one bucket atomically", async () => {
      if (!redisUp) {
        // No Redis on this machine: the memory store above covers the algorithm; the Lua path needs a server.
        process.stderr.write("token-bucket: Redis not reachable on 127.0.0.1:6379, Redis store test not run\n")
        return
      }
      const { Redis } = await import("ioredis")
      const a = new Redis("redis://127.0.0.1:6379")
      const b = new Redis("redis://127.0.0.1:6379")
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

    it("rebase in Redis keeps the tokens in use, like the memory store", async () => {
      if (!redisUp) {
        process.stderr.write("token-bucket: Redis not reachable on 127.0.0.1:6379, Redis rebase test not run\n")
        return
      }
      const { Redis } = await import("ioredis")
      const store = new RedisBucketStore(new Redis("redis://127.0.0.1:6379"), "jest:")
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
