/** /admin/amazon/listings and its sub-routes (link, auto-link, import, batch, suggestions, mapping file). */
import type {
  AdminAutoLinkAmazonListingsType,
  AdminBatchAmazonListingsInput,
  AdminImportAmazonListingMappingType,
  AdminImportAmazonListingsType,
  AdminLinkAmazonListingType,
  AdminUpdateAmazonListingType,
} from "../../api/admin/amazon/listings/validators"
import type { MappingAction, MappingPreview, MappingPreviewRow } from "../../lib/mapping/mapping-file"
import type { LinkChangeError } from "../../lib/mapping/plan-link-changes"
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

/**
 * The fields GET /admin/amazon/listings sorts by (`order=field` or `order=-field`). A value, not only a
 * type: the validator allows exactly these and the admin offers exactly these.
 */
export const AMAZON_LISTING_SORT_FIELDS = [
  "seller_sku",
  "item_name",
  "asin",
  "marketplace_id",
  "fulfillment_channel",
  "push_status",
  "last_sent_at",
  "last_accepted_at",
  "created_at",
  "updated_at",
] as const

export type AmazonListingSortField = (typeof AMAZON_LISTING_SORT_FIELDS)[number]

export type AmazonFulfillmentChannel = "MERCHANT" | "AMAZON"

export type AmazonPushStatus = "idle" | "pending" | "accepted" | "error"

/** A seller SKU in a marketplace, with its mapped variant and stock push state. */
export interface AdminAmazonListing {
  id: string
  account_id: string
  marketplace_id: string
  seller_sku: string
  asin: string | null
  /** Amazon's item name (listing summaries), filled by the listings import. */
  item_name: string | null
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
  /** What Amazon showed when last read: a read-back of an accepted quantity ("listing") or the daily listings report ("report"). */
  amazon_quantity: number | null
  amazon_quantity_at: string | null
  amazon_quantity_source: AmazonQuantitySource | null
  /** The read-back of the last accepted quantity: waiting, confirmed, mismatch (sent again), not_applied (to act on). */
  confirm_status: AmazonConfirmStatus | null
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

/** POST /admin/amazon/listings/batch: links (replacing a listing's earlier link) and unlinks, at most 500 each. */
export type AdminBatchAmazonListingsBody = AdminBatchAmazonListingsInput

/** Why a batch was refused, per listing. */
export type AdminAmazonListingBatchError = LinkChangeError

/**
 * POST /admin/amazon/listings/batch. All or nothing: 200 when every change was written (`errors` is
 * empty), 400 AdminAmazonListingBatchInvalid when any listing was refused and nothing was written.
 */
export interface AdminAmazonListingBatchResponse {
  /** Listings linked to a new variant. */
  linked: number
  unlinked: number
  /** Requested changes that were the current state already. */
  unchanged: number
  errors: AdminAmazonListingBatchError[]
}

/** 400 of POST /admin/amazon/listings/batch: nothing was written. */
export interface AdminAmazonListingBatchInvalid {
  type: "invalid_data"
  message: string
  errors: AdminAmazonListingBatchError[]
}

/** A variant the listing probably sells, with the reasons (best first). */
export interface AdminAmazonListingSuggestion {
  variant_id: string
  variant_sku: string | null
  variant_title: string | null
  product_id: string
  product_title: string | null
  /** 0–100: 100 same SKU, 90 same SKU ignoring case and separators, 85 EAN/UPC/barcode = SKU, ≤ 80 title similarity. */
  score: number
  /** e.g. "same SKU", "EAN equals the SKU", "title 82% alike". */
  reasons: string[]
  /** The listing is linked to this variant now. */
  current: boolean
  /** Another merchant SKU of the same account and marketplace sells this variant: linking it is refused until that one is unlinked. */
  linked_elsewhere: { listing_id: string; seller_sku: string } | null
}

/** GET /admin/amazon/listings/:id/suggestions (at most 5). */
export interface AdminAmazonListingSuggestionsResponse {
  suggestions: AdminAmazonListingSuggestion[]
}

/** GET /admin/amazon/listings/suggestions?id=…: the suggestions of several listings (at most 50), by listing id. */
export interface AdminAmazonListingsSuggestionsResponse {
  suggestions: Record<string, AdminAmazonListingSuggestion[]>
}

/** POST /admin/amazon/listings/mapping/import */
export type AdminImportAmazonListingMappingBody = AdminImportAmazonListingMappingType

export type AmazonMappingAction = MappingAction

/** One row of the imported file and what it does (line 1 is the header). */
export type AdminAmazonMappingPreviewRow = MappingPreviewRow

export type AdminAmazonMappingTotals = MappingPreview["totals"]

/**
 * POST /admin/amazon/listings/mapping/import. With dry_run the preview only; without, the changes are
 * written (`applied: true`) when no row is an error, else 400 with the same body (`applied: false`,
 * nothing written).
 */
export interface AdminAmazonMappingImportResponse {
  rows: AdminAmazonMappingPreviewRow[]
  totals: AdminAmazonMappingTotals
  applied: boolean
}

/** 400 of an import that was not applied because rows have errors. */
export interface AdminAmazonMappingImportInvalid extends AdminAmazonMappingImportResponse {
  type: "invalid_data"
  message: string
}

export type AmazonQuantitySource = "listing" | "report" | "notification"
export type AmazonConfirmStatus = "waiting" | "confirmed" | "mismatch" | "not_applied"

/** GET /admin/amazon/listings query, as the admin sends it (validated by AdminGetAmazonListingsParams). */
export interface AdminAmazonListingsQuery {
  account_id?: string
  marketplace_id?: string
  fulfillment_channel?: "MERCHANT" | "AMAZON"
  push_status?: string
  q?: string
  linked?: boolean
  variant_id?: string
  /** These listings only. */
  id?: string[]
  /** A sort field, `-` first for descending. */
  order?: AmazonListingSortField | `-${AmazonListingSortField}`
  limit?: number
  offset?: number
}
