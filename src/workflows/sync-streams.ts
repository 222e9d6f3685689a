import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { marketplaceLabel } from "../lib/amazon/endpoints"
import { AMAZON_MODULE } from "../modules/amazon"
import type AmazonModuleService from "../modules/amazon/service"
import { CURSOR_STREAM, SyncStream } from "./admin/constants"
import { importAmazonListingsWorkflow } from "./admin/import-amazon-listings"
import { runDriftCheck } from "./drift-check/run-drift-check"
import { runFbaStockSync } from "./fba-stock/run-fba-stock-sync"
import type { FbaSyncMode } from "./fba-stock/constants"
import { importAmazonOrders, type ImportAmazonOrdersOutput } from "./order-import/import-amazon-orders"
import { processAmazonFeedResultsWorkflow } from "./stock-push/process-amazon-feed-results"
import { pushAmazonStockWorkflow } from "./stock-push/push-amazon-stock"
import { reconcileAmazonStockWorkflow } from "./stock-push/reconcile-amazon-stock"
import { requestStockPushSoon } from "./stock-push/utils/push-soon"

/**
 * What runs a stream: the admin's "sync now" streams plus the daily full FBA scan, which only the
 * schedule starts (it is not offered as "sync now": an incremental pass is what a merchant waits for).
 */
export type StreamName = SyncStream | "fba_full_scan"

export interface StreamRunOptions {
  /** Only this account (when the stream works per account). Default: every enabled account. */
  account_id?: string | null
  /**
   * How long to wait for a run of the same stream that holds its lock. Scheduled runs pass 0 (the next
   * tick comes soon); "sync now" waits, the merchant asked for this run.
   */
  wait_for_lock_seconds: number
  /** Who asked (the admin's "sync now"); undefined for a scheduled run. */
  requested_by?: string | null
  /** Where a long run is, in words (the admin's "sync now" shows it while the run lasts). Never throws. */
  onProgress?: (text: string) => void
}

/** "Amazon.de (2 of 3)": which of a run's account × marketplace passes is under way. */
function passLabel(marketplaceId: string, index: number, total: number): string {
  const name = marketplaceLabel(marketplaceId)
  return total > 1 ? `${name} (${index} of ${total})` : name
}

/** Every enabled account's marketplaces, as the per-marketplace runners walk them. */
function marketplacePasses(accounts: { id: string; marketplace_ids?: unknown }[]): { account_id: string; marketplace_id: string }[] {
  return accounts.flatMap((a) => ((a.marketplace_ids ?? []) as string[]).map((marketplace_id) => ({ account_id: a.id, marketplace_id })))
}

/** One workflow run of a stream, for one account (or store-wide: account_id null). */
export interface StreamRunResult {
  account_id: string | null
  ok: boolean
  /** Why it failed (the workflow error's code, or the FBA runner's). */
  code?: string
  message?: string
  /** The workflow's result when ok (its shape is the owning feature's). */
  result?: unknown
}

export type StreamRunner = (container: MedusaContainer, options: StreamRunOptions) => Promise<StreamRunResult[]>

type WorkflowRun = { result?: unknown; errors?: { error?: unknown }[] }

/** The first error of a workflow run that did not throw (throwOnError: false) as code + message. */
export function workflowFailure(errors: WorkflowRun["errors"]): { code: string; message: string } {
  const err = (errors?.[0]?.error ?? {}) as { code?: string; type?: string; message?: string }
  return { code: String(err.code ?? err.type ?? "SYNC_FAILED"), message: String(err.message ?? "unknown error") }
}

function asResult(account_id: string | null, run: WorkflowRun): StreamRunResult {
  return run.errors?.length ? { account_id, ok: false, ...workflowFailure(run.errors) } : { account_id, ok: true, result: run.result }
}

async function enabledAccounts(container: MedusaContainer, accountId?: string | null) {
  return container.resolve<AmazonModuleService>(AMAZON_MODULE).listAmazonAccounts(
    accountId ? { id: accountId, enabled: true } : { enabled: true },
    { select: ["id", "marketplace_ids"], order: { created_at: "ASC" } }
  )
}

/**
 * How far back the first order import of a marketplace looks, store-wide (hours,
 * AMAZON_ORDER_IMPORT_LOOKBACK_HOURS); an account's settings.order_lookback_hours wins; default 24.
 */
const orderLookbackSeconds = Number(process.env.AMAZON_ORDER_IMPORT_LOOKBACK_HOURS) > 0 ? Number(process.env.AMAZON_ORDER_IMPORT_LOOKBACK_HOURS) * 3600 : undefined

const pushStock: StreamRunner = async (container, { wait_for_lock_seconds }) => [
  asResult(null, await pushAmazonStockWorkflow(container).run({ input: { wait_for_lock_seconds }, throwOnError: false })),
]

function fbaPasses(mode: FbaSyncMode): StreamRunner {
  return async (container, { account_id, wait_for_lock_seconds, onProgress }) => {
    const results: StreamRunResult[] = []
    const passes = marketplacePasses(await enabledAccounts(container, account_id))
    // One after the other: the passes of an account share its quota.
    for (const [i, pass] of passes.entries()) {
      onProgress?.(`${passLabel(pass.marketplace_id, i + 1, passes.length)}: reading FBA stock`)
      // runFbaStockSync records its own failures in the sync log and on the cursor.
      const outcome = await runFbaStockSync(container, { ...pass, mode, lock_timeout_seconds: wait_for_lock_seconds })
      results.push(
        outcome.status === "failed"
          ? { account_id: pass.account_id, ok: false, code: outcome.code, message: outcome.message }
          : { account_id: pass.account_id, ok: true, result: outcome }
      )
    }
    return results
  }
}

/**
 * The one place that says which workflows run a stream. The scheduled jobs (src/jobs) and the admin's
 * "sync now" (admin/run-amazon-sync.ts) both call these, so a stream behaves the same whoever starts it;
 * only the lock wait differs. A runner never throws for a failed workflow run: it returns the failure
 * (the caller logs it, or records it for the admin); it throws only when it cannot run at all (e.g. the
 * database is down).
 */
export const SYNC_STREAM_RUNNERS: Record<StreamName, StreamRunner> = {
  stock_push: pushStock,

  feed_results: async (container, { wait_for_lock_seconds }) => [
    asResult(null, await processAmazonFeedResultsWorkflow(container).run({ input: { wait_for_lock_seconds }, throwOnError: false })),
  ],

  /** Queue every mapped SKU (of one account, or all), then push at once: only what differs goes out. */
  reconcile: async (container, options) => {
    options.onProgress?.("Queuing every linked SKU")
    const queued = asResult(
      options.account_id ?? null,
      await reconcileAmazonStockWorkflow(container).run({ input: { account_id: options.account_id ?? undefined }, throwOnError: false })
    )
    if (!queued.ok || !(queued.result as { enqueued?: number } | undefined)?.enqueued) {
      return [queued]
    }
    options.onProgress?.(`Pushing what differs among ${(queued.result as { enqueued: number }).enqueued} SKU(s)`)
    return [queued, ...(await pushStock(container, options))]
  },

  /**
   * Compares what Amazon shows (its listings report, per account and marketplace) with what the plugin
   * last set, then pushes at once when differences were queued. Minutes per marketplace: Amazon prepares
   * the report. Each check records its own failure (amazon_drift_check, sync log).
   */
  drift_check: async (container, options) => {
    const results: StreamRunResult[] = []
    const passes = marketplacePasses(await enabledAccounts(container, options.account_id))
    for (const [i, pass] of passes.entries()) {
      const label = passLabel(pass.marketplace_id, i + 1, passes.length)
      const outcome = await runDriftCheck(container, {
        ...pass,
        trigger: options.requested_by !== undefined ? "admin" : "scheduled",
        requested_by: options.requested_by ?? null,
        onProgress: options.onProgress ? (text) => options.onProgress!(`${label}: ${text}`) : undefined,
      })
      results.push(
        outcome.status === "failed"
          ? { account_id: pass.account_id, ok: false, code: outcome.code, message: outcome.message }
          : { account_id: pass.account_id, ok: true, result: outcome }
      )
    }
    if (results.some((r) => r.ok && ((r.result as { summary?: { requeued?: number } })?.summary?.requeued ?? 0) > 0)) {
      options.onProgress?.("Sending the differences to Amazon")
    }
    const requeued = results.some((r) => r.ok && ((r.result as { summary?: { requeued?: number } })?.summary?.requeued ?? 0) > 0)
    return requeued ? [...results, ...(await pushStock(container, options))] : results
  },

  orders: async (container, { account_id, onProgress }) => {
    const results: StreamRunResult[] = []
    const accounts = await enabledAccounts(container, account_id)
    // The import of an account never waits for a running one: it ends at once when the account is locked.
    for (const [i, account] of accounts.entries()) {
      onProgress?.(accounts.length > 1 ? `Importing the orders of account ${i + 1} of ${accounts.length}` : "Importing orders")
      try {
        const result = await importAmazonOrders(container, { account_id: account.id, lookback_seconds: orderLookbackSeconds })
        results.push({ account_id: account.id, ok: true, result })
      } catch (e) {
        // Failures inside a run are already in amazon_sync_log; this is the run itself breaking.
        const err = e as { code?: string; type?: string; message?: string }
        results.push({ account_id: account.id, ok: false, code: String(err?.code ?? err?.type ?? "SYNC_FAILED"), message: String(err?.message ?? e) })
      }
    }
    // Applied orders queued the stock they moved (recordAmazonOrderVersions): push it soon, not on the minute.
    const applied = results.some((r) =>
      ((r.result as ImportAmazonOrdersOutput | undefined)?.marketplaces ?? []).some((m) => m.imported > 0 || m.orders > m.skipped)
    )
    if (applied) {
      requestStockPushSoon(container)
    }
    return results
  },

  fba_stock: fbaPasses("incremental"),

  fba_full_scan: fbaPasses("full"),

  /** A failed import is also written on the listings-import cursor, where the dashboard shows it. */
  listings_import: async (container, { account_id }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const results: StreamRunResult[] = []
    for (const account of await enabledAccounts(container, account_id)) {
      const result = asResult(
        account.id,
        await importAmazonListingsWorkflow(container).run({ input: { account_id: account.id }, throwOnError: false })
      )
      results.push(result)
      if (!result.ok) {
        const cursor = await amazon.getOrCreateCursor(account.id, CURSOR_STREAM.listingsImport)
        await amazon.updateAmazonSyncCursors({
          id: cursor.id,
          last_run_at: new Date(),
          last_error: `${result.code}: ${result.message}`.slice(0, 2000),
        })
      }
    }
    return results
  },
}

/**
 * A scheduled job's run of a stream: failures are logged (the workflows already recorded what the admin
 * must see in amazon_sync_log), never thrown, so one bad tick does not stop the schedule. Returns the
 * results that succeeded, for the job's own summary line.
 */
export async function runScheduledStream(
  container: MedusaContainer,
  stream: StreamName,
  options: StreamRunOptions
): Promise<StreamRunResult[]> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  let results: StreamRunResult[]
  try {
    results = await runSyncStream(container, stream, options)
  } catch (e) {
    logger.error(`amazon ${stream} failed: ${(e as { message?: string })?.message ?? String(e)}`)
    return []
  }
  for (const r of results.filter((r) => !r.ok)) {
    logger.error(`amazon ${stream} failed${r.account_id ? ` for account ${r.account_id}` : ""}: ${r.code}: ${r.message}`)
  }
  return results.filter((r) => r.ok)
}

/** Runs one stream (see SYNC_STREAM_RUNNERS). */
export function runSyncStream(container: MedusaContainer, stream: StreamName, options: StreamRunOptions): Promise<StreamRunResult[]> {
  return SYNC_STREAM_RUNNERS[stream](container, options)
}
