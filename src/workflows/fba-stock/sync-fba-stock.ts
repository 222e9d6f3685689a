import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireAmazonLockStep } from "../shared/steps/acquire-amazon-lock"
import type { AmazonLock } from "../shared/steps/acquire-amazon-lock"
import { releaseAmazonLockStep } from "../shared/steps/release-amazon-lock"
import { FbaSyncMode, fbaStockLockKey } from "./constants"
import { advanceFbaCursorStep, AdvanceFbaCursorStepInput } from "./steps/advance-fba-cursor"
import { ensureAmazonSalesChannelStep } from "../shared/steps/ensure-amazon-sales-channel"
import { ensureFbaLocationStep } from "./steps/ensure-fba-location"
import { fetchFbaInventoryStep } from "./steps/fetch-fba-inventory"
import { flagUnmappedFbaSkusStep, FlagUnmappedFbaSkusStepInput } from "./steps/flag-unmapped-fba-skus"
import { loadFbaAccountStep } from "./steps/load-fba-account"
import { planFbaLevelsStep, PlanFbaLevelsStepOutput } from "./steps/plan-fba-levels"
import { recordFbaStockStep } from "./steps/record-fba-stock"
import { resolveFbaSkusStep } from "./steps/resolve-fba-skus"

export const startFbaStockPassWorkflowId = "amazon-start-fba-stock-pass"
export const finishFbaStockPassWorkflowId = "amazon-finish-fba-stock-pass"

export interface SyncFbaStockWorkflowInput {
  account_id: string
  marketplace_id: string
  /** incremental = changes since the watermark (every 15 min); full = every SKU (daily, self-healing). */
  mode: FbaSyncMode
  /**
   * How long to wait for a pass of the same account + marketplace that is still running. Default 0: a
   * scheduled pass that finds another one running fails fast (the runner reports it as skipped).
   */
  lock_timeout_seconds?: number
  /** Overlap subtracted from the watermark, seconds. Default 300. */
  overlap_seconds?: number
  /** Restarts after expired nextTokens before the pass fails. Default 3. */
  max_restarts?: number
}


/** What the start of a pass hands to the level writes and to finishFbaStockPassWorkflow. */
export interface StartedFbaStockPass {
  /** The pass's lock (a lease renewed while this process runs the pass), released by the finish. */
  lock: AmazonLock
  /** The levels to write at the FBA location (none without a location). */
  levels: PlanFbaLevelsStepOutput | null
  flag: FlagUnmappedFbaSkusStepInput
  /** The cursor advance, without the level counts (known once the levels are written). */
  advance: AdvanceFbaCursorStepInput
}

/**
 * One FBA pass of an account + marketplace is three parts, run by runFbaStockSync:
 * 1. this workflow: lock (held until part 3) → account + cursor → one getInventorySummaries pass
 *    (incremental from the watermark, or full) → map SKUs to AMAZON-channel listings → FBA location
 *    (created on demand, linked to the Amazon channel) → amazon_fba_stock snapshots → plan the levels at
 *    the FBA location (= fulfillable);
 * 2. the levels, written through Medusa's batchInventoryItemLevelsWorkflow, one run per chunk of
 *    FBA_BATCH levels (a full scan of a large catalogue writes tens of thousands, far beyond what one
 *    write may carry, so this is a loop and lives in the orchestrator, not in a step);
 * 3. finishFbaStockPassWorkflow: flag unmapped SKUs → advance the watermark → unlock.
 * A failure in part 1 releases the lock (the lock step's compensation); after it, runFbaStockSync does.
 *
 * Merchant locations are never written: levels are set only at the FBA location of the marketplace, and
 * only for AMAZON-channel listings (merchant-fulfilled listings belong to the stock push).
 *
 * @example
 * const { result: started } = await startFbaStockPassWorkflow(container).run({ input: { account_id, marketplace_id, mode: "incremental" } })
 */
export const startFbaStockPassWorkflow = createWorkflow(
  startFbaStockPassWorkflowId,
  (input: WorkflowData<SyncFbaStockWorkflowInput>) => {
    const lockKey = transform({ input }, ({ input }) => fbaStockLockKey(input.account_id, input.marketplace_id))
    // A lease (renewed while the pass runs, across its three parts): a killed worker blocks the next
    // pass for LEASE_SECONDS at most, however long a full scan takes.
    const lock = acquireAmazonLockStep(
      transform({ input, lockKey }, ({ input, lockKey }) => ({ key: lockKey, wait_seconds: input.lock_timeout_seconds ?? 0, required: true }))
    )

    const account = loadFbaAccountStep({ account_id: input.account_id, marketplace_id: input.marketplace_id })

    const pass = fetchFbaInventoryStep(
      transform({ input, account }, ({ input, account }) => ({
        account_id: account.account_id,
        marketplace_id: account.marketplace_id,
        mode: input.mode,
        watermark: account.watermark,
        cursor_id: account.cursor_id,
        cursor_state: account.cursor_state,
        overlap_seconds: input.overlap_seconds,
        max_restarts: input.max_restarts,
      }))
    )

    const resolved = resolveFbaSkusStep(
      transform({ account, pass }, ({ account, pass }) => ({
        account_id: account.account_id,
        marketplace_id: account.marketplace_id,
        skus: pass.items.map((i) => i.sellerSku),
        full: pass.mode === "full",
      }))
    )

    // A seller without FBA stock the store can use gets no location (no clutter in the admin).
    const needsLocation = transform(
      { account, resolved },
      ({ account, resolved }) => !!account.fba_location_id || Object.values(resolved.mappings).some((m) => m.issue === null)
    )
    const location = when("amazon-fba-location-needed", { needsLocation }, ({ needsLocation }) => needsLocation).then(() => {
      const channel = ensureAmazonSalesChannelStep({ sales_channel_id: account.sales_channel_id })
      return ensureFbaLocationStep(
        transform({ account, channel }, ({ account, channel }) => ({
          account_id: account.account_id,
          account_name: account.account_name,
          marketplace_id: account.marketplace_id,
          location_id: account.fba_location_id,
          sales_channel_id: channel.id,
          merchant_location_ids: account.merchant_location_ids,
        }))
      )
    })

    const recorded = recordFbaStockStep(
      transform({ account, pass, resolved }, ({ account, pass, resolved }) => ({
        account_id: account.account_id,
        marketplace_id: account.marketplace_id,
        items: pass.items,
        mappings: resolved.mappings,
        rechecked_skus: resolved.rechecked_skus,
        full: pass.mode === "full",
        synced_at: pass.pass_started_at,
      }))
    )

    const levels = when("amazon-fba-plan-levels", { location }, ({ location }) => !!location?.location_id).then(() =>
      planFbaLevelsStep(
        transform({ account, pass, resolved, location }, ({ account, pass, resolved, location }) => ({
          account_id: account.account_id,
          marketplace_id: account.marketplace_id,
          location_id: location!.location_id,
          mappings: resolved.mappings,
          full: pass.mode === "full",
        }))
      )
    )

    const started = transform({ lock, account, pass, recorded, levels, location }, (d): StartedFbaStockPass => ({
      lock: d.lock,
      levels: d.levels ?? null,
      flag: {
        account_id: d.account.account_id,
        marketplace_id: d.account.marketplace_id,
        full: d.pass.mode === "full",
        newly_flagged: d.recorded.newly_flagged,
        flagged: d.recorded.flagged,
        zeroed_skus: d.recorded.zeroed_skus,
      },
      advance: {
        cursor_id: d.account.cursor_id,
        cursor_state: d.account.cursor_state,
        pass_started_at: d.pass.pass_started_at,
        summary: {
          ...d.pass.stats,
          fetch_ms: d.pass.stats.duration_ms,
          mode: d.pass.mode,
          started_at: d.pass.pass_started_at,
          start_date_time: d.pass.start_date_time,
          snapshots_created: d.recorded.created,
          snapshots_updated: d.recorded.updated,
          zeroed: d.recorded.zeroed_skus.length,
          flagged: d.recorded.flagged.length,
          newly_flagged: d.recorded.newly_flagged.length,
          levels_created: 0,
          levels_updated: 0,
          levels_unchanged: d.levels?.unchanged ?? 0,
          location_id: d.location?.location_id ?? null,
        },
      },
    }))
    return new WorkflowResponse(started)
  }
)

/**
 * The end of an FBA pass, once its levels are written (see startFbaStockPassWorkflow): flag unmapped
 * SKUs, advance the watermark (with the level counts), release the pass's lock.
 *
 * @example
 * await finishFbaStockPassWorkflow(container).run({ input: { lock, flag, advance } })
 */
export const finishFbaStockPassWorkflow = createWorkflow(
  finishFbaStockPassWorkflowId,
  (input: WorkflowData<{ lock: AmazonLock; flag: FlagUnmappedFbaSkusStepInput; advance: AdvanceFbaCursorStepInput }>) => {
    flagUnmappedFbaSkusStep(input.flag)
    const summary = advanceFbaCursorStep(input.advance)
    releaseAmazonLockStep(input.lock)
    return new WorkflowResponse(summary)
  }
)
