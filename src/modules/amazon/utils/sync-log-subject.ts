/**
 * What a sync log entry is about, from its context: a listing, an order action, an Amazon order record or
 * a feed, an MCF order (the module's row ids, whose prefixes tell them apart). Null: the stream as a whole. Stored as
 * amazon_sync_log.subject_id, which decides how the entry resolves itself (repositories/sync-logs.ts).
 */
export function syncLogSubject(context: Record<string, unknown> | null | undefined): string | null {
  if (!context) return null
  for (const key of ["listing_id", "action_id", "amazon_order_record_id", "feed_id", "mcf_order_record_id"]) {
    const v = context[key]
    if (typeof v === "string" && v) return v
  }
  return null
}
