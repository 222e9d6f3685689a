import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { dismissRemoteLinkStep } from "@medusajs/medusa/core-flows"
import { AMAZON_MODULE } from "../../modules/amazon"
import { loadListingForLinkStep } from "./steps/load-listing-for-link"

export const unlinkAmazonListingWorkflowId = "amazon-unlink-listing"

export interface UnlinkAmazonListingWorkflowInput {
  listing_id: string
}

/**
 * Removes a listing's variant mapping. The quantity Amazon shows stays as last pushed: the plugin stops
 * managing the SKU, it does not zero it.
 */
export const unlinkAmazonListingWorkflow = createWorkflow(
  unlinkAmazonListingWorkflowId,
  (input: UnlinkAmazonListingWorkflowInput) => {
    const loaded = loadListingForLinkStep({ listing_id: input.listing_id })
    dismissRemoteLinkStep(
      transform({ loaded }, ({ loaded }) =>
        loaded.current_variant_id
          ? [
              {
                [AMAZON_MODULE]: { amazon_listing_id: loaded.listing_id },
                [Modules.PRODUCT]: { product_variant_id: loaded.current_variant_id },
              },
            ]
          : []
      )
    )
    const result = transform({ loaded }, ({ loaded }) => ({ listing_id: loaded.listing_id, previous_variant_id: loaded.current_variant_id }))
    return new WorkflowResponse(result)
  }
)
