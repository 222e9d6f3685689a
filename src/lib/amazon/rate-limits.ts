import { GENERATED_OPERATIONS, GeneratedOperationName } from "./generated/rate-limits"
import type { BucketLimits } from "./token-bucket"

/**
 * Default usage plans per operation. The numbers come from the usage-plan table in each operation of
 * Amazon's official models (generated into ./generated/rate-limits.ts), so they are data, not guesses.
 * A response's `x-amzn-RateLimit-Limit` header overrides the rate at run time (see http.ts).
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
