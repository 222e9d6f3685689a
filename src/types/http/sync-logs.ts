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
  /** When it was closed (marked handled, or its cause went away); null = still to act on. */
  resolved_at: string | null
  /** "auto" (the cause went away) or the admin user who marked it handled. */
  resolved_by?: string | null
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
