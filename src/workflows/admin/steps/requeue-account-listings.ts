import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { Sql } from "../../shared/medusa-tables"
import { linkedMerchantListings } from "../utils/account-listings"

export const requeueAccountListingsStepId = "amazon-requeue-account-listings"

/** Outbox reason of a settings change (shown on the dashboard beside "amazon.listing_rules_changed" …). */
export const ACCOUNT_SETTINGS_CHANGED_REASON = "amazon.account_settings_changed"

export interface RequeueAccountListingsStepInput {
  account_id: string
  /** False when no quantity setting changed: nothing is queued. */
  requeue: boolean
}

/**
 * Puts the variants of an account's linked merchant-fulfilled listings in the stock outbox after a
 * change of counted locations, rules or unmanaged quantity, so the next push sends the quantities the
 * new settings give (the push only looks at queued variants; without this the change would wait for
 * the daily reconcile). Returns how many listings are affected. No compensation: it is the last step,
 * and an extra outbox row costs one quantity computation (the push skips a SKU whose quantity Amazon
 * already holds).
 *
 * @example
 * const { requeued_listings } = requeueAccountListingsStep({ account_id: "amzacc_…", requeue: true })
 */
export const requeueAccountListingsStep = createStep(
  requeueAccountListingsStepId,
  async (input: RequeueAccountListingsStepInput, { container }) => {
    if (!input.requeue) {
      return new StepResponse({ requeued_listings: 0, requeued_variants: 0 })
    }
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    const listings = await linkedMerchantListings(sql, input.account_id)
    const variantIds = [...new Set(listings.map((l) => l.variant_id))]
    if (!variantIds.length) {
      return new StepResponse({ requeued_listings: 0, requeued_variants: 0 })
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.enqueueStockChanges(variantIds.map((variant_id) => ({ variant_id, reason: ACCOUNT_SETTINGS_CHANGED_REASON })))
    return new StepResponse({ requeued_listings: listings.length, requeued_variants: variantIds.length })
  }
)
