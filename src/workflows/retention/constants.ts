/**
 * Amazon fulfillment statuses (amazon_order.status) after which an order is closed: its buyer data is
 * kept for the retention period from Amazon's last update (amazon_updated_at), then removed. The same
 * statuses lib/amazon/orders/build-order-input.ts treats as final (CANCELLED, UNFULFILLABLE) plus SHIPPED.
 */
export const BUYER_DATA_CLOSED_STATUSES = ["SHIPPED", "CANCELLED", "UNFULFILLABLE"] as const

/** Orders per read + bulk update: a page of payloads (a few kB each) per statement. */
export const BUYER_DATA_BATCH = 200

/** The time `days` before `now`: what a retention of `days` keeps is newer than it. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000)
}

/** The newest amazon_updated_at an order may have to lose its buyer data, `days` before `now`. */
export function buyerDataCutoff(now: Date, days: number): Date {
  return retentionCutoff(now, days)
}

/**
 * Days a listing's push history (amazon_listing_patch) is kept. Amazon keeps a feed, and so its
 * processing report, for at most 90 days (getFeeds, feeds 2021-06-30): the same horizon, so the patch side
 * of the history never reaches further back than what Amazon can still confirm on the feed side.
 * (The plugin does not prune amazon_feed / amazon_feed_message yet; they should use this value when it does.)
 */
export const PUSH_HISTORY_RETENTION_DAYS = 90

/** Patch rows per delete: a statement stays short even after a long outage of the job. */
export const PUSH_HISTORY_PRUNE_BATCH = 5000

/**
 * Days a received Amazon notification (amazon_notification) is kept: as long as buyer data by default, since an
 * ORDER_CHANGE payload holds the buyer's postal code; the work it started is recorded elsewhere.
 */
export const NOTIFICATION_RETENTION_DAYS = 30
