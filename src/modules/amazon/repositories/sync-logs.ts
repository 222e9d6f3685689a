import { SqlManager } from "./sql"

/**
 * amazon_sync_log: entries that resolve themselves once their cause went away, and "mark handled" by
 * cause. Raw SQL because each rule is a join against the table whose state proves the cause gone (a
 * listing accepted since, a cursor that succeeded since …): one set-based statement per rule instead of
 * reading every open entry into the app.
 *
 * An entry about one thing (subject_id: a listing, an order action, an Amazon order record, a feed)
 * resolves when that thing succeeds after it; an entry about a stream as a whole (no subject) resolves
 * when the stream next succeeds for that account.
 */

const OPEN = `l.resolved_at is null and l.deleted_at is null and l.level in ('warn', 'error')`

/** Same account, or any account when the entry names none. */
const SAME_ACCOUNT = (alias: string) => `(l.account_id is null or ${alias}.account_id = l.account_id)`

/** A stream succeeded after the entry: its cursor for the account moved since. */
const cursorSucceeded = (streams: string[]) =>
  `exists (select 1 from amazon_sync_cursor c where c.deleted_at is null and ${SAME_ACCOUNT("c")}
     and c.stream in (${streams.map((s) => `'${s}'`).join(", ")}) and c.last_success_at > l.created_at)`

const RULES: { name: string; where: string }[] = [
  {
    name: "listing accepted since (or gone)",
    where: `l.subject_id like 'amzlst\\_%' and exists (select 1 from amazon_listing al where al.id = l.subject_id
      and (al.deleted_at is not null or (al.push_status = 'accepted' and al.last_accepted_at > l.created_at)))`,
  },
  {
    name: "order action sent since",
    where: `l.subject_id like 'amzact\\_%' and exists (select 1 from amazon_order_action a where a.id = l.subject_id
      and (a.deleted_at is not null or a.status = 'done'))`,
  },
  {
    // A buyer's cancellation request is handled once the order is cancelled or shipped; an order that
    // needed attention once it is imported. Notes about one SKU of an imported order stay for a person.
    name: "Amazon order handled",
    where: `l.subject_id like 'amzord\\_%' and (l.context->'seller_sku') is null and exists (select 1 from amazon_order o where o.id = l.subject_id
      and (o.deleted_at is not null
        or (l.code = 'BUYER_CANCELLATION_REQUESTED' and o.status in ('CANCELLED', 'SHIPPED'))
        or (coalesce(l.code, '') <> 'BUYER_CANCELLATION_REQUESTED' and o.import_status = 'imported')))`,
  },
  {
    name: "feed finished, or a later feed went through",
    where: `l.subject_id like 'amzfd\\_%' and (
      (l.code in ('FEED_STUCK', 'FEED_POLL_FAILED', 'REPORT_DOWNLOAD_FAILED') and exists (select 1 from amazon_feed f where f.id = l.subject_id
        and (f.deleted_at is not null or f.status in ('processed', 'failed'))))
      or exists (select 1 from amazon_feed f2 where f2.deleted_at is null and ${SAME_ACCOUNT("f2")} and f2.status = 'processed'
        and f2.error is null and coalesce(f2.error_count, 0) = 0 and f2.updated_at > l.created_at))`,
  },
  { name: "order import succeeded since", where: `l.subject_id is null and l.stream = 'orders' and ${cursorSucceeded(["orders"])}` },
  { name: "back-import succeeded since", where: `l.subject_id is null and l.stream = 'orders_backfill' and ${cursorSucceeded(["orders_backfill"])}` },
  { name: "FBA sync succeeded since", where: `l.subject_id is null and l.stream = 'fba_stock' and ${cursorSucceeded(["fba_stock"])}` },
  { name: "listings import succeeded since", where: `l.subject_id is null and l.stream = 'listings_import' and ${cursorSucceeded(["listings_import"])}` },
  {
    name: "a quantity accepted since",
    where: `l.subject_id is null and l.stream = 'stock_push' and exists (select 1 from amazon_listing al where al.deleted_at is null
      and ${SAME_ACCOUNT("al")} and al.last_accepted_at > l.created_at)`,
  },
  {
    name: "a feed result read since",
    where: `l.subject_id is null and l.stream = 'feed_results' and exists (select 1 from amazon_feed f where f.deleted_at is null
      and ${SAME_ACCOUNT("f")} and f.status = 'processed' and f.error is null and f.updated_at > l.created_at)`,
  },
  {
    name: "connection works since",
    where: `l.subject_id is null and l.stream = 'connection' and l.account_id is not null and (
      exists (select 1 from amazon_sync_log ok where ok.deleted_at is null and ok.account_id = l.account_id and ok.stream = 'connection'
        and ok.code = 'CONNECTION_OK' and ok.created_at > l.created_at)
      or ${cursorSucceeded(["orders", "fba_stock", "listings_import"])})`,
  },
  {
    name: "an order action sent since",
    where: `l.subject_id is null and l.stream = 'order_actions' and exists (select 1 from amazon_order_action a where a.deleted_at is null
      and ${SAME_ACCOUNT("a")} and a.status = 'done' and a.updated_at > l.created_at)`,
  },
  {
    // A failed comparison, or listings missing on Amazon, of one marketplace: settled by a later
    // comparison of that marketplace that finished (and, for missing listings, found none).
    name: "a later comparison with Amazon finished",
    where: `l.subject_id is null and l.stream = 'drift_check' and exists (select 1 from amazon_drift_check d where d.deleted_at is null
      and ${SAME_ACCOUNT("d")} and d.marketplace_id = l.context->>'marketplace_id' and d.status = 'done' and d.finished_at > l.created_at
      and (l.code <> 'LISTINGS_MISSING_ON_AMAZON'
        or coalesce((d.summary->>'missing_on_amazon')::int, 0) + coalesce((d.summary->>'inactive_on_amazon')::int, 0) = 0))`,
  },
  {
    // the merchant re-allocated (cancelled the fulfillment), or Amazon shipped after all
    name: "MCF order handled",
    where: `l.subject_id like 'amzmcf\\_%' and exists (select 1 from amazon_mcf_order m where m.id = l.subject_id
      and (m.deleted_at is not null or (m.cancelled_by = 'store' and l.code <> 'MCF_REFUSED') or m.delivered_at is not null
        or (l.code = 'MCF_REFUSED' and m.status <> 'refused')))`,
  },
  {
    // the queue was read since (the consumer's heartbeat), or notifications were set up again or turned off
    name: "the notification queue read since",
    where: `l.subject_id is null and l.stream = 'notifications' and l.code in ('NOTIFICATIONS_QUEUE_ERROR', 'NOTIFICATIONS_PARTIAL')
      and exists (select 1 from amazon_notification_setup n where n.deleted_at is null and n.account_id = l.account_id
        and (n.status = 'removed'
          or (l.code = 'NOTIFICATIONS_QUEUE_ERROR' and n.last_receive_at > l.created_at and (n.last_error_at is null or n.last_error_at < n.last_receive_at))
          or (l.code = 'NOTIFICATIONS_PARTIAL' and n.last_error is null and n.updated_at > l.created_at)))`,
  },
  {
    name: "a later notification applied",
    where: `l.subject_id is null and l.stream = 'notifications' and l.code = 'NOTIFICATION_NOT_APPLIED'
      and exists (select 1 from amazon_notification x where x.deleted_at is null and x.account_id = l.account_id
        and x.status = 'applied' and x.applied_at > l.created_at)`,
  },
  {
    name: "a later sync now succeeded",
    where: `l.subject_id is null and l.stream = 'admin_sync' and exists (select 1 from amazon_sync_log ok where ok.deleted_at is null
      and ${SAME_ACCOUNT("ok")} and ok.stream = 'admin_sync' and ok.code = 'SYNC_DONE' and ok.created_at > l.created_at)`,
  },
]

/** Marks resolved (by "auto") every open entry whose cause went away; returns how many, per rule. */
async function settle(manager: SqlManager, now: Date): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  const knex = manager.getTransactionContext?.() ?? manager.getKnex()
  for (const rule of RULES) {
    const res = (await knex.raw(
      `update amazon_sync_log l set resolved_at = ?, resolved_by = 'auto', updated_at = ? where ${OPEN} and (${rule.where})`,
      [now, now]
    )) as { rowCount: number | null }
    if (res.rowCount) out[rule.name] = res.rowCount
  }
  return out
}

/**
 * Marks handled every open entry of the given causes (account + stream + code; null matches null) by a
 * person. Returns the ids it closed, for the workflow's compensation.
 */
async function resolveCauses(
  manager: SqlManager,
  causes: { account_id: string | null; stream: string; code: string | null }[],
  by: string,
  now: Date
): Promise<string[]> {
  if (!causes.length) return []
  const knex = manager.getTransactionContext?.() ?? manager.getKnex()
  const res = (await knex.raw(
    `update amazon_sync_log l set resolved_at = ?, resolved_by = ?, updated_at = ?
       from json_to_recordset(?::json) as c(account_id text, stream text, code text)
      where ${OPEN} and l.stream = c.stream
        and l.account_id is not distinct from c.account_id and l.code is not distinct from c.code
      returning l.id`,
    [now, by, now, JSON.stringify(causes)]
  )) as { rows: { id: string }[] }
  return res.rows.map((r) => r.id)
}

export const syncLogsRepository = { settle, resolveCauses }
