import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createRemoteLinkStep, dismissRemoteLinkStep } from "@medusajs/medusa/core-flows"
import { AMAZON_MODULE } from "../../modules/amazon"
import { enqueueVariantStockStep } from "./steps/enqueue-variant-stock"
import { loadListingForLinkStep } from "./steps/load-listing-for-link"

export const linkAmazonListingWorkflowId = "amazon-link-listing"

export interface LinkAmazonListingWorkflowInput {
  listing_id: string
  variant_id: string
}

/**
 * Maps an Amazon listing to the Medusa variant it sells (replacing a previous mapping), then queues the
 * variant so the next push sends the quantity Amazon should show for it.
 */
export const linkAmazonListingWorkflow = createWorkflow(
  linkAmazonListingWorkflowId,
  (input: LinkAmazonListingWorkflowInput) => {
    const loaded = loadListingForLinkStep({ listing_id: input.listing_id, variant_id: input.variant_id })

    when("amazon-link-listing-replaces", { loaded }, ({ loaded }) => !!loaded.current_variant_id && loaded.current_variant_id !== loaded.variant_id).then(
      () => {
        dismissRemoteLinkStep(
          transform({ loaded }, ({ loaded }) => [
            {
              [AMAZON_MODULE]: { amazon_listing_id: loaded.listing_id },
              [Modules.PRODUCT]: { product_variant_id: loaded.current_variant_id! },
            },
          ])
        )
      }
    )

    createRemoteLinkStep(
      transform({ loaded }, ({ loaded }) =>
        loaded.current_variant_id === loaded.variant_id
          ? []
          : [
              {
                [AMAZON_MODULE]: { amazon_listing_id: loaded.listing_id },
                [Modules.PRODUCT]: { product_variant_id: loaded.variant_id! },
              },
            ]
      )
    )

    // Only merchant-fulfilled quantities are ours to push; FBA quantities belong to Amazon.
    enqueueVariantStockStep(
      transform({ loaded }, ({ loaded }) => ({
        variant_ids: loaded.fulfillment_channel === "MERCHANT" ? [loaded.variant_id!] : [],
        reason: "amazon.listing_linked",
      }))
    )

    const result = transform({ loaded }, ({ loaded }) => ({ listing_id: loaded.listing_id, variant_id: loaded.variant_id }))
    return new WorkflowResponse(result)
  }
)
