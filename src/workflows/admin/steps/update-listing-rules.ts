import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { QuantityRules } from "../../../types/account-settings"

export const updateListingRulesStepId = "amazon-update-listing-rules"

export interface UpdateListingRulesStepInput {
  listing_id: string
  /** Per-SKU overrides of the account's rules; null removes them (the account's rules apply). */
  rules: QuantityRules | null
}

/**
 * Sets a listing's quantity rules. Undone by writing the previous rules back.
 *
 * @example
 * updateListingRulesStep({ listing_id: "amzlst_…", rules: { buffer: 2, max: 50 } })
 */
export const updateListingRulesStep = createStep(
  updateListingRulesStepId,
  async (input: UpdateListingRulesStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [listing] = await amazon.listAmazonListings({ id: input.listing_id }, { take: 1, select: ["id", "rules"] })
    if (!listing) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon listing with id: ${input.listing_id} was not found`)
    }
    const rules = input.rules && Object.keys(input.rules).length ? input.rules : null
    await amazon.updateAmazonListings({ id: input.listing_id, rules: rules as Record<string, unknown> | null })
    return new StepResponse({ id: input.listing_id, rules }, { id: input.listing_id, rules: listing.rules ?? null })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.updateAmazonListings({ id: previous.id, rules: previous.rules as Record<string, unknown> | null })
  }
)
