/** amazon_sync_cursor.stream and amazon_sync_log.stream of the order import (cursor scope = marketplace id). */
export const ORDERS_STREAM = "orders"

/** amazon_sync_cursor.stream and amazon_sync_log.stream of the back-import of older orders (scope = marketplace id). */
export const ORDERS_BACKFILL_STREAM = "orders_backfill"

/** The searchOrders operation key of the SP-API client's quota table. */
export const SEARCH_ORDERS_OPERATION = "orders-2026-01-01.searchOrders" as const

/** One lock per Amazon order: two runs (two instances, or a poll and an admin retry) never apply it side by side. */
export function amazonOrderLockKey(amazonOrderId: string): string {
  return `amazon-order:${amazonOrderId}`
}

/** One import run per account at a time: runs overlapping would spend the searchOrders quota twice. */
export function orderImportLockKey(accountId: string): string {
  return `amazon-import-orders:${accountId}`
}

/** Reason stored in the stock outbox when the import changed store stock. */
export const ORDER_STOCK_CHANGE_REASON = "amazon.order.imported"

/** Pages one run fetches at most; the rest continues from the stored page token next run. */
export const DEFAULT_MAX_PAGES_PER_RUN = 20

/**
 * Orders of a page applied at the same time. Orders that share an inventory item or a buyer still run one
 * after the other (see runKeyed); creating a Medusa order takes a good fraction of a second, so a backlog
 * of hundreds of orders clears several times faster.
 */
export const DEFAULT_APPLY_CONCURRENCY = 4
