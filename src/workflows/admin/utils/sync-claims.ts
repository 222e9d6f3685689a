import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, generateEntityId } from "@medusajs/framework/utils"
import type { AdminAmazonFinishedSync } from "../../../types/http"
import type { SyncStream } from "../constants"

/**
 * One "sync now" at a time per stream and account, across every instance of the app.
 *
 * The marker is a row of amazon_sync_cursor per account with stream `admin_sync` and scope = the sync
 * stream; `state.running` holds the claim while the sync is requested or running. Claiming locks the
 * account rows (`select … for update`, in id order) and writes the marker only when none of them holds a
 * live one, in one transaction, so of 25 simultaneous requests exactly one wins, whichever process
 * serves it. A claim is a lease: the run renews it while alive and clears it when done; a crashed run's
 * marker stops counting once `lease_until` passes.
 */

/** amazon_sync_cursor.stream of the markers (not read by the dashboard, which lists its own streams). */
export const SYNC_CLAIM_CURSOR_STREAM = "admin_sync"

/** How long a claim holds without being renewed (a crashed run blocks the stream at most this long). */
export const SYNC_CLAIM_LEASE_SECONDS = 120

/** How often a running sync renews its claim. */
export const SYNC_CLAIM_RENEW_MS = 30_000

/** Streams whose workflows work on the whole store, whatever account was named. */
const STORE_WIDE: readonly SyncStream[] = ["stock_push", "feed_results"]

/** A claim as stored in `state.running` and shown in a 409. */
export interface SyncClaim {
  /** amzsync_… (also in the amazon.sync_requested event). */
  id: string
  stream: SyncStream
  /** The account the request named; null = every enabled account. */
  account_id: string | null
  /** The accounts whose marker the claim holds. */
  account_ids: string[]
  requested_by: string | null
  /** When the sync was requested (ISO). */
  started_at: string
  /** The claim counts until then unless renewed (ISO). */
  lease_until: string
  /** Where the run is, in words (setSyncClaimProgress); null before its first report. */
  progress: string | null
}

export type ClaimSyncResult = { claimed: true; sync: SyncClaim } | { claimed: false; running: SyncClaim }

/** What PG_CONNECTION resolves to: a knex instance (query builder + raw + transaction). */
type Knex = any

function knexOf(container: MedusaContainer): Knex {
  return container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
}

function iso(value: unknown): string {
  return new Date(value as string).toISOString()
}

function toClaim(raw: Record<string, unknown>): SyncClaim {
  return {
    id: String(raw.id),
    stream: raw.stream as SyncStream,
    account_id: (raw.account_id as string | null) ?? null,
    account_ids: (raw.account_ids as string[] | null) ?? [],
    requested_by: (raw.requested_by as string | null) ?? null,
    started_at: iso(raw.started_at),
    lease_until: iso(raw.lease_until),
    progress: typeof raw.progress === "string" ? raw.progress : null,
  }
}

/**
 * The accounts a sync of `stream` works on: the named one, else every enabled account. Store-wide streams
 * (the stock push and its feed results) work on every enabled account whichever is named, so they
 * always claim them all.
 */
export function syncClaimAccountIds(stream: SyncStream, accountId: string | null | undefined, enabledAccountIds: string[]): string[] {
  const ids = accountId && !STORE_WIDE.includes(stream) ? [accountId] : enabledAccountIds
  return [...new Set(ids)].sort()
}

/**
 * Claims `stream` for the accounts, or returns the live claim that holds one of them. Atomic across
 * processes (row locks in one transaction).
 */
export async function claimSync(
  container: MedusaContainer,
  input: { stream: SyncStream; account_id: string | null; account_ids: string[]; requested_by: string | null }
): Promise<ClaimSyncResult> {
  const knex = knexOf(container)
  const accountIds = [...new Set(input.account_ids)].sort()
  if (!accountIds.length) {
    throw new Error("claimSync: no account to claim")
  }
  // The marker rows exist once per account and stream; created outside the claim transaction (a
  // concurrent creator of the same row just does nothing).
  await knex.raw(
    `insert into amazon_sync_cursor (id, account_id, stream, scope)
     select * from unnest(?::text[], ?::text[], ?::text[], ?::text[])
     on conflict (account_id, stream, scope) where deleted_at is null do nothing`,
    [
      accountIds.map(() => generateEntityId(undefined, "amzcur")),
      accountIds,
      accountIds.map(() => SYNC_CLAIM_CURSOR_STREAM),
      accountIds.map(() => input.stream),
    ]
  )
  const id = generateEntityId(undefined, "amzsync")
  return knex.transaction(async (trx: Knex) => {
    const { rows } = await trx.raw(
      `select id, state->'running' as running,
              coalesce((state->'running'->>'lease_until')::timestamptz > now(), false) as live
         from amazon_sync_cursor
        where stream = ? and scope = ? and account_id = any(?::text[]) and deleted_at is null
        order by id
          for update`,
      [SYNC_CLAIM_CURSOR_STREAM, input.stream, accountIds]
    )
    const holder = (rows as { running: Record<string, unknown> | null; live: boolean }[]).find((r) => r.live)
    if (holder?.running) {
      return { claimed: false, running: toClaim(holder.running) } as ClaimSyncResult
    }
    if (rows.length !== accountIds.length) {
      throw new Error(`claimSync: ${accountIds.length - rows.length} marker row(s) of ${input.stream} missing`)
    }
    const { rows: written } = await trx.raw(
      `update amazon_sync_cursor
          set state = coalesce(state, '{}'::jsonb) || jsonb_build_object('running', jsonb_build_object(
                'id', ?::text, 'stream', ?::text, 'account_id', ?::text, 'account_ids', ?::jsonb, 'requested_by', ?::text,
                'started_at', now(), 'lease_until', now() + make_interval(secs => ?))),
              last_run_at = now(),
              updated_at = now()
        where id = any(?::text[])
    returning state->'running' as running`,
      [
        id,
        input.stream,
        input.account_id,
        JSON.stringify(accountIds),
        input.requested_by,
        SYNC_CLAIM_LEASE_SECONDS,
        (rows as { id: string }[]).map((r) => r.id),
      ]
    )
    return { claimed: true, sync: toClaim(written[0].running) } as ClaimSyncResult
  })
}

/**
 * Extends a claim's lease; returns how many account markers it still holds (fewer than it claimed = its
 * lease ran out and another sync took some of them over).
 */
export async function renewSyncClaim(container: MedusaContainer, claimId: string): Promise<number> {
  const { rows } = await knexOf(container).raw(
    `update amazon_sync_cursor
        set state = jsonb_set(state, '{running,lease_until}', to_jsonb(now() + make_interval(secs => ?))), updated_at = now()
      where stream = ? and state->'running'->>'id' = ? and deleted_at is null
  returning id`,
    [SYNC_CLAIM_LEASE_SECONDS, SYNC_CLAIM_CURSOR_STREAM, claimId]
  )
  return rows.length
}

/** Records where a running sync is (shown under "Started from here" while it runs). */
export async function setSyncClaimProgress(container: MedusaContainer, claimId: string, progress: string): Promise<void> {
  await knexOf(container).raw(
    `update amazon_sync_cursor
        set state = jsonb_set(state, '{running,progress}', to_jsonb(?::text)), updated_at = now()
      where stream = ? and state->'running'->>'id' = ? and deleted_at is null`,
    [progress.slice(0, 300), SYNC_CLAIM_CURSOR_STREAM, claimId]
  )
}

/** Clears a claim (the sync is over, or was never started); a marker taken over by another claim is left alone. */
export async function releaseSyncClaim(container: MedusaContainer, claimId: string): Promise<number> {
  const { rows } = await knexOf(container).raw(
    `update amazon_sync_cursor
        set state = state - 'running', updated_at = now()
      where stream = ? and state->'running'->>'id' = ? and deleted_at is null
  returning id`,
    [SYNC_CLAIM_CURSOR_STREAM, claimId]
  )
  return rows.length
}

/** A finished "sync now" as the admin lists it (the route adds the user's e-mail). */
export type FinishedSync = Omit<AdminAmazonFinishedSync, "requested_by_email">

/**
 * What "sync now" is doing: the live claims (one per running sync, whichever accounts it holds) and the
 * outcomes of the last day's runs, newest first (their log entries carry `requested_at`).
 */
export async function listSyncActivity(container: MedusaContainer, opts: { recent?: number } = {}): Promise<{ running: SyncClaim[]; recent: FinishedSync[] }> {
  const knex = knexOf(container)
  const [{ rows: claims }, { rows: logs }] = await Promise.all([
    knex.raw(
      `select distinct on (state->'running'->>'id') state->'running' as running
         from amazon_sync_cursor
        where stream = ? and deleted_at is null and (state->'running'->>'lease_until')::timestamptz > now()`,
      [SYNC_CLAIM_CURSOR_STREAM]
    ),
    knex.raw(
      `select id, account_id, stream, level, code, message, context, created_at
         from amazon_sync_log
        where deleted_at is null and context->>'requested_at' is not null and created_at > now() - interval '24 hours'
        order by created_at desc
        limit ?`,
      [opts.recent ?? 20]
    ),
  ])
  return {
    running: (claims as { running: Record<string, unknown> }[]).map((r) => toClaim(r.running)).sort((a, b) => (a.started_at < b.started_at ? 1 : -1)),
    recent: (logs as { id: string; account_id: string | null; stream: string; code: string | null; message: string; context: Record<string, unknown> | null; created_at: unknown }[]).map(
      (l) => ({
        id: l.id,
        stream: String(l.context?.stream ?? l.stream),
        account_id: l.account_id,
        ok: l.code === "SYNC_DONE",
        message: l.message,
        requested_by: (l.context?.requested_by as string | null) ?? null,
        requested_at: (l.context?.requested_at as string | null) ?? null,
        finished_at: iso(l.created_at),
      })
    ),
  }
}
