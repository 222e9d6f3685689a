import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { batchInventoryItemLevelsWorkflow } from "@medusajs/medusa/core-flows"
import { AMAZON_MODULE } from "../../modules/amazon"
import type AmazonModuleService from "../../modules/amazon/service"
import { releaseAmazonLockWorkflow } from "../shared/release-amazon-lock"
import { chunked, FBA_STOCK_STREAM } from "./constants"
import type { FbaPassSummary } from "./steps/advance-fba-cursor"
import { finishFbaStockPassWorkflow, startFbaStockPassWorkflow, SyncFbaStockWorkflowInput } from "./sync-fba-stock"

export type FbaSyncOutcome =
  | { status: "done"; account_id: string; marketplace_id: string; summary: FbaPassSummary }
  | { status: "skipped"; account_id: string; marketplace_id: string; reason: string }
  | { status: "failed"; account_id: string; marketplace_id: string; code: string; message: string; step: string | null }

type WorkflowError = { message?: string; code?: string; type?: string; name?: string }

/** The lock step's refusal when another pass of the same account + marketplace holds the lock. */
function isLockBusy(error: WorkflowError): boolean {
  return /holds the lock|acquire lock|acquiring lock/i.test(error?.message ?? "")
}

/**
 * Runs one FBA pass (its three workflow parts, see runFbaPass) and makes its failure visible: a failed pass is written to amazon_sync_log and to the
 * cursor (last_error, state.last_failure) so the admin sees it, and never advances the watermark. Called
 * per account and marketplace by the fba_stock / fba_full_scan runners (workflows/sync-streams.ts), which
 * the scheduled jobs and the admin's "sync now" share.
 */
export async function runFbaStockSync(container: MedusaContainer, input: SyncFbaStockWorkflowInput): Promise<FbaSyncOutcome> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const ids = { account_id: input.account_id, marketplace_id: input.marketplace_id }
  const { result, errors } = await runFbaPass(container, input)
  if (!errors?.length) {
    const summary = result as FbaPassSummary
    logger.info(
      `amazon fba_stock: ${summary.mode} pass account=${input.account_id} marketplace=${input.marketplace_id} ` +
        `skus=${summary.skus} pages=${summary.pages} calls=${summary.calls} restarts=${summary.restarts} ` +
        `levels(created=${summary.levels_created}, updated=${summary.levels_updated}) ${summary.duration_ms}ms`
    )
    return { status: "done", ...ids, summary }
  }

  const error = (errors[0]?.error ?? {}) as WorkflowError
  if (isLockBusy(error)) {
    logger.info(`amazon fba_stock: pass skipped, another one is running account=${input.account_id} marketplace=${input.marketplace_id}`)
    return { status: "skipped", ...ids, reason: "another pass of this account and marketplace is running" }
  }

  const code = String(error.code ?? error.type ?? "FBA_SYNC_FAILED")
  const message = String(error.message ?? "unknown error")
  const step = (errors[0] as { action?: string })?.action ?? null
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  try {
    await amazon.recordSyncLog({
      account_id: input.account_id,
      stream: FBA_STOCK_STREAM,
      level: "error",
      code,
      message: `FBA ${input.mode} pass of ${input.marketplace_id} failed: ${message}`,
      context: { marketplace_id: input.marketplace_id, mode: input.mode, step },
    })
    const [account] = await amazon.listAmazonAccounts({ id: input.account_id }, { take: 1, select: ["id"] })
    if (account) {
      const cursor = await amazon.getOrCreateCursor(input.account_id, FBA_STOCK_STREAM, input.marketplace_id)
      const state = (cursor.state as Record<string, unknown> | null) ?? {}
      await amazon.updateAmazonSyncCursors({
        id: cursor.id,
        last_run_at: new Date(),
        last_error: `${code}: ${message}`.slice(0, 2000),
        // json columns are merged on update: a key is cleared by setting it to null
        state: { ...state, running: null, last_failure: { at: new Date().toISOString(), mode: input.mode, code, message, step } },
      })
    }
  } catch (e) {
    // Recording must not hide the original failure.
    logger.error(`amazon fba_stock: could not record a failed pass: ${(e as Error).message}`)
  }
  return { status: "failed", ...ids, code, message, step }
}

type WorkflowRun = { result?: unknown; errors?: { error?: unknown; action?: string }[] }

/**
 * The three parts of a pass (see startFbaStockPassWorkflow), each a workflow run: start (lock … plan),
 * the level writes in chunks, finish (flag, watermark, unlock). Returns the first failed run; after the
 * start succeeded, a failure releases the pass's lock here (the start's compensation no longer can).
 */
async function runFbaPass(container: MedusaContainer, input: SyncFbaStockWorkflowInput): Promise<WorkflowRun> {
  const start = await startFbaStockPassWorkflow(container).run({ input, throwOnError: false })
  if (start.errors?.length) {
    return start
  }
  const started = start.result
  let released = false
  try {
    let created = 0
    let updated = 0
    for (const part of chunked(started.levels?.create ?? [])) {
      const run = await batchInventoryItemLevelsWorkflow(container).run({ input: { create: part, update: [], delete: [] }, throwOnError: false })
      if (run.errors?.length) return run
      created += part.length
    }
    for (const part of chunked(started.levels?.update ?? [])) {
      const run = await batchInventoryItemLevelsWorkflow(container).run({ input: { create: [], update: part, delete: [] }, throwOnError: false })
      if (run.errors?.length) return run
      updated += part.length
    }
    const advance = { ...started.advance, summary: { ...started.advance.summary, levels_created: created, levels_updated: updated } }
    const finish = await finishFbaStockPassWorkflow(container).run({
      input: { lock: started.lock, flag: started.flag, advance },
      throwOnError: false,
    })
    // The finish's last step released the lock; from then on another pass may hold it.
    released = !finish.errors?.length
    return finish
  } finally {
    if (!released) {
      await releaseAmazonLockWorkflow(container)
        .run({ input: started.lock })
        .catch(() => undefined)
    }
  }
}
