import { bulkEntityIds } from "../utils/bulk-ids"
import { BULK_JSON_ROWS, sql, SqlManager } from "./sql"

/** amazon_stock_outbox: the queue of variants whose sellable stock may have changed. */

export type StockOutboxChange = { variant_id: string; reason: string; urgent?: boolean; at?: Date }

export type StockOutboxRow = {
  id: string
  variant_id: string
  version: number
  urgent: boolean
  reason: string
  first_enqueued_at: Date
}

/**
 * The outbox upsert behind every enqueue: one row per variant (duplicates merged first, urgent wins),
 * passed as one JSON parameter per 20,000 rows. A variant already queued gets its version bumped; a change
 * older than the row's last enqueue (an event recorded before a reconcile queued the variant, resolved
 * after it) keeps the row's newer reason, so the admin and the feed's purpose show the latest cause.
 * `at` is when the change happened (default now): the queue's age counts from there.
 */
async function upsertStockOutbox(manager: SqlManager, items: StockOutboxChange[]): Promise<number> {
  const now = new Date()
  // Per variant: the earliest change (the queue's age), the latest one and its reason, urgent if any is.
  const unique = new Map<string, { variant_id: string; reason: string; urgent: boolean; first: Date; last: Date }>()
  for (const i of items) {
    if (!i.variant_id) continue
    const at = i.at ?? now
    const prev = unique.get(i.variant_id)
    if (!prev) {
      unique.set(i.variant_id, { variant_id: i.variant_id, reason: i.reason, urgent: Boolean(i.urgent), first: at, last: at })
      continue
    }
    prev.urgent ||= Boolean(i.urgent)
    if (at < prev.first) prev.first = at
    if (at >= prev.last) {
      prev.last = at
      prev.reason = i.reason
    }
  }
  const rows = [...unique.values()]
  for (let i = 0; i < rows.length; i += BULK_JSON_ROWS) {
    const slice = rows.slice(i, i + BULK_JSON_ROWS)
    const ids = bulkEntityIds("amzobx", slice.length)
    const part = slice.map((r, k) => ({
      id: ids[k],
      variant_id: r.variant_id,
      reason: r.reason,
      urgent: r.urgent,
      first: r.first.toISOString(),
      last: r.last.toISOString(),
    }))
    await sql.runBound(
      manager,
      `insert into amazon_stock_outbox (id, variant_id, reason, event_count, version, first_enqueued_at, last_enqueued_at, urgent)
       select r.id, r.variant_id, r.reason, 1, 1, r.first, r.last, r.urgent
         from json_to_recordset(?::json) as r(id text, variant_id text, reason text, urgent boolean, first timestamptz, last timestamptz)
       on conflict (variant_id) where deleted_at is null do update set
         reason = case when excluded.last_enqueued_at >= amazon_stock_outbox.last_enqueued_at then excluded.reason else amazon_stock_outbox.reason end,
         event_count = amazon_stock_outbox.event_count + 1,
         version = amazon_stock_outbox.version + 1,
         last_enqueued_at = greatest(amazon_stock_outbox.last_enqueued_at, excluded.last_enqueued_at),
         urgent = amazon_stock_outbox.urgent or excluded.urgent,
         updated_at = now()`,
      [JSON.stringify(part)]
    )
  }
  return rows.length
}

/**
 * Queued rows, urgent ones and the oldest first, as plain rows. One raw select: the generated list method
 * builds an ORM entity per row, which costs seconds for a 50,000-row run.
 */
async function readStockOutbox(manager: SqlManager, limit: number): Promise<StockOutboxRow[]> {
  const { rows } = await sql.runBound(
    manager,
    `select id, variant_id, version, urgent, reason, first_enqueued_at
       from amazon_stock_outbox
      where deleted_at is null
      order by urgent desc, first_enqueued_at asc, id asc
      limit ?`,
    [Math.max(0, Math.floor(limit))]
  )
  return rows
}

/**
 * Deletes pushed rows, but only at the version the push read: a row bumped meanwhile stays queued for the
 * next run (nothing is lost between reading and recording). The (id, version) pairs travel as one JSON
 * parameter per 20,000 rows and are joined in (a row-value IN list of that size is planned slowly).
 */
async function deleteStockOutboxAtVersion(manager: SqlManager, rows: { id: string; version: number }[]): Promise<number> {
  let deleted = 0
  for (let i = 0; i < rows.length; i += BULK_JSON_ROWS) {
    const part = rows.slice(i, i + BULK_JSON_ROWS).map((r) => ({ id: r.id, version: r.version }))
    const res = await sql.runBound(
      manager,
      `delete from amazon_stock_outbox as o
        using json_to_recordset(?::json) as r(id text, version integer)
        where o.id = r.id and o.version = r.version`,
      [JSON.stringify(part)]
    )
    deleted += Number(res.rowCount ?? 0)
  }
  return deleted
}

export const stockOutboxRepository = {
  upsert: upsertStockOutbox,
  read: readStockOutbox,
  deleteAtVersion: deleteStockOutboxAtVersion,
}
