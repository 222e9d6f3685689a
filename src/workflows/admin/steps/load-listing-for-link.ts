import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { linkConflictMessage } from "../../../lib/mapping/plan-link-changes"
import { sameMarketplaceMerchantListing } from "../utils/link-conflicts"
import { loadLinkState } from "./plan-listing-links"

export const loadListingForLinkStepId = "amazon-load-listing-for-link"

export interface LoadListingForLinkStepInput {
  listing_id: string
  /** The variant to link; omitted when unlinking or when only the listing is needed. */
  variant_id?: string
}

export interface LoadedListingForLink {
  listing_id: string
  seller_sku: string
  account_id: string
  marketplace_id: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  /** The variant the listing is linked to now, if any. */
  current_variant_id: string | null
  variant_id: string | null
}

/**
 * Checks that the listing (and the variant, when linking) exist and reads the listing's current link.
 * When linking a merchant-fulfilled listing, refuses (409) a variant already linked to another
 * merchant-fulfilled listing of the same account and marketplace: both SKUs would advertise the same
 * units. Read-only.
 *
 * @example
 * const loaded = loadListingForLinkStep({ listing_id: "amzlst_…", variant_id: "variant_…" })
 */
export const loadListingForLinkStep = createStep(
  loadListingForLinkStepId,
  async (input: LoadListingForLinkStepInput, { container }) => {
    const { listings, variants } = await loadLinkState(container, [input.listing_id], input.variant_id ? [input.variant_id] : [])
    const listing = listings.get(input.listing_id)
    if (!listing) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon listing with id: ${input.listing_id} was not found`)
    }
    if (input.variant_id) {
      const variant = variants.get(input.variant_id)
      if (!variant) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product variant with id: ${input.variant_id} was not found`)
      }
      const other = sameMarketplaceMerchantListing(listing, variant.listings)
      if (other) {
        throw new MedusaError(MedusaError.Types.CONFLICT, linkConflictMessage(variant, listing, other))
      }
    }
    const loaded: LoadedListingForLink = {
      listing_id: listing.id,
      seller_sku: listing.seller_sku,
      account_id: listing.account_id,
      marketplace_id: listing.marketplace_id,
      fulfillment_channel: listing.fulfillment_channel,
      current_variant_id: listing.variant_id,
      variant_id: input.variant_id ?? null,
    }
    return new StepResponse(loaded)
  }
)
