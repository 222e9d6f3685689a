/** /admin/amazon/sync-logs and /admin/amazon/sync-logs/resolve. */
import type { AdminResolveAmazonSyncLogsType } from "../../api/admin/amazon/sync-logs/validators"
import type { AdminAmazonPaginatedResponse } from "./common"

/** POST /admin/amazon/sync-logs/resolve */
export type AdminResolveAmazonSyncLogsBody = AdminResolveAmazonSyncLogsType

export type AmazonSyncLogLevel = "info" | "warn" | "error"

/** A sync log entry: a failure to act on, or a notable event. */
export interface AdminAmazonSyncLog {
  id: string
  account_id: string | null
  stream: string
  level: AmazonSyncLogLevel
  code: string | null
  message: string
  context: Record<string, unknown> | null
  /** When the merchant marked it handled; null = still to act on. */
  resolved_at: string | null
  created_at: string
}

/** GET /admin/amazon/sync-logs */
export interface AdminAmazonSyncLogListResponse extends AdminAmazonPaginatedResponse {
  sync_logs: AdminAmazonSyncLog[]
}

/** POST /admin/amazon/sync-logs/resolve: the ids that were still open and are now resolved. */
export interface AdminAmazonResolveSyncLogsResponse {
  resolved: string[]
}
