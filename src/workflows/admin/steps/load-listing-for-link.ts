import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { sameMarketplaceMerchantListing, type LinkedListingRef } from "../utils/link-conflicts"

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
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: listings } = await query.graph({
      entity: "amazon_listing",
      fields: ["id", "seller_sku", "account_id", "marketplace_id", "fulfillment_channel", "product_variant.id"],
      filters: { id: input.listing_id },
    })
    const listing = listings[0] as any
    if (!listing) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon listing with id: ${input.listing_id} was not found`)
    }
    if (input.variant_id) {
      const { data: variants } = await query.graph({
        entity: "product_variant",
        fields: [
          "id",
          "sku",
          "amazon_listings.id",
          "amazon_listings.seller_sku",
          "amazon_listings.account_id",
          "amazon_listings.marketplace_id",
          "amazon_listings.fulfillment_channel",
        ],
        filters: { id: input.variant_id },
      })
      const variant = variants[0] as { id: string; sku?: string | null; amazon_listings?: (LinkedListingRef | null)[] | null } | undefined
      if (!variant) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product variant with id: ${input.variant_id} was not found`)
      }
      const other = sameMarketplaceMerchantListing(listing, variant.amazon_listings ?? [])
      if (other) {
        throw new MedusaError(
          MedusaError.Types.CONFLICT,
          `Variant ${variant.sku ?? variant.id} is already linked to Amazon listing ${other.seller_sku} of the same account and ` +
            `marketplace (${listing.marketplace_id}): ${listing.seller_sku} and ${other.seller_sku} would both advertise the same ` +
            `units. Unlink ${other.seller_sku} first.`
        )
      }
    }
    const loaded: LoadedListingForLink = {
      listing_id: listing.id,
      seller_sku: listing.seller_sku,
      account_id: listing.account_id,
      marketplace_id: listing.marketplace_id,
      fulfillment_channel: listing.fulfillment_channel,
      current_variant_id: listing.product_variant?.id ?? null,
      variant_id: input.variant_id ?? null,
    }
    return new StepResponse(loaded)
  }
)
