/** amazon_sync_log.stream of the order actions (shipment confirmations and cancellations sent to Amazon). */
export const ORDER_ACTIONS_STREAM = "order_actions"

/**
 * One send run per account at a time: rows are claimed and sent under this lock, a lease renewed while
 * the run lives (shared/lock-lease.ts), so a crashed instance blocks the account for at most a minute.
 */
export function orderActionsLockKey(accountId: string): string {
  return `amazon:order-actions:${accountId}`
}

/**
 * confirmShipment's quota is 2 per second with a burst of 10 (FACTS §3): 120 calls take about a minute,
 * the job's period. A backlog of more fresh confirmations than this goes out as one
 * POST_ORDER_FULFILLMENT_DATA feed instead of stretching the run over several minutes.
 */
export const CALLS_PER_RUN = 120

/** Rows put into the feeds of one run (per kind): a few hundred kilobytes of XML. */
export const FEED_ROWS_PER_RUN = 5_000

/**
 * A row left `sending` without a feed this long after it was claimed belongs to a run that died (a run is
 * bounded by the lock's TTL): it goes back to the queue, and its next attempt re-reads Amazon first.
 */
export const ABANDONED_AFTER_MS = 15 * 60_000

/** An order feed still unfinished after this long is reported once (Amazon: usually minutes, up to hours). */
export const FEED_STUCK_AFTER_MS = 2 * 3_600_000
