import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createRemoteLinkStep } from "@medusajs/medusa/core-flows"
import { AMAZON_MODULE } from "../../modules/amazon"
import { enqueueVariantStockStep } from "./steps/enqueue-variant-stock"
import { findSkuMatchesStep } from "./steps/find-sku-matches"

export const autoLinkAmazonListingsWorkflowId = "amazon-auto-link-listings"

export interface AutoLinkAmazonListingsWorkflowInput {
  account_id?: string
  marketplace_id?: string
}

/**
 * Links every unlinked listing whose seller SKU equals a variant's SKU, then queues the linked
 * merchant-fulfilled variants for a push. Listings already linked are never changed. A merchant-fulfilled
 * match whose variant already sells through another merchant SKU of the same account and marketplace is
 * left unlinked and reported in `conflicts`.
 */
export const autoLinkAmazonListingsWorkflow = createWorkflow(
  autoLinkAmazonListingsWorkflowId,
  (input: AutoLinkAmazonListingsWorkflowInput) => {
    const found = findSkuMatchesStep({ account_id: input.account_id, marketplace_id: input.marketplace_id })
    createRemoteLinkStep(
      transform({ found }, ({ found }) =>
        found.matches.map((m) => ({
          [AMAZON_MODULE]: { amazon_listing_id: m.listing_id },
          [Modules.PRODUCT]: { product_variant_id: m.variant_id },
        }))
      )
    )
    enqueueVariantStockStep(
      transform({ found }, ({ found }) => ({
        variant_ids: found.matches.filter((m) => m.fulfillment_channel === "MERCHANT").map((m) => m.variant_id),
        reason: "amazon.listing_linked",
      }))
    )
    const result = transform({ found }, ({ found }) => ({
      linked: found.matches.length,
      unlinked_checked: found.unlinked,
      unmatched_skus: found.unmatched_skus,
      links: found.matches,
      conflicts: found.conflicts,
    }))
    return new WorkflowResponse(result)
  }
)
