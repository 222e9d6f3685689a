import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { QuantityRules } from "../../types/account-settings"
import { enqueueVariantStockStep } from "./steps/enqueue-variant-stock"
import { loadListingForLinkStep } from "./steps/load-listing-for-link"
import { updateListingRulesStep } from "./steps/update-listing-rules"

export const setAmazonListingRulesWorkflowId = "amazon-set-listing-rules"

export interface SetAmazonListingRulesWorkflowInput {
  listing_id: string
  rules: QuantityRules | null
}

/**
 * Replaces a SKU's own quantity rules (buffer, percentage, max, min; fields not given are no longer
 * overridden; null = the account's rules apply) and queues its linked merchant-fulfilled variant, so
 * Amazon gets the quantity the new rules give.
 */
export const setAmazonListingRulesWorkflow = createWorkflow(
  setAmazonListingRulesWorkflowId,
  (input: SetAmazonListingRulesWorkflowInput) => {
    const loaded = loadListingForLinkStep({ listing_id: input.listing_id })
    const updated = updateListingRulesStep({ listing_id: input.listing_id, rules: input.rules })
    enqueueVariantStockStep(
      transform({ loaded }, ({ loaded }) => ({
        variant_ids: loaded.fulfillment_channel === "MERCHANT" && loaded.current_variant_id ? [loaded.current_variant_id] : [],
        reason: "amazon.listing_rules_changed",
      }))
    )
    return new WorkflowResponse(updated)
  }
)
