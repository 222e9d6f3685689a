import { defineLink } from "@medusajs/framework/utils"
import { LISTING_LINK_SIDE, VARIANT_LINK_SIDE } from "./_link-sides"

/**
 * A Medusa variant ↔ an Amazon listing (seller SKU in a marketplace). One variant may be sold under
 * several listings (several marketplaces, or MFN + FBA offers); a listing sells exactly one variant.
 * The sides live in _link-sides.ts, where workflows/shared/medusa-tables.ts derives the link table's name.
 */
export default defineLink(LISTING_LINK_SIDE, VARIANT_LINK_SIDE)
