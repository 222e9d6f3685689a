import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../../modules/amazon"
import type AmazonModuleService from "../../modules/amazon/service"
import { runSyncStream, StreamRunResult } from "../sync-streams"
import { LOG_STREAM, SyncStream } from "./constants"
import { claimSync, releaseSyncClaim, renewSyncClaim, setSyncClaimProgress, SYNC_CLAIM_RENEW_MS, syncClaimAccountIds } from "./utils/sync-claims"
import { marketplaceLabel } from "../../lib/amazon/endpoints"

export interface AmazonSyncRequest {
  /** The claim taken when the sync was requested (see utils/sync-claims.ts); none = claimed here. */
  id?: string | null
  /** The accounts that claim holds. */
  account_ids?: string[] | null
  stream: SyncStream
  account_id?: string | null
  requested_by?: string | null
  requested_at?: string
}

export interface AmazonSyncOutcome {
  stream: SyncStream
  ok: boolean
  /** Per account (or store-wide) results of the workflows that ran. */
  results: StreamRunResult[]
  duration_ms: number
  /** Why nothing ran: another sync of the stream holds the claim. */
  skipped?: string
}

/** Short, secret-free text of a result for the log line the dashboard shows. */
function describe(stream: SyncStream, result: unknown): string {
  const r = (result ?? {}) as Record<string, any>
  switch (stream) {
    case "stock_push":
      return `${r.candidates ?? 0} listing(s): ${r.skipped ?? 0} unchanged, ${r.patched ?? 0} patched, ${r.fed ?? 0} in ${r.feeds?.length ?? 0} feed(s)`
    case "feed_results":
      return `${r.reports ?? 0} report(s): ${r.accepted ?? 0} accepted, ${r.errors ?? 0} not accepted`
    case "reconcile":
      // the check queues every mapped SKU, then pushes at once: its second result is the push's
      return "candidates" in r ? `pushed: ${describe("stock_push", r)}` : `${r.enqueued ?? r.listings ?? 0} SKU(s) queued for comparison`
    case "drift_check":
      if ("candidates" in r) return `pushed: ${describe("stock_push", r)}`
      return r.status === "done"
        ? `${marketplaceLabel(r.marketplace_id)}: ${r.summary?.compared ?? 0} compared, ${r.summary?.differing ?? 0} differed and were sent again, ${r.summary?.missing_on_amazon ?? 0} missing on Amazon`
        : `${marketplaceLabel(r.marketplace_id ?? "")}: ${r.reason ?? r.status ?? ""}`
    case "listings_import":
      return `${r.reported ?? 0} listing(s) read, ${r.created ?? 0} new`
    case "fba_stock":
      return r.status === "done" ? `${r.summary?.skus ?? 0} SKU(s) read` : String(r.reason ?? r.status ?? "")
    case "orders":
      return `${r.orders ?? r.imported ?? r.seen ?? 0} order(s) seen`
    default:
      return ""
  }
}

/**
 * Takes over the claim made when the sync was requested (renewing its lease), or claims the stream now
 * for a request that came without one. Returns the claim id and how many account markers it holds, or
 * why the run must not start (another sync holds the stream).
 */
async function holdClaim(
  container: MedusaContainer,
  amazon: AmazonModuleService,
  request: AmazonSyncRequest
): Promise<{ id: string; accounts: number } | { skipped: string }> {
  if (request.id) {
    const held = await renewSyncClaim(container, request.id)
    const expected = request.account_ids?.length || 1
    if (held < expected) {
      await releaseSyncClaim(container, request.id)
      return { skipped: `its claim ${request.id} expired before the run started and another sync took the stream over` }
    }
    return { id: request.id, accounts: held }
  }
  const enabled = await amazon.listAmazonAccounts({ enabled: true }, { select: ["id"] })
  const accountIds = syncClaimAccountIds(request.stream, request.account_id, enabled.map((a) => a.id))
  if (!accountIds.length) {
    return { skipped: "no enabled Amazon account" }
  }
  const claim = await claimSync(container, {
    stream: request.stream,
    account_id: request.account_id ?? null,
    account_ids: accountIds,
    requested_by: request.requested_by ?? null,
  })
  return claim.claimed
    ? { id: claim.sync.id, accounts: claim.sync.account_ids.length }
    : { skipped: `${claim.running.id} (started ${claim.running.started_at}) is running` }
}

/**
 * Runs what an admin "sync now" asked for with the stream's runner (sync-streams.ts, the same one the
 * scheduled job calls), and records the outcome in amazon_sync_log (info on success, error with the code on failure) so the
 * dashboard shows it. Started by the amazon.sync_requested subscriber, never by a request handler.
 * Holds the stream's claim while it runs (renewed every SYNC_CLAIM_RENEW_MS) and releases it before
 * recording the outcome, so a sync can be started again as soon as the outcome shows.
 */
export async function runAmazonSync(container: MedusaContainer, request: AmazonSyncRequest): Promise<AmazonSyncOutcome> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const started = Date.now()
  const results: AmazonSyncOutcome["results"] = []

  const claim = await holdClaim(container, amazon, request)
  if ("skipped" in claim) {
    logger.warn(`amazon admin sync: ${request.stream} not run: ${claim.skipped}`)
    // The merchant pressed the button: "Started from here" must say it did not run and why.
    await amazon
      .createAmazonSyncLogs({
        account_id: request.account_id ?? null,
        stream: LOG_STREAM.adminSync,
        level: "info",
        code: "SYNC_SKIPPED",
        message: `Sync now (${request.stream}) did not run: ${claim.skipped}`,
        context: { stream: request.stream, requested_by: request.requested_by ?? null, requested_at: request.requested_at ?? null },
      })
      .catch((e) => logger.error(`amazon admin sync: could not record that ${request.stream} did not run: ${(e as Error)?.message ?? e}`))
    return { stream: request.stream, ok: true, results, duration_ms: Date.now() - started, skipped: claim.skipped }
  }
  const renewal = setInterval(() => {
    renewSyncClaim(container, claim.id)
      .then((held) => {
        if (held < claim.accounts) logger.warn(`amazon admin sync: ${request.stream} lost part of its claim ${claim.id} (lease expired)`)
      })
      .catch((e) => logger.warn(`amazon admin sync: could not renew the claim ${claim.id}: ${(e as Error)?.message ?? e}`))
  }, SYNC_CLAIM_RENEW_MS)
  renewal.unref?.()

  try {
    // The stream's runner is the one the scheduled job uses; "sync now" waits for a running one.
    results.push(...(await runSyncStream(container, request.stream, {
        account_id: request.account_id,
        wait_for_lock_seconds: 60,
        requested_by: request.requested_by ?? null,
        onProgress: (text) => {
          setSyncClaimProgress(container, claim.id, text).catch((e) =>
            logger.warn(`amazon admin sync: could not record the progress of ${claim.id}: ${(e as Error)?.message ?? e}`)
          )
        },
      })))
  } catch (e) {
    // A failure outside the workflows (e.g. the database) must still reach the admin.
    const err = e as { code?: string; message?: string }
    results.push({ account_id: request.account_id ?? null, ok: false, code: String(err?.code ?? "SYNC_FAILED"), message: String(err?.message ?? e) })
  } finally {
    clearInterval(renewal)
    // A failed release leaves the marker until its lease runs out (SYNC_CLAIM_LEASE_SECONDS).
    await releaseSyncClaim(container, claim.id).catch((e) =>
      logger.error(`amazon admin sync: could not release the claim ${claim.id}: ${(e as Error)?.message ?? e}`)
    )
  }

  const outcome: AmazonSyncOutcome = { stream: request.stream, ok: results.every((r) => r.ok), results, duration_ms: Date.now() - started }
  try {
    for (const r of results) {
      if (r.ok) {
        await amazon.createAmazonSyncLogs({
          account_id: r.account_id,
          stream: LOG_STREAM.adminSync,
          level: "info",
          code: "SYNC_DONE",
          message: `Sync now (${request.stream}): ${describe(request.stream, r.result)}`,
          context: { stream: request.stream, requested_by: request.requested_by ?? null, requested_at: request.requested_at ?? null },
        })
      } else if (request.stream !== "fba_stock" && request.stream !== "drift_check") {
        // (those two record their own failures, per marketplace)
        await amazon.recordSyncLog({
          account_id: r.account_id,
          stream: request.stream,
          level: "error",
          code: r.code ?? "SYNC_FAILED",
          message: `Sync now (${request.stream}) failed: ${r.message ?? "unknown error"}`,
          context: { stream: request.stream, requested_by: request.requested_by ?? null, requested_at: request.requested_at ?? null },
        })
      }
    }
  } catch (e) {
    logger.error(`amazon admin sync: could not record the outcome of ${request.stream}: ${(e as Error)?.message ?? e}`)
  }
  return outcome
}
