import { bulkEntityIds } from "../utils/bulk-ids"
import { sql, SqlManager } from "./sql"

/** One message as the consumer records it before deleting it from the queue. */
export interface NotificationInboxInput {
  account_id: string | null
  notification_key: string
  notification_type: string | null
  subject: string | null
  event_time: Date | null
  /** received (to apply), invalid (kept for review) or ignored (no account of this store) */
  status: "received" | "invalid" | "ignored"
  outcome?: string | null
  payload: unknown
  /** Copies of it in this batch (a duplicate delivery can come in the same receive). Default 1. */
  deliveries?: number
}

/** What recording a batch found: the rows that are new (to apply) and how many were duplicates. */
export interface NotificationInboxResult {
  inserted: { id: string; notification_key: string }[]
  duplicates: number
}

/**
 * amazon_notification: the consumer's inbox. Raw SQL for one reason: a batch of up to ten messages must be
 * recorded at once and idempotently (`insert … on conflict (notification_key) where deleted_at is null do update set deliveries + 1`),
 * telling new rows from duplicates in the same statement. The generated create method throws on the unique
 * key, and "find, then create" would race a redelivery read by another instance after a lease changed hands.
 */
export const notificationsRepository = {
  async recordInbox(manager: SqlManager, rows: NotificationInboxInput[], now: Date): Promise<NotificationInboxResult> {
    if (!rows.length) {
      return { inserted: [], duplicates: 0 }
    }
    const ids = bulkEntityIds("amznot", rows.length)
    const records = rows.map((r, i) => ({
      id: ids[i],
      account_id: r.account_id,
      notification_key: r.notification_key,
      notification_type: r.notification_type,
      subject: r.subject,
      event_time: r.event_time ? r.event_time.toISOString() : null,
      status: r.status,
      outcome: r.outcome ?? null,
      payload: r.payload ?? null,
      deliveries: r.deliveries ?? 1,
    }))
    const { rows: out } = await sql.runBound(
      manager,
      `insert into amazon_notification (id, account_id, notification_key, notification_type, subject, event_time, status, outcome,
         payload, received_at, deliveries, attempts, created_at, updated_at)
       select v.id, v.account_id, v.notification_key, v.notification_type, v.subject, v.event_time, v.status, v.outcome,
         v.payload, ?::timestamptz, v.deliveries, 0, ?::timestamptz, ?::timestamptz
       from json_to_recordset(?::json) as v(id text, account_id text, notification_key text, notification_type text, subject text,
         event_time timestamptz, status text, outcome text, payload jsonb, deliveries integer)
       on conflict (notification_key) where deleted_at is null do update set deliveries = amazon_notification.deliveries + excluded.deliveries, updated_at = excluded.updated_at
       returning id, notification_key, (xmax = 0) as inserted`,
      [now.toISOString(), now.toISOString(), now.toISOString(), JSON.stringify(records)]
    )
    const inserted = out.filter((r) => r.inserted).map((r) => ({ id: String(r.id), notification_key: String(r.notification_key) }))
    return { inserted, duplicates: out.length - inserted.length }
  },

  /** Adds to a set-up's counters in one statement (the consumer's batches never read-modify-write them). */
  async countOnSetup(
    manager: SqlManager,
    setupId: string,
    add: { received?: number; applied?: number; duplicates?: number; invalid?: number },
    at: { last_receive_at?: Date; last_message_at?: Date }
  ): Promise<void> {
    await sql.runBound(
      manager,
      `update amazon_notification_setup set
         received_count = received_count + ?, applied_count = applied_count + ?,
         duplicate_count = duplicate_count + ?, invalid_count = invalid_count + ?,
         last_receive_at = coalesce(?::timestamptz, last_receive_at),
         last_message_at = greatest(last_message_at, ?::timestamptz),
         updated_at = now()
       where id = ?`,
      [
        add.received ?? 0,
        add.applied ?? 0,
        add.duplicates ?? 0,
        add.invalid ?? 0,
        at.last_receive_at?.toISOString() ?? null,
        at.last_message_at?.toISOString() ?? null,
        setupId,
      ]
    )
  },
}
