/** /admin/amazon/listings/:id/pushes and /admin/amazon/listings/:id/explain. */
import type { ExplainedItem, ExplainedLevel, ExplainedRule } from "../../lib/stock/explain-quantity"
import type { AdminAmazonPaginatedResponse } from "./common"
import type { AmazonFeedStatus } from "./feeds"
import type { AmazonConfirmStatus, AmazonFulfillmentChannel, AmazonPushStatus, AmazonQuantitySource } from "./listings"

/** How a quantity went to Amazon: a single-SKU patchListingsItem call, or a message of a JSON_LISTINGS_FEED. */
export type AmazonPushChannel = "patch" | "feed"

/**
 * Amazon's verdict in a merchant's words. rejected: Amazon did not apply the quantity (a patch answered
 * INVALID or failed for good, a feed message with errors, a feed that ended FATAL or was cancelled);
 * pending: Amazon has not finished the feed; unconfirmed: the feed finished but its report does not say
 * (the quantity is resent). A feed that never reached Amazon is not a push and is not listed.
 */
export type AmazonPushVerdict = "accepted" | "rejected" | "warning" | "pending" | "unconfirmed"

/** One quantity sent to Amazon for a listing, whichever way it went. */
export interface AdminAmazonListingPush {
  channel: AmazonPushChannel
  quantity: number
  verdict: AmazonPushVerdict
  /** Amazon's message (issues joined), or why the feed failed; null when there is nothing to say. */
  message: string | null
  /** Amazon's issue code, or FEED_FATAL / FEED_CANCELLED for a feed Amazon refused as a whole. */
  code: string | null
  /** When it was sent: the patch call, or the feed's submission (its creation when it never got that far). */
  sent_at: string
  /** When Amazon's verdict was recorded; null while pending. A patch is answered in the same call. */
  settled_at: string | null
  /** The feed that carried it (feed channel only). */
  feed?: { id: string; amazon_feed_id: string | null; status: AmazonFeedStatus }
}

/** GET /admin/amazon/listings/:id/pushes: newest first, patches and feed messages in one list. */
export interface AdminAmazonListingPushListResponse extends AdminAmazonPaginatedResponse {
  pushes: AdminAmazonListingPush[]
}

/**
 * Why the push does (not) compute a quantity for the listing: computed = it does; the others say why
 * not (Amazon-fulfilled, no linked variant, account disabled, account settings or listing rules unreadable).
 */
export type AmazonQuantityExplainState = "computed" | "fba" | "unlinked" | "account_disabled" | "invalid_settings" | "invalid_rules"

/** One stock level of an inventory item, whether it counts for Amazon and why not, with the location's name (null when it is gone). */
export type AmazonExplainLocation = ExplainedLevel & { name: string | null }

/** One inventory item of the variant (several make a kit) and its counted stock. */
export type AmazonExplainInventoryItem = Omit<ExplainedItem, "levels"> & { locations: AmazonExplainLocation[] }

/** One quantity rule as applied, in the push's order (buffer, percentage, max, min); `decided` marks the last one that changed the quantity. */
export type AmazonExplainRule = ExplainedRule

/** GET /admin/amazon/listings/:id/explain: how the quantity for Amazon comes about, and what happens next. */
export interface AdminAmazonListingExplain {
  listing_id: string
  seller_sku: string
  marketplace_id: string
  fulfillment_channel: AmazonFulfillmentChannel
  state: AmazonQuantityExplainState
  /** What is wrong (invalid settings or rules), in the push's own words. */
  problem: string | null
  variant_id: string | null
  /** null when there is no variant to count. */
  manage_inventory: boolean | null
  inventory_items: AmazonExplainInventoryItem[]
  /** Units (or whole kits) before the rules; for a variant that does not manage inventory, the account's unmanaged_quantity. */
  available: number | null
  rules: AmazonExplainRule[]
  /** What the push sends for this listing now; null when it sends nothing (see state). */
  quantity: number | null
  amazon: {
    last_accepted_quantity: number | null
    last_accepted_at: string | null
    last_sent_quantity: number | null
    last_sent_at: string | null
    push_status: AmazonPushStatus
    last_error_code: string | null
    last_error: string | null
    /** What Amazon showed when last read (read-back or listings report), and when; null: never read. */
    shown_quantity: number | null
    shown_at: string | null
    shown_source: AmazonQuantitySource | null
    confirm_status: AmazonConfirmStatus | null
  }
  /** The variant waits in the push queue (a change not sent yet). */
  queued: boolean
  /** The listing is in a feed Amazon has not finished. */
  in_feed: boolean
  /** A rejected quantity is retried at this time. */
  next_retry_at: string | null
  /** When the stock push job runs next (its schedule as loaded); null when it cannot be read. */
  next_push_at: string | null
  /** One line, e.g. "12 in stock at 2 locations − buffer 2 → 10; Amazon accepted 10 (3 min ago), confirmed: Amazon showed 10 when read back 3 min ago; up to date". */
  summary: string
}

/** GET /admin/amazon/listings/:id/explain */
export interface AdminAmazonListingExplainResponse {
  explain: AdminAmazonListingExplain
}
