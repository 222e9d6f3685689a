import { sql, SqlManager } from "./sql"

/** amazon_listing: the push state of each listing (what was sent, what Amazon accepted, errors, retries). */

const LISTING_PUSH_COLUMN_TYPES = {
  last_accepted_quantity: "integer",
  last_accepted_at: "timestamptz",
  last_sent_quantity: "integer",
  last_sent_at: "timestamptz",
  push_status: "text",
  pending_feed_id: "text",
  last_error_code: "text",
  last_error: "text",
  retry_count: "integer",
  next_retry_at: "timestamptz",
  amazon_quantity: "integer",
  amazon_quantity_at: "timestamptz",
  amazon_quantity_source: "text",
  confirm_status: "text",
  confirm_due_at: "timestamptz",
  confirm_attempts: "integer",
  confirm_repushed_at: "timestamptz",
} as const

export type ListingPushColumn = keyof typeof LISTING_PUSH_COLUMN_TYPES

export type ListingPushState = { id: string } & Partial<Record<ListingPushColumn, unknown>>

/**
 * Per-listing push state (each row its own values) for thousands of listings at once. The generated
 * updateAmazonListings first reads rows with `id = ? or id = ? …`, which PostgreSQL plans slowly beyond a
 * few hundred ids (minutes for a 25,000-message feed); this is one `update … from json_to_recordset(…)`
 * per 20,000 rows and per set of columns. Unknown columns are refused.
 */
async function updateListingPushStates(manager: SqlManager, rows: ListingPushState[]): Promise<number> {
  return sql.bulkUpdateById(manager, "amazon_listing", LISTING_PUSH_COLUMN_TYPES, rows)
}

/**
 * A submitted feed's listings wait for its result: push_status "pending", the feed as pending_feed_id,
 * the quantity sent — one statement from the feed's own message rows, so no per-listing list is built
 * or sent for a 25,000-message feed.
 */
async function markFeedListingsPending(manager: SqlManager, feedId: string, submittedAt: Date): Promise<number> {
  const res = await sql.runBound(
    manager,
    `update amazon_listing as l
        set push_status = 'pending', pending_feed_id = m.feed_id, last_sent_quantity = m.quantity, last_sent_at = ?, updated_at = now()
       from amazon_feed_message m
      where m.feed_id = ? and m.deleted_at is null and l.id = m.listing_id and l.deleted_at is null`,
    [submittedAt.toISOString(), feedId]
  )
  return Number(res.rowCount ?? 0)
}

/** A listing as the drift check compares it (what the plugin last set, and when it last pushed). */
export interface DriftListingRow {
  id: string
  seller_sku: string
  fulfillment_channel: string
  last_accepted_quantity: number | null
  last_sent_at: Date | null
  last_accepted_at: Date | null
}

/**
 * Every listing of one account and marketplace, for the drift check: one statement. Paging through the
 * generated listAmazonListings took 3.9–6 s of the 100,000-listing check's 10 s budget (bench P8).
 */
async function listingsOfMarketplace(manager: SqlManager, accountId: string, marketplaceId: string): Promise<DriftListingRow[]> {
  const res = await sql.runBound(
    manager,
    `select id, seller_sku, fulfillment_channel, last_accepted_quantity, last_sent_at, last_accepted_at
       from amazon_listing
      where account_id = ? and marketplace_id = ? and deleted_at is null`,
    [accountId, marketplaceId]
  )
  return res.rows as DriftListingRow[]
}

export const listingsRepository = {
  ofMarketplace: listingsOfMarketplace,
  updatePushStates: updateListingPushStates,
  markFeedPending: markFeedListingsPending,
}
