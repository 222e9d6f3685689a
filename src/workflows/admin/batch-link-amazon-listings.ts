import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createRemoteLinkStep, dismissRemoteLinkStep } from "@medusajs/medusa/core-flows"
import type { LinkChangeError, LinkPair } from "../../lib/mapping/plan-link-changes"
import { AMAZON_MODULE } from "../../modules/amazon"
import { enqueueVariantStockStep } from "./steps/enqueue-variant-stock"
import { planListingLinksStep } from "./steps/plan-listing-links"

export const batchLinkAmazonListingsWorkflowId = "amazon-batch-link-listings"

export interface BatchLinkAmazonListingsWorkflowInput {
  link: { listing_id: string; variant_id: string }[]
  unlink: string[]
}

export interface BatchLinkAmazonListingsWorkflowOutput {
  linked: number
  unlinked: number
  unchanged: number
  /** Empty when the batch was written; otherwise nothing was written. */
  errors: LinkChangeError[]
}

const linkRows = (pairs: LinkPair[]) =>
  pairs.map((p) => ({
    [AMAZON_MODULE]: { amazon_listing_id: p.listing_id },
    [Modules.PRODUCT]: { product_variant_id: p.variant_id },
  }))

/**
 * Links and unlinks many listings at once with the single link's rules (plan-link-changes.ts), then
 * queues the linked merchant-fulfilled variants for a push, as the single link does.
 *
 * All or nothing, rather than linking what it can and listing the rest: the changes of a batch depend on
 * each other (unlinking SKU A is what lets SKU B take its variant), so applying part of them can leave a
 * variant with no SKU or refuse a link the merchant's whole selection allowed. The mapping import needs
 * that anyway ("nothing written while a row is wrong"), and one answer is easier to act on than a
 * half-applied list. Checked first (a refused batch writes nothing and returns every listing's reason);
 * the writes are link steps whose compensation undoes them if a later one fails.
 */
export const batchLinkAmazonListingsWorkflow = createWorkflow(
  batchLinkAmazonListingsWorkflowId,
  (input: BatchLinkAmazonListingsWorkflowInput) => {
    const plan = planListingLinksStep(input)

    when("amazon-batch-link-listings-apply", { plan }, ({ plan }) => plan.errors.length === 0).then(() => {
      // old links first: a listing moved to another variant must not hold two links at any time
      dismissRemoteLinkStep(transform({ plan }, ({ plan }) => linkRows(plan.dismiss)))
      createRemoteLinkStep(transform({ plan }, ({ plan }) => linkRows(plan.create)))
      enqueueVariantStockStep(transform({ plan }, ({ plan }) => ({ variant_ids: plan.enqueue_variant_ids, reason: "amazon.listing_linked" })))
    })

    const result = transform({ plan }, ({ plan }): BatchLinkAmazonListingsWorkflowOutput => ({
      linked: plan.linked,
      unlinked: plan.unlinked,
      unchanged: plan.unchanged,
      errors: plan.errors,
    }))
    return new WorkflowResponse(result)
  }
)
