/**
 * Watermark arithmetic of the FBA stock stream. Pure: "now" is passed in.
 */

/**
 * Amazon refuses a startDateTime older than 18 months (FACTS §8). A watermark that old (a store that
 * was switched off for a long time) means a full scan instead; 540 days keeps a margin under 18 months.
 */
export const FBA_MAX_LOOKBACK_MS = 540 * 24 * 3_600_000

/**
 * Subtracted from the watermark when asking Amazon. Covers clock skew between the store and Amazon and
 * Amazon's whole-second timestamps; re-reading a few minutes of changes costs a few snapshots, which are
 * idempotent.
 */
export const FBA_DEFAULT_OVERLAP_MS = 5 * 60_000

/** Amazon's ISO 8601 form at whole seconds, e.g. `2026-01-02T03:04:05Z`. */
export function toAmazonSecondIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z")
}

/**
 * The startDateTime of an incremental pass, or undefined when the pass must be a full scan (no
 * watermark yet, or one too old for Amazon).
 */
export function incrementalStartDateTime(
  watermark: Date | string | null | undefined,
  now: Date,
  overlapMs: number = FBA_DEFAULT_OVERLAP_MS
): string | undefined {
  if (watermark === null || watermark === undefined) {
    return undefined
  }
  const ms = new Date(watermark).getTime()
  if (!Number.isFinite(ms)) {
    return undefined
  }
  const start = ms - Math.max(0, overlapMs)
  if (start < now.getTime() - FBA_MAX_LOOKBACK_MS) {
    return undefined
  }
  // Floor to the second: Amazon compares whole-second lastUpdatedTime values against it.
  return toAmazonSecondIso(start)
}
