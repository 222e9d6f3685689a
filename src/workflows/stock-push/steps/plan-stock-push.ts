import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { planStockPush, SkipReason } from "../../../lib/stock/push-plan"
import type { ComputedCandidate, ComputeListingQuantitiesStepOutput } from "./compute-listing-quantities"

export const planStockPushStepId = "amazon-plan-stock-push"

/** Defaults of settings.push (see types/account-settings.ts). */
export const DEFAULT_MAX_PATCHES_PER_RUN = 10
export const DEFAULT_URGENT_AT_OR_BELOW = 0

export type PlanStockPushStepInput = ComputeListingQuantitiesStepOutput

export interface StockPushPlan {
  patch: ComputedCandidate[]
  feed: ComputedCandidate[]
  skipped: { listing_id: string; reason: SkipReason }[]
}

/**
 * Splits each account's candidates into skipped (Amazon already has, or is about to get, that quantity),
 * patched (a few urgent ones, or the whole run when it is small) and fed (the rest).
 * A listing left in an error state whose intended quantity is again the one Amazon holds is marked
 * accepted: the failed value is no longer wanted, so the error no longer applies.
 *
 * @example
 * const plan = planStockPushStep(computed)
 */
export const planStockPushStep = createStep(planStockPushStepId, async (input: PlanStockPushStepInput, { container }) => {
  const plan: StockPushPlan = { patch: [], feed: [], skipped: [] }
  const healed: string[] = []
  for (const account of input.accounts) {
    const own = input.candidates.filter((c) => c.account_id === account.id)
    const result = planStockPush(own, {
      maxPatches: account.settings.push?.max_patches_per_run ?? DEFAULT_MAX_PATCHES_PER_RUN,
      urgentAtOrBelow: account.settings.push?.urgent_at_or_below ?? DEFAULT_URGENT_AT_OR_BELOW,
    })
    plan.patch.push(...(result.patch as ComputedCandidate[]))
    plan.feed.push(...(result.feed as ComputedCandidate[]))
    for (const s of result.skip) {
      plan.skipped.push({ listing_id: s.candidate.listing_id, reason: s.reason })
      if (s.reason === "unchanged" && s.candidate.push_status === "error") {
        healed.push(s.candidate.listing_id)
      }
    }
  }
  if (healed.length) {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.updateListingPushStates(
      healed.map((id) => ({ id, push_status: "accepted", last_error: null, last_error_code: null, retry_count: 0, next_retry_at: null }))
    )
  }
  return new StepResponse(plan)
})
