/** Shapes of the plugin's admin API responses (src/api/admin/amazon/**). */

export type Region = "NA" | "EU" | "FE"

export interface QuantityRules {
  buffer?: number
  percentage?: number
  max?: number
  min?: number
}

export interface AccountSettings {
  stock_location_ids?: string[]
  rules?: QuantityRules
  unmanaged_quantity?: number
  sales_channel_id?: string
  region_ids?: Record<string, string>
  fba_location_ids?: Record<string, string>
  push?: { op?: "merge" | "replace"; max_patches_per_run?: number; urgent_at_or_below?: number; stuck_after_minutes?: number }
  order_overlap_seconds?: number
}

export interface ConnectionTest {
  ok: boolean
  at: string
  code: string | null
  message: string
}

export interface AmazonAccount {
  id: string
  name: string
  region: Region
  seller_id: string
  marketplace_ids: string[]
  lwa_client_id: string
  /** Amazon's SP-API sandbox instead of production. */
  sandbox: boolean
  sp_api_base_url: string | null
  lwa_token_url: string | null
  enabled: boolean
  authorized_at: string | null
  settings: AccountSettings | null
  lwa_client_secret_set: boolean
  refresh_token_set: boolean
  last_connection_test: ConnectionTest | null
  created_at: string
  updated_at: string
}

/** POST /admin/amazon/accounts/:id */
export interface AccountUpdateResponse {
  account: AmazonAccount
  /** Linked listings queued because a quantity setting changed (0 = none). */
  requeued_listings: number
  /** When the stock push job runs next (ISO), null when its schedule is unknown. */
  next_push_at: string | null
}

export interface ConnectionResult {
  ok: boolean
  account_id: string
  tested_at: string
  latency_ms: number
  code: string | null
  message: string | null
  request_id: string | null
  marketplaces: { id: string; name: string; country_code: string; currency_code: string; is_participating: boolean }[]
  missing_marketplace_ids: string[]
}

export type PushStatus = "idle" | "pending" | "accepted" | "error"

export interface AmazonListing {
  id: string
  account_id: string
  marketplace_id: string
  seller_sku: string
  asin: string | null
  product_type: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  rules: QuantityRules | null
  push_status: PushStatus
  last_accepted_quantity: number | null
  last_accepted_at: string | null
  last_sent_quantity: number | null
  last_sent_at: string | null
  pending_feed_id: string | null
  last_error_code: string | null
  last_error: string | null
  retry_count: number
  next_retry_at: string | null
  product_variant: { id: string; sku: string | null; title: string; product_id: string; product?: { title: string } | null } | null
}

export interface AmazonFeed {
  id: string
  account_id: string
  marketplace_id: string
  feed_type: string
  purpose: "push" | "reconcile"
  status: string
  amazon_feed_id: string | null
  message_count: number
  accepted_count: number | null
  error_count: number | null
  submitted_at: string | null
  completed_at: string | null
  last_polled_at: string | null
  stuck: boolean
  error: string | null
  created_at: string
  message_counts?: Record<"pending" | "accepted" | "error" | "warning" | "unconfirmed", number>
}

export interface AmazonFeedMessage {
  id: string
  message_id: number
  listing_id: string
  seller_sku: string
  quantity: number
  status: "pending" | "accepted" | "error" | "warning" | "unconfirmed"
  issues: { code?: string; message?: string; severity?: string }[] | null
  processed_at: string | null
}

export interface AmazonOrder {
  id: string
  account_id: string
  amazon_order_id: string
  marketplace_id: string
  status: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  amazon_created_at: string | null
  amazon_updated_at: string
  import_status: "pending" | "imported" | "needs_attention"
  attention_reason: string | null
  attention_code: string | null
  order_id: string | null
  attempts: number
}

export interface SyncLog {
  id: string
  account_id: string | null
  stream: string
  level: "info" | "warn" | "error"
  code: string | null
  message: string
  context: Record<string, unknown> | null
  resolved_at?: string | null
  created_at: string
}

export interface StatusWarning {
  code: string
  severity: "warning" | "error"
  message: string
  account_id?: string
}

export interface StatusSample {
  at: string
  queue_depth: number
  push_lag_seconds: number
  confirmation_lag_seconds: number
  order_import_lag_seconds: number | null
  throttled_last_hour: number
  live: boolean
}

export interface AmazonStatus {
  generated_at: string
  accounts: {
    id: string
    name: string
    region: Region
    seller_id: string
    marketplace_ids: string[]
    enabled: boolean
    authorized_at: string | null
    authorization_age_days: number | null
  }[]
  figures: {
    queue_depth: number
    oldest_age_seconds: number
    push_lag_seconds: number
    confirmation_lag_seconds: number
    order_import_lag_seconds: number | null
    throttled_last_hour: number
  }
  queue: { depth: number; urgent: number; pending_events: number; oldest_enqueued_at: string | null }
  push: {
    last_push_at: string | null
    last_feed_at: string | null
    last_patch_at: string | null
    unfinished_feeds: number
    stuck_feeds: number
    oldest_unfinished_feed_at: string | null
    listings: Record<"total" | PushStatus, number>
  }
  orders: { last_import_at: string | null; watermark: string | null; last_error: string | null; imported: number; needs_attention: number; pending: number }
  fba: {
    last_sync_at: string | null
    skus: number
    issues: number
    cursors: { account_id: string; marketplace_id: string; last_run_at: string | null; last_success_at: string | null; watermark: string | null; last_error: string | null }[]
  }
  listings_import: { account_id: string; last_success_at: string | null; last_error: string | null }[]
  throttle: { state: "ok" | "throttled" | "sustained"; last_hour: number; last_at: string | null }
  errors: { count: number; items: SyncLog[] }
  warnings: StatusWarning[]
  schedules: { name: string; schedule: string; description: string }[]
  samples: StatusSample[]
}

export type SyncStream = "stock_push" | "feed_results" | "reconcile" | "orders" | "fba_stock" | "listings_import"

/** A started "sync now" (202), as in AmazonSyncRequestedEventData. */
export interface SyncRequested {
  id: string
  stream: SyncStream
  account_id: string | null
  account_ids: string[]
  requested_by: string | null
  requested_at: string
}

/** A SKU auto-link left unlinked: its variant already sells through another merchant SKU of the marketplace. */
export interface AutoLinkConflict {
  listing_id: string
  seller_sku: string
  variant_id: string
  linked_listing_id: string
  linked_seller_sku: string
}

export interface ListResponse {
  count: number
  offset: number
  limit: number
}
