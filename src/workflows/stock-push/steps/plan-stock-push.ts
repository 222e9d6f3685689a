import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { FEED_QUOTA, FeedQuotaState } from "../../../lib/amazon/feeds/feed-quota"
import { planStockPush, SkipReason } from "../../../lib/stock/push-plan"
import type { ComputedCandidate, ComputeListingQuantitiesStepOutput } from "./compute-listing-quantities"
import { groupBy } from "../utils/stock-queries"
import { fromColumns } from "../utils/columns"

export const planStockPushStepId = "amazon-plan-stock-push"

/** Defaults of settings.push (see types/account-settings.ts). */
export const DEFAULT_MAX_PATCHES_PER_RUN = 10
export const DEFAULT_URGENT_AT_OR_BELOW = 0

export type PlanStockPushStepInput = ComputeListingQuantitiesStepOutput

/**
 * Ids, not candidates, for the feed: the workflow SDK copies a step's input and any output it refers to,
 * and a run's candidates (up to 25,000) are already there once, as columns (the compute step's output).
 */
export interface StockPushPlan {
  /** A few (≤ max_patches_per_run) candidates for patchListingsItem. */
  patch: ComputedCandidate[]
  /** Listings whose candidate goes into this run's JSON_LISTINGS_FEED. */
  feed_listing_ids: string[]
  /** Listings left alone (Amazon has, or is about to get, that quantity), by reason. */
  skipped: Record<SkipReason, number>
  /** Listings whose change waits for a later run (feed quota spread out): their outbox rows stay. */
  held_listing_ids: string[]
}

/** The account's JSON_LISTINGS_FEED submissions of the last 5 minutes, from our own feed rows. */
async function feedQuotaState(amazon: AmazonModuleService, accountId: string, now: number): Promise<FeedQuotaState> {
  const [feeds, recent] = await amazon.listAndCountAmazonFeeds(
    { account_id: accountId, submitted_at: { $gte: new Date(now - FEED_QUOTA.windowMs) } },
    { select: ["id", "submitted_at"], order: { submitted_at: "DESC" }, take: 1 }
  )
  const last = feeds[0]?.submitted_at
  return { now, recent, last_submitted_at: last ? new Date(last as unknown as string).getTime() : null }
}

/**
 * Splits each account's candidates into skipped (Amazon already has, or is about to get, that quantity),
 * patched (a few urgent ones, or the whole run when it is small) and fed (the rest). A small feed waits
 * (held, its outbox rows kept) when the account has already sent three feeds in the last five minutes
 * and the last one is recent, so that the quota of 5 feeds per 5 minutes lasts through a stream of
 * changes (see feedHoldMs).
 * A listing left in an error state whose intended quantity is again the one Amazon holds is marked
 * accepted: the failed value is no longer wanted, so the error no longer applies.
 *
 * @example
 * const plan = planStockPushStep(computed)
 */
export const planStockPushStep = createStep(planStockPushStepId, async (input: PlanStockPushStepInput, { container }) => {
  const plan: StockPushPlan = { patch: [], feed_listing_ids: [], skipped: { unchanged: 0, in_flight: 0 }, held_listing_ids: [] }
  const healed: string[] = []
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const now = Date.now()
  const byAccount = groupBy(fromColumns(input.candidates), (c) => c.account_id)
  for (const account of input.accounts) {
    const own = byAccount.get(account.id) ?? []
    if (!own.length) continue
    const result = planStockPush(own, {
      maxPatches: account.settings.push?.max_patches_per_run ?? DEFAULT_MAX_PATCHES_PER_RUN,
      urgentAtOrBelow: account.settings.push?.urgent_at_or_below ?? DEFAULT_URGENT_AT_OR_BELOW,
      feeds: await feedQuotaState(amazon, account.id, now),
    })
    // concat, not push(...): a run hands over up to 25,000 candidates, beyond a safe argument count.
    plan.patch = plan.patch.concat(result.patch as ComputedCandidate[])
    plan.feed_listing_ids = plan.feed_listing_ids.concat(result.feed.map((c) => c.listing_id))
    plan.held_listing_ids = plan.held_listing_ids.concat(result.hold.map((c) => c.listing_id))
    for (const s of result.skip) {
      plan.skipped[s.reason]++
      if (s.reason === "unchanged" && s.candidate.push_status === "error") {
        healed.push(s.candidate.listing_id)
      }
    }
  }
  if (healed.length) {
    await amazon.updateListingPushStates(
      healed.map((id) => ({ id, push_status: "accepted", last_error: null, last_error_code: null, retry_count: 0, next_retry_at: null }))
    )
  }
  return new StepResponse(plan)
})
