export const SYNC_LOG_FIELDS = ["id", "account_id", "stream", "level", "code", "message", "context", "resolved_at", "resolved_by", "created_at"]

export const listSyncLogsQueryConfig = { defaults: SYNC_LOG_FIELDS, allowed: SYNC_LOG_FIELDS, isList: true }
