import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export const loadListingForLinkStepId = "amazon-load-listing-for-link"

export interface LoadListingForLinkStepInput {
  listing_id: string
  /** The variant to link; omitted when unlinking. */
  variant_id?: string
}

export interface LoadedListingForLink {
  listing_id: string
  seller_sku: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  /** The variant the listing is linked to now, if any. */
  current_variant_id: string | null
  variant_id: string | null
}

/**
 * Checks that the listing (and the variant, when linking) exist and reads the listing's current link.
 * Read-only.
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
      fields: ["id", "seller_sku", "fulfillment_channel", "product_variant.id"],
      filters: { id: input.listing_id },
    })
    const listing = listings[0] as any
    if (!listing) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon listing with id: ${input.listing_id} was not found`)
    }
    if (input.variant_id) {
      const { data: variants } = await query.graph({
        entity: "product_variant",
        fields: ["id"],
        filters: { id: input.variant_id },
      })
      if (!variants.length) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product variant with id: ${input.variant_id} was not found`)
      }
    }
    const loaded: LoadedListingForLink = {
      listing_id: listing.id,
      seller_sku: listing.seller_sku,
      fulfillment_channel: listing.fulfillment_channel,
      current_variant_id: listing.product_variant?.id ?? null,
      variant_id: input.variant_id ?? null,
    }
    return new StepResponse(loaded)
  }
)
