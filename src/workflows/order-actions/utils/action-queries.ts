import type { OrderActionKind, OrderActionStatus } from "../../../lib/amazon/order-actions"
import type { Sql } from "../../shared/medusa-tables"

/**
 * The statements that move amazon_order_action rows through their states. Raw SQL on the shared
 * connection because claiming must be atomic across instances (`for update skip locked` inside one
 * update), which the generated service methods (read, then write) are not.
 */

/** An amazon_order_action row as the send steps use it. */
export interface OrderActionRow {
  id: string
  account_id: string
  kind: OrderActionKind
  idempotency_key: string
  amazon_order_id: string
  amazon_order_record_id: string | null
  marketplace_id: string
  order_id: string
  fulfillment_id: string | null
  package_reference: string | null
  payload: Record<string, unknown>
  status: OrderActionStatus
  channel: "call" | "feed" | null
  feed_id: string | null
  message_id: number | null
  attempts: number
  next_attempt_at: Date | string | null
  last_error_code: string | null
  last_error: string | null
  sent_at: Date | string | null
  done_at: Date | string | null
  created_at: Date | string
}

const COLUMNS = `id, account_id, kind, idempotency_key, amazon_order_id, amazon_order_record_id, marketplace_id, order_id,
  fulfillment_id, package_reference, payload, status, channel, feed_id, message_id, attempts, next_attempt_at,
  last_error_code, last_error, sent_at, done_at, created_at`

function byAge(a: OrderActionRow, b: OrderActionRow): number {
  return new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || a.id.localeCompare(b.id)
}

/**
 * Rows a dead run left `sending` (claimed, never answered, no feed) go back to the queue. Their attempt
 * count stays, so their next send re-reads Amazon's state before it resends.
 */
export async function requeueAbandoned(sql: Sql, accountId: string, claimedBefore: Date): Promise<number> {
  const { rows } = await sql.raw(
    `update amazon_order_action
        set status = 'queued', next_attempt_at = null,
            last_error_code = 'INTERRUPTED',
            last_error = 'The send was interrupted before Amazon answered; Amazon''s state is checked before the next attempt.',
            updated_at = now()
      where account_id = ? and status = 'sending' and feed_id is null and deleted_at is null and sent_at < ?
      returning id`,
    [accountId, claimedBefore.toISOString()]
  )
  return rows.length
}

/** Due shipment confirmations that were never sent (a backlog of these may go out as a feed). */
export async function countDueFresh(sql: Sql, accountId: string, kind: OrderActionKind, now: Date): Promise<number> {
  const { rows } = await sql.raw(
    `select count(*)::int as n from amazon_order_action
      where account_id = ? and kind = ? and status = 'queued' and attempts = 0 and deleted_at is null
        and (next_attempt_at is null or next_attempt_at <= ?)`,
    [accountId, kind, now.toISOString()]
  )
  return Number(rows[0]?.n ?? 0)
}

/**
 * Claims due queued rows (oldest first) in one statement: they become `sending` with the channel they go
 * out by, their attempt counted and the claim time in sent_at. Rows another run holds are skipped.
 * `fresh` limits the claim to rows never sent (true) or already tried (false).
 */
export async function claimDue(
  sql: Sql,
  input: { account_id: string; kind: OrderActionKind; channel: "call" | "feed"; now: Date; limit: number; fresh?: boolean }
): Promise<OrderActionRow[]> {
  if (input.limit <= 0) return []
  const attempts = input.fresh === undefined ? "" : input.fresh ? "and attempts = 0" : "and attempts > 0"
  const { rows } = await sql.raw(
    `update amazon_order_action a
        set status = 'sending', attempts = a.attempts + 1, channel = ?, sent_at = ?, updated_at = now()
       from (select id from amazon_order_action
              where account_id = ? and kind = ? and status = 'queued' and deleted_at is null
                and (next_attempt_at is null or next_attempt_at <= ?) ${attempts}
              order by created_at, id
              limit ?
              for update skip locked) due
      where a.id = due.id
      returning ${COLUMNS.split(",").map((c) => `a.${c.trim()}`).join(", ")}`,
    [input.channel, input.now.toISOString(), input.account_id, input.kind, input.now.toISOString(), Math.floor(input.limit)]
  )
  return (rows as OrderActionRow[]).sort(byAge)
}

export interface ActionOutcome {
  id: string
  status: "queued" | "done" | "failed"
  next_attempt_at?: Date | null
  last_error_code?: string | null
  last_error?: string | null
}

/**
 * Records outcomes: done (errors cleared, done_at now), failed (Amazon's code and message), or queued
 * again (with its next attempt time). Only rows still `sending` are touched, so an outcome never
 * overwrites a newer state. One statement per 5,000 rows.
 */
export async function recordOutcomes(sql: Sql, outcomes: ActionOutcome[], at: Date): Promise<number> {
  let updated = 0
  for (let i = 0; i < outcomes.length; i += 5_000) {
    const part = outcomes.slice(i, i + 5_000).map((o) => ({
      id: o.id,
      status: o.status,
      next_attempt_at: o.status === "queued" ? (o.next_attempt_at?.toISOString() ?? null) : null,
      last_error_code: o.status === "done" ? null : (o.last_error_code ?? null),
      last_error: o.status === "done" ? null : (o.last_error ?? null)?.slice(0, 2000) ?? null,
    }))
    const { rows } = await sql.raw(
      `update amazon_order_action a
          set status = v.status, next_attempt_at = v.next_attempt_at, last_error_code = v.last_error_code,
              last_error = v.last_error,
              done_at = case when v.status = 'done' then ?::timestamptz else a.done_at end,
              feed_id = case when v.status = 'queued' then null else a.feed_id end,
              message_id = case when v.status = 'queued' then null else a.message_id end,
              updated_at = now()
         from json_to_recordset(?::json) as v(id text, status text, next_attempt_at timestamptz, last_error_code text, last_error text)
        where a.id = v.id and a.status = 'sending' and a.deleted_at is null
        returning a.id`,
      [at.toISOString(), JSON.stringify(part)]
    )
    updated += rows.length
  }
  return updated
}

/** Ties claimed rows to the feed that carries them (Amazon's feed id, the row's MessageID). */
export async function assignFeed(sql: Sql, feedId: string, rows: { id: string; message_id: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5_000) {
    await sql.raw(
      `update amazon_order_action a set feed_id = ?, message_id = v.message_id, updated_at = now()
         from json_to_recordset(?::json) as v(id text, message_id integer)
        where a.id = v.id and a.deleted_at is null`,
      [feedId, JSON.stringify(rows.slice(i, i + 5_000))]
    )
  }
}

/** Rows waiting for an order feed's processing report, grouped by Amazon's feed id. */
export async function openFeedRows(sql: Sql, accountId: string): Promise<Map<string, OrderActionRow[]>> {
  const { rows } = await sql.raw(
    `select ${COLUMNS} from amazon_order_action
      where account_id = ? and status = 'sending' and channel = 'feed' and feed_id is not null and deleted_at is null
      order by feed_id, message_id`,
    [accountId]
  )
  const out = new Map<string, OrderActionRow[]>()
  for (const row of rows as OrderActionRow[]) {
    const list = out.get(row.feed_id as string) ?? []
    list.push(row)
    out.set(row.feed_id as string, list)
  }
  return out
}

/** Accounts with something to do: due queued rows, or rows waiting for a feed. */
export async function accountsWithWork(sql: Sql, now: Date): Promise<string[]> {
  const { rows } = await sql.raw(
    `select distinct account_id from amazon_order_action
      where deleted_at is null
        and ((status = 'queued' and (next_attempt_at is null or next_attempt_at <= ?)) or status = 'sending')`,
    [now.toISOString()]
  )
  return rows.map((r: { account_id: string }) => r.account_id)
}
