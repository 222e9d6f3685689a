/** /admin/amazon/listings and its sub-routes (link, auto-link, import). */
import type {
  AdminAutoLinkAmazonListingsType,
  AdminImportAmazonListingsType,
  AdminLinkAmazonListingType,
  AdminUpdateAmazonListingType,
} from "../../api/admin/amazon/listings/validators"
import type { QuantityRules } from "../account-settings"
import type { AdminAmazonPaginatedResponse } from "./common"

/** POST /admin/amazon/listings/:id: the SKU's complete rules; null = the account's rules apply. */
export type AdminUpdateAmazonListingBody = AdminUpdateAmazonListingType

/** POST /admin/amazon/listings/:id/link */
export type AdminLinkAmazonListingBody = AdminLinkAmazonListingType

/** POST /admin/amazon/listings/auto-link */
export type AdminAutoLinkAmazonListingsBody = AdminAutoLinkAmazonListingsType

/** POST /admin/amazon/listings/import (answered like "sync now": AdminAmazonSyncResponse, 409 AdminAmazonSyncRunningError). */
export type AdminImportAmazonListingsBody = AdminImportAmazonListingsType

export type AmazonFulfillmentChannel = "MERCHANT" | "AMAZON"

export type AmazonPushStatus = "idle" | "pending" | "accepted" | "error"

/** A seller SKU in a marketplace, with its mapped variant and stock push state. */
export interface AdminAmazonListing {
  id: string
  account_id: string
  marketplace_id: string
  seller_sku: string
  asin: string | null
  product_type: string
  fulfillment_channel: AmazonFulfillmentChannel
  rules: QuantityRules | null
  push_status: AmazonPushStatus
  last_accepted_quantity: number | null
  last_accepted_at: string | null
  last_sent_quantity: number | null
  last_sent_at: string | null
  pending_feed_id: string | null
  last_error_code: string | null
  last_error: string | null
  retry_count: number
  next_retry_at: string | null
  created_at: string
  updated_at: string
  product_variant: {
    id: string
    sku: string | null
    title: string
    product_id: string
    product?: { title: string } | null
  } | null
}

/** GET /admin/amazon/listings */
export interface AdminAmazonListingListResponse extends AdminAmazonPaginatedResponse {
  listings: AdminAmazonListing[]
}

/**
 * GET and POST /admin/amazon/listings/:id, POST and DELETE /admin/amazon/listings/:id/link (a refused link
 * is a 409 AdminAmazonConflictError).
 */
export interface AdminAmazonListingResponse {
  listing: AdminAmazonListing
}

/** A listing auto-linked to the variant with its SKU. */
export interface AdminAmazonSkuMatch {
  listing_id: string
  variant_id: string
  seller_sku: string
  fulfillment_channel: AmazonFulfillmentChannel
}

/** A SKU auto-link left unlinked: its variant already sells through another merchant SKU of the marketplace. */
export interface AdminAmazonAutoLinkConflict {
  listing_id: string
  seller_sku: string
  variant_id: string
  /** The listing the variant is linked to already (or was matched to earlier in the same run). */
  linked_listing_id: string
  linked_seller_sku: string
}

/** POST /admin/amazon/listings/auto-link */
export interface AdminAmazonAutoLinkResponse {
  /** Listings linked by this run. */
  linked: number
  /** Unlinked listings looked at. */
  unlinked_checked: number
  /** Unlinked listings whose SKU no variant has. */
  unmatched_skus: string[]
  links: AdminAmazonSkuMatch[]
  conflicts: AdminAmazonAutoLinkConflict[]
}
