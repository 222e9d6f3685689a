import { defineLink } from "@medusajs/framework/utils"
import ProductModule from "@medusajs/medusa/product"
import AmazonModule from "../modules/amazon"

/**
 * A Medusa variant ↔ an Amazon listing (seller SKU in a marketplace). One variant may be sold under
 * several listings (several marketplaces, or MFN + FBA offers); a listing sells exactly one variant.
 */
export default defineLink(
  {
    linkable: AmazonModule.linkable.amazonListing,
    isList: true,
  },
  ProductModule.linkable.productVariant
)
