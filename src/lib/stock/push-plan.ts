/**
 * Decides, per listing, whether a computed quantity goes to Amazon and by which door: the synchronous
 * patchListingsItem (few, urgent) or the JSON_LISTINGS_FEED (bulk). Pure, so the rules are unit-tested.
 */

export interface PushCandidate {
  listing_id: string
  account_id: string
  marketplace_id: string
  seller_sku: string
  product_type: string
  /** What Amazon should show now (after rules). */
  quantity: number
  last_accepted_quantity: number | null
  last_sent_quantity: number | null
  push_status: "idle" | "pending" | "accepted" | "error"
  /** The listing is in a feed Amazon has not finished. */
  pending_feed_id: string | null
  /** The outbox row asked for priority (e.g. an order took the last unit). */
  urgent: boolean
}

export interface PushPlanSettings {
  /** At most this many patchListingsItem calls per account and run. */
  maxPatches: number
  /** A quantity at or below this (going out of stock) is urgent. */
  urgentAtOrBelow: number
  /** The account's recent JSON_LISTINGS_FEED submissions, to spread the feed quota (see feedHoldMs). */
  feeds?: FeedQuotaState
}

/** What the account has spent of its JSON_LISTINGS_FEED quota (5 per 5 minutes). */
export interface FeedQuotaState {
  now: number
  /** Feeds submitted in the last 5 minutes. */
  recent: number
  /** When the newest of them was submitted (ms), or null. */
  last_submitted_at: number | null
}

/** Amazon's JSON_LISTINGS_FEED quota: 5 submissions per 5 minutes per seller and region (FACTS.md §3). */
export const FEED_QUOTA = { submissions: 5, windowMs: 5 * 60_000 }
/** Feeds in a window that go out without waiting: enough for a reconcile or a retry round. */
export const FEED_FREE_SUBMISSIONS = 3
/** Wait after the last feed, per feed beyond the free ones. */
export const FEED_SPACING_MS = 45_000
/** A feed this big is worth its quota slot at once (a reconcile, a stock take): never held. */
export const FEED_HOLD_MAX_MESSAGES = 1_000

/**
 * How long a small feed should still wait so that the 5-per-5-minutes quota is spread out instead of
 * spent in the first seconds of a stream of changes. Amazon counts a sliding window: five small feeds
 * sent 2 s apart would leave every later change waiting up to five minutes for the oldest to age out.
 * The first three feeds of a window go at once; after that, each waits 45 s per extra feed since the
 * last one (4th: 45 s, 5th: 90 s), which keeps a steady stream at about a feed a minute and its
 * changes' lag under two minutes. 0 = send now.
 */
export function feedHoldMs(state: FeedQuotaState | undefined, messages: number): number {
  if (!state || messages >= FEED_HOLD_MAX_MESSAGES || state.recent < FEED_FREE_SUBMISSIONS || state.last_submitted_at === null) {
    return 0
  }
  const spacing = (state.recent - FEED_FREE_SUBMISSIONS + 1) * FEED_SPACING_MS
  return Math.max(0, state.last_submitted_at + spacing - state.now)
}

export type SkipReason =
  /** Amazon already accepted exactly this quantity. */
  | "unchanged"
  /** A feed carrying exactly this quantity is still being processed. */
  | "in_flight"

export interface PushPlan {
  skip: { candidate: PushCandidate; reason: SkipReason }[]
  patch: PushCandidate[]
  feed: PushCandidate[]
  /** Changes that wait for a later run (the feed quota is being spread out): they stay queued. */
  hold: PushCandidate[]
  /** How long `hold` waits at most, ms (0 when nothing is held). */
  hold_ms: number
}

export function isUrgent(c: PushCandidate, settings: PushPlanSettings): boolean {
  if (c.urgent) {
    return true
  }
  // Going (or staying) out of stock is what oversells: Amazon keeps selling until it learns.
  const before = c.last_accepted_quantity
  return c.quantity <= settings.urgentAtOrBelow && (before === null || before > settings.urgentAtOrBelow)
}

/** Plans one account's run. Candidates of other accounts must be planned separately. */
export function planStockPush(candidates: PushCandidate[], settings: PushPlanSettings): PushPlan {
  const plan: PushPlan = { skip: [], patch: [], feed: [], hold: [], hold_ms: 0 }
  const send: PushCandidate[] = []
  for (const c of candidates) {
    if (c.pending_feed_id) {
      if (c.last_sent_quantity === c.quantity) {
        plan.skip.push({ candidate: c, reason: "in_flight" })
        continue
      }
    } else if (c.last_accepted_quantity === c.quantity) {
      plan.skip.push({ candidate: c, reason: "unchanged" })
      continue
    }
    send.push(c)
  }

  // A SKU that is in an unfinished feed must go out in a feed again: Amazon runs a seller's feeds in
  // order, so a newer feed wins, whereas a patch sent now would be overwritten by the older feed later.
  const patchable = send.filter((c) => !c.pending_feed_id)
  const mustFeed = send.filter((c) => c.pending_feed_id)
  if (send.length <= settings.maxPatches && mustFeed.length === 0) {
    // A small batch: patches are applied at once and cost no feed quota (5 feeds per 5 minutes).
    plan.patch = patchable
    return plan
  }
  const urgent = patchable.filter((c) => isUrgent(c, settings))
  // Lowest quantities first: a SKU reaching 0 matters more than one going from 3 to 2.
  urgent.sort((a, b) => a.quantity - b.quantity)
  plan.patch = urgent.slice(0, settings.maxPatches)
  let patched = new Set(plan.patch.map((c) => c.listing_id))
  const rest = [...patchable.filter((c) => !patched.has(c.listing_id)), ...mustFeed]
  const holdMs = feedHoldMs(settings.feeds, rest.length)
  if (holdMs === 0) {
    plan.feed = rest
    return plan
  }
  // The feed waits: meanwhile the run's unused patch budget takes the oldest waiting changes (the
  // candidates come oldest first), which Amazon applies at once.
  const spare = patchable.filter((c) => !patched.has(c.listing_id)).slice(0, Math.max(0, settings.maxPatches - plan.patch.length))
  plan.patch.push(...spare)
  patched = new Set(plan.patch.map((c) => c.listing_id))
  plan.hold = rest.filter((c) => !patched.has(c.listing_id))
  plan.hold_ms = plan.hold.length ? holdMs : 0
  return plan
}

/** Exponential backoff for retryable rejections: 1, 2, 4 … minutes, capped at one hour. */
export function retryDelayMs(retryCount: number, baseMs = 60_000, capMs = 3_600_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, retryCount - 1))
}

/** Retries of one SKU before its error stays for a person to look at. */
export const MAX_PUSH_RETRIES = 6
