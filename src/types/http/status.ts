/** GET /admin/amazon/status (the dashboard summary). */
import type { AmazonRegion } from "./accounts"
import type { AdminAmazonNotificationSummary } from "./notifications"
import type { AmazonPushStatus } from "./listings"
import type { AdminAmazonSyncLog } from "./sync-logs"

/** The figures one chart sample keeps (also the live point of the chart). */
export interface AdminAmazonStatusFigures {
  queue_depth: number
  oldest_age_seconds: number
  /** Time a stock change has waited to leave (oldest outbox row). */
  push_lag_seconds: number
  /** Time the oldest unfinished feed has been at Amazon without a result. */
  confirmation_lag_seconds: number
  /** Time since the order import's watermark (what Amazon changed since then is not in the store yet). */
  order_import_lag_seconds: number | null
  throttled_last_hour: number
}

/** A point of the lag chart: a recorded sample, or the live point appended last. */
export interface AdminAmazonStatusSample {
  at: string
  queue_depth: number
  push_lag_seconds: number
  confirmation_lag_seconds: number
  order_import_lag_seconds: number | null
  throttled_last_hour: number
  /** Only on the live point (it carries every figure). */
  oldest_age_seconds?: number
  live: boolean
}

export interface AdminAmazonStatusWarning {
  /** AUTHORIZATION_EXPIRING, FEED_STUCK, SUSTAINED_THROTTLING, … */
  code: string
  severity: "warning" | "error"
  message: string
  account_id?: string
}

export interface AdminAmazonJobSchedule {
  name: string
  schedule: string
  description: string
  /** The environment variable that changes this schedule; null when unknown. */
  env: string | null
}

/** "Is it working?" for one account, decided from the same figures and warnings the cards show. */
export interface AdminAmazonAccountVerdict {
  account_id: string
  state: "healthy" | "delayed" | "action_needed"
  /** The one reason that decides the state, in a merchant's words. */
  reason: string
  /** What to do next ("Nothing to do." when healthy). */
  next_step: string
  /** The warning code or figure that decided it (PUSH_LAG, ORDER_LAG, OK, or a warning code). */
  code: string
  /** Where the merchant acts on it. */
  action: "listings" | "orders" | "settings" | "feeds" | null
}

/** Open errors and warnings of one cause (account + stream + code), in plain words. */
export interface AdminAmazonSyncLogGroup {
  /** `account_id|stream|code`: what POST /admin/amazon/sync-logs/resolve takes as `groups`. */
  key: string
  account_id: string | null
  stream: string
  code: string | null
  level: "warn" | "error"
  /** What happened, in a merchant's words. */
  title: string
  /** What to do about it. */
  advice: string
  action: "listings" | "orders" | "settings" | "feeds" | null
  count: number
  first_at: string
  last_at: string
  /** The newest entry's own message. */
  latest_message: string
  /** Up to 5 SKUs or Amazon order ids it is about. */
  examples: string[]
}

export interface AdminAmazonStatus {
  generated_at: string
  accounts: {
    id: string
    name: string
    region: AmazonRegion
    seller_id: string
    marketplace_ids: string[]
    enabled: boolean
    authorized_at: string | null
    authorization_age_days: number | null
  }[]
  figures: AdminAmazonStatusFigures
  /**
   * depth = outbox rows (variants sold on Amazon waiting for a push); pending_events = store events the
   * subscriber recorded that the next push run has yet to resolve into outbox rows (they may concern
   * variants Amazon does not sell, so they are not added to the depth).
   */
  queue: { depth: number; urgent: number; pending_events: number; oldest_enqueued_at: string | null }
  push: {
    last_push_at: string | null
    last_feed_at: string | null
    last_patch_at: string | null
    unfinished_feeds: number
    stuck_feeds: number
    oldest_unfinished_feed_at: string | null
    listings: Record<"total" | AmazonPushStatus, number>
  }
  orders: {
    last_import_at: string | null
    watermark: string | null
    last_error: string | null
    imported: number
    needs_attention: number
    pending: number
  }
  fba: {
    last_sync_at: string | null
    skus: number
    issues: number
    cursors: {
      account_id: string
      marketplace_id: string
      last_run_at: string | null
      last_success_at: string | null
      watermark: string | null
      last_error: string | null
    }[]
  }
  listings_import: { account_id: string; last_success_at: string | null; last_error: string | null }[]
  throttle: { state: "ok" | "throttled" | "sustained"; last_hour: number; last_at: string | null }
  /**
   * Unresolved errors and warnings to act on: the newest 10, how many there are, and all of them grouped
   * by account and cause in plain words (one row per cause, not per retry).
   */
  errors: { count: number; items: Omit<AdminAmazonSyncLog, "resolved_at">[]; groups: AdminAmazonSyncLogGroup[] }
  /** One verdict per account (in the order of `accounts`): Healthy / Delayed / Action needed and why. */
  verdicts: AdminAmazonAccountVerdict[]
  /** Amazon notifications per account (in the order of `accounts`): on or off, health, the last 24 hours. */
  notifications: AdminAmazonNotificationSummary[]
  warnings: AdminAmazonStatusWarning[]
  schedules: AdminAmazonJobSchedule[]
  samples: AdminAmazonStatusSample[]
}

/** GET /admin/amazon/status */
export interface AdminAmazonStatusResponse {
  status: AdminAmazonStatus
}
