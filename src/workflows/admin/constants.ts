/**
 * Names shared by the admin extension's routes, workflows, subscriber and job.
 */

/** Emitted by "sync now" (POST /admin/amazon/sync); the subscriber starts the matching workflow. */
export const AMAZON_SYNC_REQUESTED_EVENT = "amazon.sync_requested"
/** Stock work was queued outside the store's own events (a mapping or rule change): push it soon. */
export const AMAZON_STOCK_QUEUED_EVENT = "amazon.stock_queued"

/**
 * What "sync now" can start. Each maps to one workflow of the feature that owns the stream:
 * stock_push / feed_results / reconcile (stock push), drift_check (comparison with Amazon's listings report), orders (order import), fba_stock (FBA),
 * listings_import (this extension).
 */
export const SYNC_STREAMS = ["stock_push", "feed_results", "reconcile", "drift_check", "orders", "fba_stock", "listings_import"] as const
export type SyncStream = (typeof SYNC_STREAMS)[number]

/** amazon_sync_log.stream of this extension's own records. */
export const LOG_STREAM = {
  /** test connection results */
  connection: "connection",
  /** listings imported from Amazon (and their failures) */
  listingsImport: "listings_import",
  /** outcome of an admin "sync now" */
  adminSync: "admin_sync",
  /** periodic samples of queue depth and lag for the dashboard chart (level info, never "to act on") */
  statusSample: "status_sample",
} as const

/** amazon_sync_cursor.stream values read by the dashboard (written by the features that own them). */
export const CURSOR_STREAM = {
  orders: "orders",
  fbaStock: "fba_stock",
  listingsImport: "listings_import",
} as const

/** amazon_sync_log codes that mean Amazon throttled us (or we had to wait too long for quota). */
export const THROTTLE_CODES = ["QuotaExceeded", "RateLimitWaitExceeded", "FEED_QUOTA_WAIT"] as const

/** Amazon expires an app authorisation after 365 days; warn a month ahead. */
export const AUTHORIZATION_WARN_DAYS = 335
export const AUTHORIZATION_EXPIRES_DAYS = 365

/** How long a status sample is kept for the chart. */
export const STATUS_SAMPLE_RETENTION_HOURS = 7 * 24

/** The "test connection" answer the merchant waits for: never longer than this. */
export const TEST_CONNECTION_DEADLINE_MS = 20_000
