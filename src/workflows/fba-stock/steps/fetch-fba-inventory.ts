import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { collectInventoryPass, FbaPassError } from "../../../lib/amazon/fba/inventory-pass"
import { FBA_DEFAULT_OVERLAP_MS, incrementalStartDateTime } from "../../../lib/amazon/fba/watermark"
import type { ParsedInventorySummary } from "../../../lib/amazon/parsers/parse-inventory-summaries"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { toMedusaError } from "../../../modules/amazon/utils/to-medusa-error"
import type { FbaSyncMode } from "../constants"

export const fetchFbaInventoryStepId = "amazon-fetch-fba-inventory"

export interface FetchFbaInventoryStepInput {
  account_id: string
  marketplace_id: string
  /** incremental = from the watermark (a full scan when there is none yet); full = every SKU. */
  mode: FbaSyncMode
  watermark: string | null
  cursor_id: string
  cursor_state: Record<string, unknown>
  /** Subtracted from the watermark (clock skew, whole seconds). Default 300 s. */
  overlap_seconds?: number
  /** Restarts after expired nextTokens before the pass fails. Default 3. */
  max_restarts?: number
}

export interface FbaPassStats {
  pages: number
  calls: number
  restarts: number
  skus: number
  duration_ms: number
}

export interface FetchFbaInventoryStepOutput {
  /** The mode actually run: an incremental pass without a usable watermark is a full scan. */
  mode: FbaSyncMode
  /** Taken before the first call: the next watermark once this pass is recorded. */
  pass_started_at: string
  start_date_time: string | null
  items: ParsedInventorySummary[]
  stats: FbaPassStats
}

/** Progress is written every this many pages (a write per page would slow the paging for nothing). */
const PROGRESS_EVERY_PAGES = 20

/**
 * Reads one pass of FBA inventory summaries (details=true) for a marketplace, every page back to back
 * (see lib/amazon/fba/inventory-pass.ts for the paging and expired-token restart rules).
 *
 * No compensation: it only reads from Amazon; the "running" marker it leaves in the cursor state is
 * replaced when the pass is recorded or its failure is.
 *
 * @example
 * const pass = fetchFbaInventoryStep({ account_id, marketplace_id, mode: "incremental", watermark, cursor_id, cursor_state })
 */
export const fetchFbaInventoryStep = createStep(
  fetchFbaInventoryStepId,
  async (input: FetchFbaInventoryStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)

    // Taken before the first call: a SKU changing while we page is either in this pass or after the
    // next watermark, never lost in between.
    const started = new Date()
    const overlapMs = (input.overlap_seconds ?? FBA_DEFAULT_OVERLAP_MS / 1000) * 1000
    const startDateTime =
      input.mode === "incremental" ? incrementalStartDateTime(input.watermark, started, overlapMs) : undefined
    const mode: FbaSyncMode = startDateTime === undefined ? "full" : "incremental"

    const running = { mode, started_at: started.toISOString(), start_date_time: startDateTime ?? null, pages: 0, skus: 0 }
    const writeProgress = (p: { pages: number; skus: number; restarts?: number }) =>
      amazon.updateAmazonSyncCursors({
        id: input.cursor_id,
        last_run_at: started,
        state: { ...input.cursor_state, running: { ...running, ...p } },
      })
    await writeProgress({ pages: 0, skus: 0 })

    const api = await amazon.getSpApi(input.account_id)
    let pass
    try {
      pass = await collectInventoryPass({
        marketplaceId: input.marketplace_id,
        startDateTime,
        maxRestarts: input.max_restarts,
        fetchPage: async (query) => {
          const res = await api.getInventorySummaries(query)
          return { data: res.data, attempts: res.attempts }
        },
        onPage: async (p) => {
          if (p.pages % PROGRESS_EVERY_PAGES === 0) {
            await writeProgress(p)
          }
        },
      })
    } catch (e) {
      if (e instanceof FbaPassError) {
        // the stable code (TOO_MANY_RESTARTS …) goes to the sync log
        throw new MedusaError(
          MedusaError.Types.UNEXPECTED_STATE,
          `FBA inventory pass failed after ${e.progress.pages} page(s), ${e.progress.calls} call(s): ${e.message}`,
          e.code
        )
      }
      throw toMedusaError(e)
    }

    const stats: FbaPassStats = {
      pages: pass.pages,
      calls: pass.calls,
      restarts: pass.restarts,
      skus: pass.skus,
      duration_ms: Date.now() - started.getTime(),
    }
    if (pass.restarts) {
      logger.warn(
        `amazon fba_stock: nextToken expired ${pass.restarts}x, pass restarted account=${input.account_id} marketplace=${input.marketplace_id}`
      )
    }
    const output: FetchFbaInventoryStepOutput = {
      mode,
      pass_started_at: started.toISOString(),
      start_date_time: startDateTime ?? null,
      items: pass.items,
      stats,
    }
    return new StepResponse(output)
  }
)
