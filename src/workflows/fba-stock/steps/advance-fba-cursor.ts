import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { FbaSyncMode } from "../constants"
import type { FbaPassStats } from "./fetch-fba-inventory"

export const advanceFbaCursorStepId = "amazon-advance-fba-cursor"

export interface FbaPassSummary extends FbaPassStats {
  mode: FbaSyncMode
  /** Time spent paging Amazon (duration_ms is the whole pass, writes included). */
  fetch_ms: number
  started_at: string
  finished_at: string
  start_date_time: string | null
  snapshots_created: number
  snapshots_updated: number
  zeroed: number
  flagged: number
  newly_flagged: number
  levels_created: number
  levels_updated: number
  levels_unchanged: number
  location_id: string | null
}

export interface AdvanceFbaCursorStepInput {
  cursor_id: string
  cursor_state: Record<string, unknown>
  /** Becomes the watermark: it was taken before the pass's first call. */
  pass_started_at: string
  summary: Omit<FbaPassSummary, "finished_at" | "duration_ms"> & { duration_ms?: number }
}

/**
 * Moves the fba_stock watermark to the start of a pass that is now completely recorded, and keeps the
 * pass's figures (pages, calls, SKUs, restarts, duration, level changes) in the cursor state for the admin.
 * Last step of the sync: nothing after it can fail and require undoing it.
 *
 * @example
 * advanceFbaCursorStep({ cursor_id, cursor_state, pass_started_at, summary })
 */
export const advanceFbaCursorStep = createStep(
  advanceFbaCursorStepId,
  async (input: AdvanceFbaCursorStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const finished = new Date()
    const summary: FbaPassSummary = {
      ...input.summary,
      finished_at: finished.toISOString(),
      duration_ms: finished.getTime() - new Date(input.pass_started_at).getTime(),
    }
    const state = {
      ...input.cursor_state,
      // json columns are merged on update: a key is cleared by setting it to null
      running: null,
      last_pass: summary,
      ...(summary.mode === "full" ? { last_full_scan_at: summary.started_at, last_full_scan: summary } : { last_incremental_at: summary.started_at }),
      last_failure: null,
    }
    await amazon.updateAmazonSyncCursors({
      id: input.cursor_id,
      watermark: new Date(input.pass_started_at),
      last_run_at: new Date(input.pass_started_at),
      last_success_at: finished,
      last_error: null,
      state,
    })
    return new StepResponse(summary)
  }
)
