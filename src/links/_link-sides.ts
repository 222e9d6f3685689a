import ProductModule from "@medusajs/medusa/product"
import AmazonModule from "../modules/amazon"

/**
 * The sides of links/amazon-listing-product-variant.ts, kept apart from its defineLink (which registers
 * the link when the file is imported, and needs Medusa loaded) so workflows/shared/medusa-tables.ts can
 * derive the link table's name from them at any time. The link loader skips files starting with "_".
 */

/** The listing side: one variant may be sold under several listings (marketplaces, MFN + FBA offers). */
export const LISTING_LINK_SIDE = {
  linkable: AmazonModule.linkable.amazonListing,
  isList: true,
}

/** The variant side: a listing sells exactly one variant. */
export const VARIANT_LINK_SIDE = ProductModule.linkable.productVariant
