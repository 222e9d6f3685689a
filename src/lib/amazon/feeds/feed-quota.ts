/**
 * Amazon's per-feed-type submission quotas, and how we spread them. Pure: the caller passes in what it
 * has already spent (counted from its own feed rows, which survive restarts and are shared by every
 * instance) and "now".
 *
 * Only feed types with a quota of their own on top of createFeed's bucket are listed. Amazon documents
 * one: JSON_LISTINGS_FEED (FACTS.md §3). The XML order feeds (POST_ORDER_ACKNOWLEDGEMENT_DATA,
 * POST_ORDER_FULFILLMENT_DATA) have no documented feed-type quota, so they are limited by createFeed's
 * bucket alone (the SP-API client's; see SpApiClient.feedTypeBucket) and `feedTypeQuota` returns undefined for them.
 */

export interface FeedTypeQuota {
  /** Submissions Amazon allows per window, per seller and region. */
  submissions: number
  /** The window, ms. Amazon counts it sliding: a submission frees its slot `windowMs` after it was sent. */
  windowMs: number
  /** Feeds in a window that go out without waiting: enough for a reconcile or a retry round. */
  freeSubmissions: number
  /** Wait after the last feed, per feed beyond the free ones. */
  spacingMs: number
  /** A feed this big is worth its quota slot at once (a reconcile, a stock take): never held. */
  holdMaxMessages: number
}

/** Amazon's JSON_LISTINGS_FEED quota: 5 submissions per 5 minutes per seller and region (FACTS.md §3). */
export const FEED_QUOTA = { submissions: 5, windowMs: 5 * 60_000 }
/** Feeds in a window that go out without waiting: enough for a reconcile or a retry round. */
export const FEED_FREE_SUBMISSIONS = 3
/** Wait after the last feed, per feed beyond the free ones. */
export const FEED_SPACING_MS = 45_000
/** A feed this big is worth its quota slot at once (a reconcile, a stock take): never held. */
export const FEED_HOLD_MAX_MESSAGES = 1_000

export const JSON_LISTINGS_FEED_SUBMISSIONS: FeedTypeQuota = {
  ...FEED_QUOTA,
  freeSubmissions: FEED_FREE_SUBMISSIONS,
  spacingMs: FEED_SPACING_MS,
  holdMaxMessages: FEED_HOLD_MAX_MESSAGES,
}

const FEED_TYPE_QUOTAS: Readonly<Record<string, FeedTypeQuota>> = {
  JSON_LISTINGS_FEED: JSON_LISTINGS_FEED_SUBMISSIONS,
}

/** The feed type's own quota, or undefined when only createFeed's bucket limits it. */
export function feedTypeQuota(feedType: string): FeedTypeQuota | undefined {
  return FEED_TYPE_QUOTAS[feedType]
}

/** What an account has spent of a feed type's quota. */
export interface FeedQuotaState {
  now: number
  /** Feeds submitted in the last window. */
  recent: number
  /** When the newest of them was submitted (ms), or null. */
  last_submitted_at: number | null
}

/** Submissions still allowed in the current window (0 when the quota is used up). */
export function feedSubmissionsLeft(quota: Pick<FeedTypeQuota, "submissions">, recent: number): number {
  return Math.max(0, quota.submissions - recent)
}

/**
 * How long a small feed should still wait so that the 5-per-5-minutes quota is spread out instead of
 * spent in the first seconds of a stream of changes. Amazon counts a sliding window: five small feeds
 * sent 2 s apart would leave every later change waiting up to five minutes for the oldest to age out.
 * The first three feeds of a window go at once; after that, each waits 45 s per extra feed since the
 * last one (4th: 45 s, 5th: 90 s), which keeps a steady stream at about a feed a minute and its
 * changes' lag under two minutes. 0 = send now.
 */
export function feedHoldMs(
  state: FeedQuotaState | undefined,
  messages: number,
  quota: FeedTypeQuota = JSON_LISTINGS_FEED_SUBMISSIONS
): number {
  if (!state || messages >= quota.holdMaxMessages || state.recent < quota.freeSubmissions || state.last_submitted_at === null) {
    return 0
  }
  const spacing = (state.recent - quota.freeSubmissions + 1) * quota.spacingMs
  return Math.max(0, state.last_submitted_at + spacing - state.now)
}
