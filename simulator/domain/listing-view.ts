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
  return renderListingGroups([listing], options)
}

/**
 * One SKU as the Listings Items API shows it, from its listings in the requested marketplaces (several when the
 * SKU is listed separately per marketplace): summaries, offers, relationships and product types per marketplace
 * from that marketplace's listing; attributes, issues and fulfillmentAvailability from the first listing.
 */
export function renderListingGroups(groups: SimListing[], options: RenderListingOptions): Item {
  const included = new Set(options.includedData)
  const listing = groups[0]
  const inRequest = (m: string) => options.marketplaceIds.length === 0 || options.marketplaceIds.includes(m)
  const perMarketplace = groups.flatMap((group) => group.marketplaceIds.filter(inRequest).map((marketplaceId) => ({ marketplaceId, group })))
  const firstMarketplaces = listing.marketplaceIds.filter(inRequest)
  const item: Item = { sku: listing.sku }

  if (included.has("summaries")) {
    item.summaries = perMarketplace.map(({ marketplaceId, group }): ItemSummary => {
      const summary: ItemSummary = {
        marketplaceId,
        productType: group.productType,
        conditionType: group.conditionType as ItemSummary["conditionType"],
        status: listingStatus(group, options.fbaStock(marketplaceId)),
        createdDate: toAmazonIso(group.createdAt),
        lastUpdatedDate: toAmazonIso(group.updatedAt),
      }
      if (group.asin) summary.asin = group.asin
      if (group.fnSku) summary.fnSku = group.fnSku
      if (group.itemName) summary.itemName = group.itemName
      return summary
    })
  }
  if (included.has("attributes")) item.attributes = structuredClone(listing.attributes)
  if (included.has("issues")) item.issues = structuredClone(listing.issues)
  if (included.has("offers")) {
    item.offers = perMarketplace
      .filter(({ group }) => group.price !== undefined)
      .map(({ marketplaceId, group }) => ({ marketplaceId, offerType: "B2C" as const, price: { ...(group.price as NonNullable<SimListing["price"]>) } }))
  }
  if (included.has("fulfillmentAvailability")) {
    item.fulfillmentAvailability = (listing.attributes[FULFILLMENT_AVAILABILITY] ?? []).map((entry) => {
      const code = String(entry.fulfillment_channel_code)
      if (code.startsWith("AMAZON_")) {
        // FBA quantity is Amazon's: the fulfillable units in the first requested marketplace that has stock.
        const stock = firstMarketplaces.map((m) => options.fbaStock(m)).find((s) => s !== undefined)
        return stock ? { fulfillmentChannelCode: code, quantity: stock.fulfillable } : { fulfillmentChannelCode: code }
      }
      return typeof entry.quantity === "number" ? { fulfillmentChannelCode: code, quantity: entry.quantity } : { fulfillmentChannelCode: code }
    })
  }
  if (included.has("procurement")) item.procurement = []
  if (included.has("relationships")) item.relationships = perMarketplace.map(({ marketplaceId }) => ({ marketplaceId, relationships: [] }))
  if (included.has("productTypes")) item.productTypes = perMarketplace.map(({ marketplaceId, group }) => ({ marketplaceId, productType: group.productType }))
  return item
}
