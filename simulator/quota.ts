/**
 * Amazon's usage plans: one token bucket per (selling partner, operation). A request spends one token; an
 * empty bucket means 429 QuotaExceeded and costs nothing. Buckets start full and refill at `rate` tokens per
 * simulated second, so the clock's time scale speeds refills up too.
 *
 * JSON_LISTINGS_FEED also has its own quota (5 submissions per 5 minutes per region, on top of createFeed's
 * bucket); that one is a sliding window.
 */
import type { SimClock } from "./clock"
import { defaultUsagePlan, type OperationKey, type UsagePlan } from "./operations"

interface Bucket {
  tokens: number
  updatedAt: number
}

export interface WindowQuota {
  limit: number
  windowMs: number
}

/** [D:changelog/update-feed-size-and-rate-limit-changes-for-the-json_listings_feed] */
export const JSON_LISTINGS_FEED_QUOTA: WindowQuota = { limit: 5, windowMs: 5 * 60_000 }

export class QuotaManager {
  private buckets = new Map<string, Bucket>()
  private windows = new Map<string, number[]>()
  private overrides = new Map<OperationKey, UsagePlan>()

  constructor(private readonly clock: SimClock) {}

  plan(operation: OperationKey): UsagePlan {
    return this.overrides.get(operation) ?? defaultUsagePlan(operation)
  }

  /** Give an operation another usage plan (Amazon grants some sellers higher limits). Resets its buckets. */
  setPlan(operation: OperationKey, plan: UsagePlan): void {
    if (!(plan.rate > 0) || !(plan.burst >= 1)) {
      throw new RangeError(`a usage plan needs rate > 0 and burst >= 1, got ${JSON.stringify(plan)}`)
    }
    this.overrides.set(operation, plan)
    for (const key of [...this.buckets.keys()]) {
      if (key.endsWith(`|${operation}`)) this.buckets.delete(key)
    }
  }

  /** Spend one token. Returns false (and spends nothing) when the bucket is empty. */
  tryTake(sellerId: string, operation: OperationKey): boolean {
    const bucket = this.refilled(sellerId, operation)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  /** Tokens left right now (fractional while refilling). */
  available(sellerId: string, operation: OperationKey): number {
    return this.refilled(sellerId, operation).tokens
  }

  /** Record one use in a sliding-window quota. Returns false when the window is already full. */
  tryWindow(key: string, quota: WindowQuota): boolean {
    const now = this.clock.now()
    const recent = (this.windows.get(key) ?? []).filter((at) => at > now - quota.windowMs)
    if (recent.length >= quota.limit) {
      this.windows.set(key, recent)
      return false
    }
    recent.push(now)
    this.windows.set(key, recent)
    return true
  }

  /** Fill every bucket and forget every window (the plans stay). */
  refillAll(): void {
    this.buckets.clear()
    this.windows.clear()
  }

  reset(): void {
    this.refillAll()
    this.overrides.clear()
  }

  private refilled(sellerId: string, operation: OperationKey): Bucket {
    const { rate, burst } = this.plan(operation)
    const key = `${sellerId}|${operation}`
    const now = this.clock.now()
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = { tokens: burst, updatedAt: now }
      this.buckets.set(key, bucket)
      return bucket
    }
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * rate)
    bucket.updatedAt = now
    return bucket
  }
}

/** The `x-amzn-RateLimit-Limit` header value: the rate, as Amazon prints it (`0.0056`, `2.0`). */
export function formatRate(rate: number): string {
  const r = Number(rate.toPrecision(6)) // 0.0056 × 10 must print 0.056, not 0.05599999999999999
  return Number.isInteger(r) ? r.toFixed(1) : String(r)
}
