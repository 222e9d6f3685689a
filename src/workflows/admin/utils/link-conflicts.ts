/**
 * Which listing ↔ variant links would make two SKUs advertise the same units. A variant may be sold
 * under several listings (other marketplaces, other accounts, FBA offers whose stock Amazon holds), but
 * two merchant-fulfilled listings of one account and marketplace would each show the variant's whole
 * stock: a buyer could order it twice.
 */

export interface LinkedListingRef {
  id: string
  seller_sku: string
  account_id: string
  marketplace_id: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
}

/** The key two conflicting merchant-fulfilled links share; null for listings that cannot conflict. */
export function merchantLinkKey(variantId: string, listing: Pick<LinkedListingRef, "account_id" | "marketplace_id" | "fulfillment_channel">) {
  return listing.fulfillment_channel === "MERCHANT" ? `${variantId}\u0000${listing.account_id}\u0000${listing.marketplace_id}` : null
}

/**
 * The other merchant-fulfilled listing of the same account and marketplace already linked to the variant
 * (`linked` = the variant's listings), or null when linking `listing` to it is fine.
 */
export function sameMarketplaceMerchantListing(
  listing: Pick<LinkedListingRef, "id" | "account_id" | "marketplace_id" | "fulfillment_channel">,
  linked: (LinkedListingRef | null | undefined)[]
): LinkedListingRef | null {
  if (listing.fulfillment_channel !== "MERCHANT") {
    return null
  }
  return (
    linked.find(
      (l): l is LinkedListingRef =>
        !!l &&
        l.id !== listing.id &&
        l.fulfillment_channel === "MERCHANT" &&
        l.account_id === listing.account_id &&
        l.marketplace_id === listing.marketplace_id
    ) ?? null
  )
}
