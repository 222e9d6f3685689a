import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const removeListingVariantLinksStepId = "amazon-remove-listing-variant-links"

export interface RemoveListingVariantLinksStepInput {
  /** Every listing of this account loses its variant link. */
  account_id: string
}

/** Listing ids per link call: keeps each statement far below PostgreSQL's parameter limit. */
const CHUNK = 5000

/**
 * Removes the listing ↔ variant links of an account's listings (before the account is deleted, so no
 * variant keeps pointing at a deleted listing). Undone by restoring the same links.
 *
 * @example
 * removeListingVariantLinksStep({ account_id: "amzacc_…" })
 */
export const removeListingVariantLinksStep = createStep(
  removeListingVariantLinksStepId,
  async (input: RemoveListingVariantLinksStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const listings = await amazon.listAmazonListings({ account_id: input.account_id }, { select: ["id"] })
    const ids = listings.map((l) => l.id)
    for (let i = 0; i < ids.length; i += CHUNK) {
      await link.delete({ [AMAZON_MODULE]: { amazon_listing_id: ids.slice(i, i + CHUNK) } })
    }
    return new StepResponse({ listings: ids.length }, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) {
      return
    }
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    for (let i = 0; i < ids.length; i += CHUNK) {
      await link.restore({ [AMAZON_MODULE]: { amazon_listing_id: ids.slice(i, i + CHUNK) } })
    }
  }
)
