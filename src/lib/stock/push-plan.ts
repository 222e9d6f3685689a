/**
 * Decides, per listing, whether a computed quantity goes to Amazon and by which route: the synchronous
 * patchListingsItem (few, urgent) or the JSON_LISTINGS_FEED (bulk). Pure, so the rules are unit-tested.
 * The feed quota policy (which feed may go now, which waits) is Amazon's, per feed type: feeds/feed-quota.ts.
 */
import { FeedQuotaState, feedHoldMs, JSON_LISTINGS_FEED_SUBMISSIONS } from "../amazon/feeds/feed-quota"

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
  const holdMs = feedHoldMs(settings.feeds, rest.length, JSON_LISTINGS_FEED_SUBMISSIONS)
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
