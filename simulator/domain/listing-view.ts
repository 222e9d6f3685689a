/**
 * A simulated listing rendered as the Listings Items API `Item`, limited to the requested `includedData`.
 */
import type { components } from "../../src/lib/amazon/generated/listings-items-2021-08-01"
import { toAmazonIso } from "../clock"
import type { FbaStock, ListingStatus, SimListing } from "../types"
import { FULFILLMENT_AVAILABILITY, fbaChannel, mfnQuantity } from "./listing-patches"

type Item = components["schemas"]["Item"]
type ItemSummary = components["schemas"]["ItemSummaryByMarketplace"]

export const LISTING_INCLUDED_DATA = [
  "summaries",
  "attributes",
  "issues",
  "offers",
  "fulfillmentAvailability",
  "procurement",
  "relationships",
  "productTypes",
] as const

export type ListingIncludedData = (typeof LISTING_INCLUDED_DATA)[number]

export const CONDITION_TYPES: readonly string[] = [
  "new_new",
  "new_open_box",
  "new_oem",
  "refurbished_refurbished",
  "used_like_new",
  "used_very_good",
  "used_good",
  "used_acceptable",
  "collectible_like_new",
  "collectible_very_good",
  "collectible_good",
  "collectible_acceptable",
  "club_club",
]

export interface RenderListingOptions {
  includedData: readonly string[]
  /** Marketplaces asked for; summaries and offers are given per marketplace of the listing among these. */
  marketplaceIds: readonly string[]
  /** FBA stock of the SKU in a marketplace (drives the AMAZON_* channel quantity and BUYABLE). */
  fbaStock: (marketplaceId: string) => FbaStock | undefined
}

/** BUYABLE while there is stock to sell (MFN quantity or FBA fulfillable); DISCOVERABLE once it has an ASIN. */
export function listingStatus(listing: SimListing, fba: FbaStock | undefined): ListingStatus[] {
  if (listing.status) return [...listing.status]
  const status: ListingStatus[] = []
  const hasFbaStock = fbaChannel(listing) !== undefined && (fba?.fulfillable ?? 0) > 0
  if ((mfnQuantity(listing) ?? 0) > 0 || hasFbaStock) status.push("BUYABLE")
  if (listing.asin) status.push("DISCOVERABLE")
  return status
}

export function renderListingItem(listing: SimListing, options: RenderListingOptions): Item {
  const included = new Set(options.includedData)
  const marketplaces = listing.marketplaceIds.filter((m) => options.marketplaceIds.length === 0 || options.marketplaceIds.includes(m))
  const item: Item = { sku: listing.sku }

  if (included.has("summaries")) {
    item.summaries = marketplaces.map((marketplaceId): ItemSummary => {
      const summary: ItemSummary = {
        marketplaceId,
        productType: listing.productType,
        conditionType: listing.conditionType as ItemSummary["conditionType"],
        status: listingStatus(listing, options.fbaStock(marketplaceId)),
        createdDate: toAmazonIso(listing.createdAt),
        lastUpdatedDate: toAmazonIso(listing.updatedAt),
      }
      if (listing.asin) summary.asin = listing.asin
      if (listing.fnSku) summary.fnSku = listing.fnSku
      if (listing.itemName) summary.itemName = listing.itemName
      return summary
    })
  }
  if (included.has("attributes")) item.attributes = structuredClone(listing.attributes)
  if (included.has("issues")) item.issues = structuredClone(listing.issues)
  if (included.has("offers")) {
    const price = listing.price
    item.offers = price ? marketplaces.map((marketplaceId) => ({ marketplaceId, offerType: "B2C" as const, price: { ...price } })) : []
  }
  if (included.has("fulfillmentAvailability")) {
    item.fulfillmentAvailability = (listing.attributes[FULFILLMENT_AVAILABILITY] ?? []).map((entry) => {
      const code = String(entry.fulfillment_channel_code)
      if (code.startsWith("AMAZON_")) {
        // FBA quantity is Amazon's: the fulfillable units in the first requested marketplace that has stock.
        const stock = marketplaces.map((m) => options.fbaStock(m)).find((s) => s !== undefined)
        return stock ? { fulfillmentChannelCode: code, quantity: stock.fulfillable } : { fulfillmentChannelCode: code }
      }
      return typeof entry.quantity === "number" ? { fulfillmentChannelCode: code, quantity: entry.quantity } : { fulfillmentChannelCode: code }
    })
  }
  if (included.has("procurement")) item.procurement = []
  if (included.has("relationships")) item.relationships = marketplaces.map((marketplaceId) => ({ marketplaceId, relationships: [] }))
  if (included.has("productTypes")) item.productTypes = marketplaces.map((marketplaceId) => ({ marketplaceId, productType: listing.productType }))
  return item
}
