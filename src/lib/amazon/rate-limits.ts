import { GENERATED_OPERATIONS, GeneratedOperationName } from "./generated/rate-limits"
import type { BucketLimits } from "./token-bucket"

/**
 * Default usage plans per operation. The numbers come from the usage-plan table in each operation of
 * Amazon's official models (generated into ./generated/rate-limits.ts), so they are data, not guesses.
 * A response's `x-amzn-RateLimit-Limit` header overrides the rate at run time (see http.ts), for the
 * bucket it belongs to (attributeRateHeader below).
 */
export type OperationName = GeneratedOperationName

export const OPERATIONS = GENERATED_OPERATIONS

/**
 * JSON_LISTINGS_FEED has a quota of its own on top of createFeed's: 5 submissions per 5 minutes per
 * region (raised from 1 per 5 minutes on 2025-05-06). FACTS.md §3.
 */
export const JSON_LISTINGS_FEED_QUOTA: BucketLimits = { rate: 5 / 300, burst: 5 }

export function defaultLimits(operation: OperationName): BucketLimits {
  const op = OPERATIONS[operation]
  return { rate: op.rate, burst: op.burst }
}

/**
 * Buckets are per selling partner + application on Amazon's side; we key them per seller and operation
 * (one application per store). The feed-type quota is per region.
 */
export function bucketKey(sellerId: string, operation: string): string {
  return `${sellerId}:${operation}`
}

export function feedTypeBucketKey(sellerId: string, region: string, feedType: string): string {
  return `${sellerId}:${region}:feedType:${feedType}`
}

/** Parses `x-amzn-RateLimit-Limit` ("2.0", "0.0055"). Returns undefined for absent or nonsense values. */
export function parseRateLimitHeader(value: string | null | undefined): number | undefined {
  if (!value) {
    return undefined
  }
  const n = Number(value.trim())
  return Number.isFinite(n) && n > 0 ? n : undefined
}

/**
 * Operations whose 429s may come from a quota other than the operation's own usage plan. createFeed is
 * limited per feed type too (JSON_LISTINGS_FEED: 5 per 5 minutes, FACTS.md §3), and a throttled createFeed
 * does not say which bucket answered, so its x-amzn-RateLimit-Limit is only taken as createFeed's own rate
 * from a successful call.
 */
export const SHARED_THROTTLE_OPERATIONS: ReadonlySet<string> = new Set<OperationName>(["feeds-2021-06-30.createFeed"])

/**
 * Whether two rates are the same plan as Amazon prints them: the header is rounded (5/300 prints as
 * 0.0167, 1/120 as 0.0083), so a 2 % tolerance, far below the gap between any two plans that matter here.
 */
export function sameRate(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.02 * Math.max(a, b)
}

export interface RateHeaderContext {
  operation: OperationName
  /** The rate Amazon's model documents for the operation. */
  documented: number
  /** The rate the client applies now: the documented one, or one learned earlier. */
  current: number
  /** Whether the response was a success (2xx): then the header is the rate applied to this operation. */
  ok: boolean
  /** The other buckets the request spent (a feed type's quota), with their documented rates. */
  extraBuckets: readonly { key: string; rate: number }[]
  /** A lower rate an earlier throttled answer of this operation announced, still unconfirmed. */
  pending?: number
}

export type RateHeaderAttribution =
  /** The header is the operation's own rate: learn it. */
  | { to: "operation"; rate: number }
  /** The header is the rate of another bucket the request spent (a feed type's quota), not the operation's. */
  | { to: "extra-bucket"; key: string; rate: number }
  /** A throttled answer announced a rate below the documented plan: remember it, learn it only when confirmed. */
  | { to: "pending"; rate: number }
  /** Nothing to learn: the rate is the one applied already, or it cannot be told whose rate it is. */
  | { to: "none"; reason: "unchanged" | "other-quota" }

/**
 * Decides whose rate an `x-amzn-RateLimit-Limit` header gives. Amazon sends it "when available", and a
 * request can spend more than one bucket, so the header is not always the operation's own plan:
 * 1. equal to the documented rate of another bucket the request spent (and not the operation's): that bucket's;
 * 2. equal to the rate applied now: nothing changes;
 * 3. on a success: the operation's rate (the plan that let this call through), higher or lower;
 * 4. on a throttled/failed answer of an operation with other quotas (createFeed): not learned (it may be any);
 * 5. on a throttled/failed answer, at or above the documented plan: the operation's rate;
 * 6. on a throttled/failed answer, below the documented plan: learned only when a second answer says the
 *    same (a 429 from another quota must not slow the operation down for good on one sighting).
 */
export function attributeRateHeader(header: number, ctx: RateHeaderContext): RateHeaderAttribution {
  const extra = ctx.extraBuckets.find((b) => sameRate(header, b.rate))
  if (extra && !sameRate(header, ctx.documented)) {
    return { to: "extra-bucket", key: extra.key, rate: header }
  }
  if (Math.abs(header - ctx.current) <= 1e-9) {
    return { to: "none", reason: "unchanged" }
  }
  if (ctx.ok) {
    return { to: "operation", rate: header }
  }
  if (SHARED_THROTTLE_OPERATIONS.has(ctx.operation)) {
    return { to: "none", reason: "other-quota" }
  }
  if (header >= ctx.documented || sameRate(header, ctx.documented)) {
    return { to: "operation", rate: header }
  }
  if (ctx.pending !== undefined && Math.abs(ctx.pending - header) <= 1e-9) {
    return { to: "operation", rate: header }
  }
  return { to: "pending", rate: header }
}
