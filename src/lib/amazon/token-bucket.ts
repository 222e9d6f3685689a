/**
 * Amazon's usage plans are token buckets: `rate` tokens are added per second up to `burst`, and each
 * call spends one. We mirror that bucket on our side so that calls wait locally instead of earning 429s.
 *
 * The bucket is implemented as GCRA (the "virtual scheduling" form of a token bucket): one timestamp per
 * key, the theoretical arrival time (TAT). It is exact, needs no background refill, and a reservation
 * is a single atomic read-modify-write, which makes the Redis variant a 10-line Lua script.
 *
 * Why not rate-limiter-flexible: its limiters are fixed windows. A window of `burst` points admits up to
 * 2 × burst calls around a window edge (Amazon answers the excess with 429s); a window small enough to
 * stay inside Amazon's bucket wastes most of it (patchListingsItem, rate 5 burst 5, would run at 2/s).
 *
 * A caller *reserves* a slot and learns how long to wait for it, so concurrent callers queue in order
 * instead of polling and stampeding.
 */

export interface BucketLimits {
  /** tokens per second */
  rate: number
  /** bucket size */
  burst: number
}

export interface ReserveResult {
  /** ms to wait before the reserved call may be sent (0 = now) */
  waitMs: number
  /** false when the wait would exceed `maxWaitMs`: nothing was reserved */
  granted: boolean
}

export interface BucketStore {
  /** Atomically reserves one token for `key`, unless the wait would exceed `maxWaitMs`. */
  reserve(key: string, limits: BucketLimits, maxWaitMs: number): Promise<ReserveResult>
  /**
   * Amazon said the bucket is empty (a 429): push the key's schedule so the next call waits a full
   * refill interval. Never moves the schedule backwards.
   */
  drain(key: string, limits: BucketLimits): Promise<void>
  /** Tokens the local mirror thinks are left (for the admin's throttle display and tests). */
  peek(key: string, limits: BucketLimits): Promise<number>
  /**
   * The limits changed from `from` to `to` (Amazon announced another rate): the tokens in use stay in
   * use — the schedule ahead of now is rescaled to the new interval — and a schedule booked at an old,
   * slower rate never holds calls back longer than an empty bucket at the new rate would.
   */
  rebase(key: string, from: BucketLimits, to: BucketLimits): Promise<void>
  close?(): Promise<void>
}

/** Emission interval T (ms per token) and tolerance τ (how far ahead of now the schedule may run). */
function gcraParams({ rate, burst }: BucketLimits) {
  if (!(rate > 0) || !(burst >= 1)) {
    throw new Error(`Invalid bucket limits rate=${rate} burst=${burst}`)
  }
  const interval = 1000 / rate
  return { interval, tolerance: (Math.floor(burst) - 1) * interval }
}

/** Pure GCRA step, shared by the memory store and the tests. */
export function gcraReserve(
  tat: number | undefined,
  now: number,
  limits: BucketLimits,
  maxWaitMs: number
): { tat: number; waitMs: number; granted: boolean } {
  const { interval, tolerance } = gcraParams(limits)
  const current = Math.max(tat ?? now, now)
  const waitMs = Math.max(0, current - now - tolerance)
  if (waitMs > maxWaitMs) {
    return { tat: tat ?? now, waitMs, granted: false }
  }
  return { tat: current + interval, waitMs, granted: true }
}

/** The TAT after a change of limits: the same number of tokens in use, at most an empty bucket ahead. */
export function gcraRebase(tat: number, now: number, from: BucketLimits, to: BucketLimits): number {
  const old = gcraParams(from)
  const next = gcraParams(to)
  const ahead = Math.max(0, tat - now)
  return now + Math.min((ahead * next.interval) / old.interval, next.tolerance + next.interval)
}

export function gcraTokens(tat: number | undefined, now: number, limits: BucketLimits): number {
  const { interval, tolerance } = gcraParams(limits)
  const ahead = Math.max(0, (tat ?? now) - now)
  return Math.max(0, Math.floor((tolerance + interval - ahead) / interval))
}

export class MemoryBucketStore implements BucketStore {
  private readonly tats = new Map<string, number>()

  constructor(private readonly now: () => number = Date.now) {}

  async reserve(key: string, limits: BucketLimits, maxWaitMs: number): Promise<ReserveResult> {
    const r = gcraReserve(this.tats.get(key), this.now(), limits, maxWaitMs)
    if (r.granted) {
      this.tats.set(key, r.tat)
    }
    return { waitMs: r.waitMs, granted: r.granted }
  }

  async drain(key: string, limits: BucketLimits): Promise<void> {
    const { interval, tolerance } = gcraParams(limits)
    const drained = this.now() + tolerance + interval
    this.tats.set(key, Math.max(this.tats.get(key) ?? 0, drained))
  }

  async peek(key: string, limits: BucketLimits): Promise<number> {
    return gcraTokens(this.tats.get(key), this.now(), limits)
  }

  async rebase(key: string, from: BucketLimits, to: BucketLimits): Promise<void> {
    const tat = this.tats.get(key)
    if (tat !== undefined) {
      this.tats.set(key, gcraRebase(tat, this.now(), from, to))
    }
  }
}

/** The subset of ioredis the store needs, so lib/amazon does not depend on a Redis client at type level. */
export interface RedisLike {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>
  quit?(): Promise<unknown>
}

// Redis' own clock (TIME) is used so that several Medusa instances with skewed clocks share one schedule.
const RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - now - tolerance
if wait < 0 then wait = 0 end
if wait > maxWait then return {0, math.ceil(wait)} end
local nextTat = tat + interval
redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.ceil(nextTat - now + 1000))
return {1, math.ceil(wait)}
`

const DRAIN_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local drained = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if drained > tat then
  redis.call('SET', KEYS[1], tostring(drained), 'PX', math.ceil(drained - now + 1000))
end
return 1
`

const REBASE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldInterval = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local cap = tonumber(ARGV[2]) + tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if tat <= now then return 1 end
local ahead = (tat - now) * interval / oldInterval
if ahead > cap then ahead = cap end
redis.call('SET', KEYS[1], tostring(now + ahead), 'PX', math.ceil(ahead + 1000))
return 1
`

const PEEK_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = redis.call('GET', KEYS[1])
if not tat then return {now, now} end
return {now, tonumber(tat)}
`

/** Shares each bucket across processes (several Medusa instances of one store). */
export class RedisBucketStore implements BucketStore {
  constructor(private readonly redis: RedisLike, private readonly prefix = "amazon:sp-api:bucket:") {}

  async reserve(key: string, limits: BucketLimits, maxWaitMs: number): Promise<ReserveResult> {
    const { interval, tolerance } = gcraParams(limits)
    const res = (await this.redis.eval(
      RESERVE_LUA,
      1,
      this.prefix + key,
      interval,
      tolerance,
      Number.isFinite(maxWaitMs) ? maxWaitMs : 1e15
    )) as [number, number]
    return { granted: Number(res[0]) === 1, waitMs: Number(res[1]) }
  }

  async drain(key: string, limits: BucketLimits): Promise<void> {
    const { interval, tolerance } = gcraParams(limits)
    await this.redis.eval(DRAIN_LUA, 1, this.prefix + key, interval, tolerance)
  }

  async peek(key: string, limits: BucketLimits): Promise<number> {
    const [now, tat] = (await this.redis.eval(PEEK_LUA, 1, this.prefix + key)) as [number, number]
    return gcraTokens(Number(tat), Number(now), limits)
  }

  async rebase(key: string, from: BucketLimits, to: BucketLimits): Promise<void> {
    const old = gcraParams(from)
    const { interval, tolerance } = gcraParams(to)
    await this.redis.eval(REBASE_LUA, 1, this.prefix + key, old.interval, interval, tolerance)
  }

  async close(): Promise<void> {
    await this.redis.quit?.()
  }
}
