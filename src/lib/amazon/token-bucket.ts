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
 *
 * Amazon's bucket refills from when a call *arrives*, ours from when it is sent; calls do not all take
 * equally long to get there. `BucketLimits.arrivalJitterMs` keeps the mirror behind Amazon's bucket anyway
 * (gcraReserveGuarded): two timestamps instead of one, same atomic step.
 */

export interface BucketLimits {
  /** tokens per second */
  rate: number
  /** bucket size */
  burst: number
  /**
   * How much later than its send a call may reach Amazon, compared with another call (network jitter, a new
   * TLS connection for the first call of a pass). Amazon's bucket restarts its refill when a call finds it
   * full, at that call's *arrival*; a mirror that restarts at the send can run up to this much ahead of it,
   * and the first call paced by the refill would arrive early and earn a 429. See {@link gcraReserveGuarded}.
   * Never more than the burst's tolerance ((burst - 1) / rate), so it cannot lower the sustained rate. Default 0.
   */
  arrivalJitterMs?: number
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

/**
 * The arrival-jitter guard applied to a bucket: capped at the burst's tolerance, so that steady pacing at
 * `rate` always absorbs it (the guard then delays one call per busy period, never the rate).
 */
export function jitterGuardMs(limits: BucketLimits): number {
  const { tolerance } = gcraParams(limits)
  const jitter = limits.arrivalJitterMs ?? 0
  return Number.isFinite(jitter) && jitter > 0 ? Math.min(jitter, tolerance) : 0
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

/**
 * One bucket's mirror with the arrival-jitter guard: two schedules and the moment Amazon's refill may
 * have restarted by.
 */
export interface GuardedGcraState {
  /**
   * The TAT if Amazon's refill restarted as late as it may have: `arrivalJitterMs` after the send of each
   * call that may have found Amazon's bucket full. It paces every call whose token comes from that refill.
   */
  tat: number
  /**
   * The TAT if the refill restarted at the send itself. It paces the calls that spend tokens which were
   * already in the bucket when the refill restarted (the rest of a burst), so a burst still goes out at once.
   */
  early: number
  /** The latest moment Amazon's refill may have restarted (send + guard of the last such call), or -Infinity. */
  restartBy: number
}

function guardedReadyAt(state: GuardedGcraState | undefined, tolerance: number): number {
  if (!state) {
    return -Infinity
  }
  const late = state.tat - tolerance
  // A token the late schedule would grant before the restart was in the bucket already: the early schedule paces it.
  return late <= state.restartBy ? state.early - tolerance : late
}

/**
 * GCRA that stays behind Amazon's bucket despite network jitter (the plain {@link gcraReserve} when
 * `arrivalJitterMs` is 0).
 *
 * Why: Amazon's bucket is full until a call *arrives*; its refill runs from that arrival. Our mirror sees
 * the send. When the first call of a pass reaches Amazon 40 ms later than the third (a new TLS connection
 * against a kept-alive one), a third call sent exactly one interval after the first arrives 40 ms before
 * Amazon has a token for it: getInventorySummaries (2/s, burst 2) earned 429s that way, which a
 * proportional margin (3 % = 15 ms) did not cover. So a call that may find Amazon's bucket full moves the
 * schedule of the refill-paced calls `guard` ms later ({@link GuardedGcraState.tat}); the tokens already in
 * the bucket keep the unshifted schedule ({@link GuardedGcraState.early}). Throughput is unchanged: the
 * shift is paid once per busy period, and in steady pacing no call finds the bucket full.
 */
export function gcraReserveGuarded(
  state: GuardedGcraState | undefined,
  now: number,
  limits: BucketLimits,
  maxWaitMs: number
): { state: GuardedGcraState | undefined; waitMs: number; granted: boolean } {
  const { interval, tolerance } = gcraParams(limits)
  const guard = jitterGuardMs(limits)
  const waitMs = Math.max(0, guardedReadyAt(state, tolerance) - now)
  if (waitMs > maxWaitMs) {
    return { state, waitMs, granted: false }
  }
  const send = now + waitMs
  if (!state || state.early <= send + guard) {
    // Amazon's bucket may be full when this call arrives, anywhere up to `guard` after the send.
    const base = state?.tat ?? -Infinity
    return {
      state: { tat: Math.max(base, send + guard) + interval, early: Math.max(base, send) + interval, restartBy: send + guard },
      waitMs,
      granted: true,
    }
  }
  return {
    state: { tat: Math.max(state.tat, send) + interval, early: Math.max(state.early, send) + interval, restartBy: state.restartBy },
    waitMs,
    granted: true,
  }
}

/** Tokens the guarded mirror holds at `now` (the same rule as its reservations). */
export function gcraGuardedTokens(state: GuardedGcraState | undefined, now: number, limits: BucketLimits): number {
  if (!state) {
    return gcraTokens(undefined, now, limits)
  }
  return Math.min(gcraTokens(state.early, now, limits), gcraTokens(state.tat, Math.max(now, state.restartBy), limits))
}

/**
 * After a 429: Amazon's bucket was empty when that call arrived, before `now`. Its refill runs on without a
 * restart, so both schedules become the drained one and no restart is pending.
 */
export function gcraGuardedDrain(state: GuardedGcraState | undefined, now: number, limits: BucketLimits): GuardedGcraState {
  const { interval, tolerance } = gcraParams(limits)
  const drained = now + tolerance + interval
  return { tat: Math.max(state?.tat ?? 0, drained), early: Math.max(state?.early ?? 0, drained), restartBy: -Infinity }
}

export function gcraGuardedRebase(state: GuardedGcraState, now: number, from: BucketLimits, to: BucketLimits): GuardedGcraState {
  return { tat: gcraRebase(state.tat, now, from, to), early: gcraRebase(state.early, now, from, to), restartBy: state.restartBy }
}

export class MemoryBucketStore implements BucketStore {
  private readonly states = new Map<string, GuardedGcraState>()

  constructor(private readonly now: () => number = Date.now) {}

  async reserve(key: string, limits: BucketLimits, maxWaitMs: number): Promise<ReserveResult> {
    const r = gcraReserveGuarded(this.states.get(key), this.now(), limits, maxWaitMs)
    if (r.granted && r.state) {
      this.states.set(key, r.state)
    }
    return { waitMs: r.waitMs, granted: r.granted }
  }

  async drain(key: string, limits: BucketLimits): Promise<void> {
    this.states.set(key, gcraGuardedDrain(this.states.get(key), this.now(), limits))
  }

  async peek(key: string, limits: BucketLimits): Promise<number> {
    return gcraGuardedTokens(this.states.get(key), this.now(), limits)
  }

  async rebase(key: string, from: BucketLimits, to: BucketLimits): Promise<void> {
    const state = this.states.get(key)
    if (state !== undefined) {
      this.states.set(key, gcraGuardedRebase(state, this.now(), from, to))
    }
  }
}

/** The subset of ioredis the store needs, so lib/amazon does not depend on a Redis client at type level. */
export interface RedisLike {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>
  quit?(): Promise<unknown>
}

// Redis' own clock (TIME) is used so that several Medusa instances with skewed clocks share one schedule.
// KEYS[1] holds the late schedule (`tat`) as a plain number, as before the guard existed: the conservative
// schedule. KEYS[2] holds "early restartBy"; without it (a bucket written before the guard) both schedules
// are the TAT and no restart is pending, which errs on the safe side. The Lua mirrors the TypeScript above.
const READ_STATE_LUA = `
local function readState(tatKey, auxKey)
  local tat = tonumber(redis.call('GET', tatKey))
  if not tat then return nil, nil, nil end
  local early, restartBy = tat, 0
  local aux = redis.call('GET', auxKey)
  if aux then
    local e, r = string.match(aux, '^(%S+) (%S+)$')
    e = tonumber(e)
    r = tonumber(r)
    if e and r and e <= tat then
      early = e
      restartBy = r
    end
  end
  return tat, early, restartBy
end
local function writeState(tatKey, auxKey, now, tat, early, restartBy)
  local ttl = math.ceil(tat - now + 1000)
  if ttl < 1000 then ttl = 1000 end
  redis.call('SET', tatKey, tostring(tat), 'PX', ttl)
  redis.call('SET', auxKey, tostring(early) .. ' ' .. tostring(restartBy), 'PX', ttl)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

const RESERVE_LUA = `${READ_STATE_LUA}
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local guard = tonumber(ARGV[4])
local tat, early, restartBy = readState(KEYS[1], KEYS[2])
local wait = 0
if tat then
  local readyAt = tat - tolerance
  if readyAt <= restartBy then readyAt = early - tolerance end
  wait = readyAt - now
  if wait < 0 then wait = 0 end
end
if wait > maxWait then return {0, math.ceil(wait)} end
local send = now + wait
if (not tat) or early <= send + guard then
  local base = tat or send
  writeState(KEYS[1], KEYS[2], now, math.max(base, send + guard) + interval, math.max(base, send) + interval, send + guard)
else
  writeState(KEYS[1], KEYS[2], now, math.max(tat, send) + interval, math.max(early, send) + interval, restartBy)
end
return {1, math.ceil(wait)}
`

const DRAIN_LUA = `${READ_STATE_LUA}
local drained = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local tat, early = readState(KEYS[1], KEYS[2])
writeState(KEYS[1], KEYS[2], now, math.max(tat or 0, drained), math.max(early or 0, drained), 0)
return 1
`

const REBASE_LUA = `${READ_STATE_LUA}
local oldInterval = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local cap = tonumber(ARGV[2]) + tonumber(ARGV[3])
local function rescale(at)
  if at <= now then return at end
  local ahead = (at - now) * interval / oldInterval
  if ahead > cap then ahead = cap end
  return now + ahead
end
local tat, early, restartBy = readState(KEYS[1], KEYS[2])
if (not tat) or tat <= now then return 1 end
writeState(KEYS[1], KEYS[2], now, rescale(tat), rescale(early), restartBy)
return 1
`

const PEEK_LUA = `${READ_STATE_LUA}
local tat, early, restartBy = readState(KEYS[1], KEYS[2])
if not tat then return {tostring(now)} end
return {tostring(now), tostring(tat), tostring(early), tostring(restartBy)}
`

/** Shares each bucket across processes (several Medusa instances of one store). */
export class RedisBucketStore implements BucketStore {
  constructor(private readonly redis: RedisLike, private readonly prefix = "amazon:sp-api:bucket:") {}

  /** The schedule's key (a plain number, as before the guard) and its companion "early restartBy" key. */
  private keys(key: string): [string, string] {
    return [this.prefix + key, `${this.prefix}${key}:early`]
  }

  async reserve(key: string, limits: BucketLimits, maxWaitMs: number): Promise<ReserveResult> {
    const { interval, tolerance } = gcraParams(limits)
    const res = (await this.redis.eval(
      RESERVE_LUA,
      2,
      ...this.keys(key),
      interval,
      tolerance,
      Number.isFinite(maxWaitMs) ? maxWaitMs : 1e15,
      jitterGuardMs(limits)
    )) as [number, number]
    return { granted: Number(res[0]) === 1, waitMs: Number(res[1]) }
  }

  async drain(key: string, limits: BucketLimits): Promise<void> {
    const { interval, tolerance } = gcraParams(limits)
    await this.redis.eval(DRAIN_LUA, 2, ...this.keys(key), interval, tolerance)
  }

  async peek(key: string, limits: BucketLimits): Promise<number> {
    // Numbers travel as strings: Redis would truncate a Lua number reply to an integer.
    const res = ((await this.redis.eval(PEEK_LUA, 2, ...this.keys(key))) as string[]).map(Number)
    const [now, tat, early, restartBy] = res
    return gcraGuardedTokens(tat === undefined ? undefined : { tat, early, restartBy }, now, limits)
  }

  async rebase(key: string, from: BucketLimits, to: BucketLimits): Promise<void> {
    const old = gcraParams(from)
    const { interval, tolerance } = gcraParams(to)
    await this.redis.eval(REBASE_LUA, 2, ...this.keys(key), old.interval, interval, tolerance)
  }

  async close(): Promise<void> {
    await this.redis.quit?.()
  }
}
