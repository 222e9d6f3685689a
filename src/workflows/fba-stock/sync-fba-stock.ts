import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { FbaSyncMode, fbaStockLockKey } from "./constants"
import { advanceFbaCursorStep, AdvanceFbaCursorStepInput } from "./steps/advance-fba-cursor"
import { applyFbaLevelsStep } from "./steps/apply-fba-levels"
import { ensureAmazonSalesChannelStep } from "./steps/ensure-amazon-sales-channel"
import { ensureFbaLocationStep } from "./steps/ensure-fba-location"
import { fetchFbaInventoryStep } from "./steps/fetch-fba-inventory"
import { flagUnmappedFbaSkusStep } from "./steps/flag-unmapped-fba-skus"
import { loadFbaAccountStep } from "./steps/load-fba-account"
import { recordFbaStockStep } from "./steps/record-fba-stock"
import { resolveFbaSkusStep } from "./steps/resolve-fba-skus"

export const syncFbaStockWorkflowId = "amazon-sync-fba-stock"

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

/** A lock outliving a crashed process expires after this long (a 100k-SKU scan takes ~17 min at 2 pages/s). */
const LOCK_TTL_SECONDS = 3600

/**
 * Reads Amazon's FBA inventory of one account + marketplace into the store:
 * lock → account + cursor → one getInventorySummaries pass (incremental from the watermark, or full) →
 * map SKUs to AMAZON-channel listings → FBA location (created on demand, linked to the Amazon channel) →
 * amazon_fba_stock snapshots → levels at the FBA location = fulfillable → flag unmapped SKUs →
 * advance the watermark → unlock.
 *
 * Merchant locations are never written: levels are set only at the FBA location of the marketplace, and
 * only for AMAZON-channel listings (merchant-fulfilled listings belong to the stock push).
 */
export const syncFbaStockWorkflow = createWorkflow(
  syncFbaStockWorkflowId,
  (input: WorkflowData<SyncFbaStockWorkflowInput>) => {
    const lockKey = transform({ input }, ({ input }) => fbaStockLockKey(input.account_id, input.marketplace_id))
    const lockTimeout = transform({ input }, ({ input }) => input.lock_timeout_seconds ?? 0)
    acquireLockStep({ key: lockKey, timeout: lockTimeout, ttl: LOCK_TTL_SECONDS, executeOnSubWorkflow: true })

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

    const applied = when("amazon-fba-apply-levels", { location }, ({ location }) => !!location?.location_id).then(() =>
      applyFbaLevelsStep(
        transform({ account, pass, resolved, location }, ({ account, pass, resolved, location }) => ({
          account_id: account.account_id,
          marketplace_id: account.marketplace_id,
          location_id: location!.location_id,
          mappings: resolved.mappings,
          full: pass.mode === "full",
        }))
      )
    )

    flagUnmappedFbaSkusStep(
      transform({ account, pass, recorded }, ({ account, pass, recorded }) => ({
        account_id: account.account_id,
        marketplace_id: account.marketplace_id,
        full: pass.mode === "full",
        newly_flagged: recorded.newly_flagged,
        flagged: recorded.flagged,
        zeroed_skus: recorded.zeroed_skus,
      }))
    )

    const summary = advanceFbaCursorStep(
      transform({ account, pass, recorded, applied, location }, (d): AdvanceFbaCursorStepInput => ({
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
          levels_created: d.applied?.created ?? 0,
          levels_updated: d.applied?.updated ?? 0,
          levels_unchanged: d.applied?.unchanged ?? 0,
          location_id: d.location?.location_id ?? null,
        },
      }))
    )

    releaseLockStep({ key: lockKey, executeOnSubWorkflow: true })

    return new WorkflowResponse(summary)
  }
)
