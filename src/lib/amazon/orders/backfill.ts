/**
 * The back-import of older orders (issue 16): which creation-time range to ask searchOrders for, checked
 * against what Amazon serves (FACTS.md §4: orders of the last 2 years; a range must end at least 2 minutes
 * before the request), and the progress kept on its cursor. Pure.
 */
import { AMAZON_MIN_LAG_MS } from "./search-window"

/** Amazon's searchOrders shows orders of the last 2 years (FACTS.md §4). */
export const AMAZON_ORDER_HISTORY_DAYS = 730

export interface OrderBackfillCounts {
  orders: number
  imported: number
  pending: number
  skipped: number
  needs_attention: number
  failed: number
}

/** What a marketplace's back-import cursor holds (amazon_sync_cursor.state, stream "orders_backfill"). */
export interface OrderBackfillState {
  status: "queued" | "running" | "done" | "failed"
  /** The creation-time range, ISO, whole seconds: [created_after, created_before). */
  created_after: string
  created_before: string
  requested_at: string
  /** The next page, when a run stopped in the middle (tokens live 24 h; a refused one restarts the range). */
  pagination_token: string | null
  pages: number
  counts: OrderBackfillCounts
  updated_at: string | null
  finished_at: string | null
  error: string | null
}

export class OrderBackfillRangeError extends Error {}

function wholeSecond(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z")
}

/**
 * A new back-import from `createdAfter` (a date or date-time) up to `createdBefore` (default: 2 minutes
 * before now — the regular import has looked at everything since its first run, and what both see is
 * applied once). Throws OrderBackfillRangeError for a date that cannot be read, lies in the future, is
 * older than Amazon keeps (AMAZON_ORDER_HISTORY_DAYS, with a day's grace for time zones moved to the
 * limit) or for an empty range.
 *
 * @example
 * newOrderBackfill({ created_after: "2026-06-01", now: new Date() })
 */
export function newOrderBackfill(input: { created_after: string; created_before?: string | null; now: Date }): OrderBackfillState {
  const now = input.now.getTime()
  const after = Date.parse(input.created_after)
  if (!Number.isFinite(after)) {
    throw new OrderBackfillRangeError(`created_after "${input.created_after}" is not a date (use YYYY-MM-DD or an ISO date-time)`)
  }
  const oldest = now - AMAZON_ORDER_HISTORY_DAYS * 86_400_000
  if (after < oldest - 86_400_000) {
    throw new OrderBackfillRangeError(`Amazon keeps orders for 2 years: created_after must be on or after ${wholeSecond(oldest).slice(0, 10)}`)
  }
  const latest = now - AMAZON_MIN_LAG_MS
  const before = input.created_before ? Date.parse(input.created_before) : latest
  if (!Number.isFinite(before)) {
    throw new OrderBackfillRangeError(`created_before "${input.created_before}" is not a date`)
  }
  const start = Math.max(after, oldest)
  const end = Math.min(before, latest)
  if (start >= end) {
    throw new OrderBackfillRangeError("the range holds no time Amazon can be asked about (created_after must lie before created_before and more than 2 minutes in the past)")
  }
  return {
    status: "queued",
    created_after: wholeSecond(start),
    created_before: wholeSecond(end),
    requested_at: new Date(now).toISOString(),
    pagination_token: null,
    pages: 0,
    counts: { orders: 0, imported: 0, pending: 0, skipped: 0, needs_attention: 0, failed: 0 },
    updated_at: null,
    finished_at: null,
    error: null,
  }
}

/** Whether a back-import is still to run (queued, or stopped in the middle by quota). */
export function isBackfillActive(state: Partial<OrderBackfillState> | null | undefined): boolean {
  return state?.status === "queued" || state?.status === "running"
}
