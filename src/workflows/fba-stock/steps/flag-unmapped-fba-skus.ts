import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { FbaSkuIssue } from "../../../lib/amazon/fba/levels"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { FBA_STOCK_STREAM } from "../constants"

export const flagUnmappedFbaSkusStepId = "amazon-flag-unmapped-fba-skus"

export interface FlagUnmappedFbaSkusStepInput {
  account_id: string
  marketplace_id: string
  full: boolean
  newly_flagged: { sku: string; issue: FbaSkuIssue }[]
  flagged: { sku: string; issue: FbaSkuIssue }[]
  zeroed_skus: string[]
}

export interface FlagUnmappedFbaSkusStepOutput {
  log_ids: string[]
}

/** SKUs named in one log entry; the count says how many there are in all. */
const MAX_LISTED = 100

const REASONS: Record<FbaSkuIssue, string> = {
  unmapped: "no listing",
  merchant_only: "listed as merchant-fulfilled only",
  no_variant: "listing has no variant",
  no_inventory_item: "variant does not manage inventory",
}

function describe(list: { sku: string; issue: FbaSkuIssue }[]) {
  return list
    .slice(0, 10)
    .map((f) => `${f.sku} (${REASONS[f.issue] ?? f.issue})`)
    .join(", ")
    .concat(list.length > 10 ? `, … ${list.length - 10} more` : "")
}

/**
 * Tells the admin about FBA SKUs the store cannot attribute to a variant (amazon_sync_log, stream
 * fba_stock). An incremental pass reports only SKUs that became flagged, so the log is not repeated every
 * 15 minutes; the daily full scan reports every flagged SKU once a day, and SKUs Amazon stopped reporting.
 *
 * No compensation: a log entry records what was seen; it is not undone by a later failure.
 *
 * @example
 * flagUnmappedFbaSkusStep({ account_id, marketplace_id, full: true, newly_flagged, flagged, zeroed_skus })
 */
export const flagUnmappedFbaSkusStep = createStep(
  flagUnmappedFbaSkusStepId,
  async (input: FlagUnmappedFbaSkusStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const logIds: string[] = []
    const context = (list: { sku: string; issue: FbaSkuIssue }[]) => ({
      marketplace_id: input.marketplace_id,
      count: list.length,
      skus: list.slice(0, MAX_LISTED),
    })

    const report = input.full ? input.flagged : input.newly_flagged
    if (report.length) {
      const log = await amazon.recordSyncLog({
        account_id: input.account_id,
        stream: FBA_STOCK_STREAM,
        level: "warn",
        code: "FBA_SKU_UNMAPPED",
        message: `${report.length} FBA SKU(s) in ${input.marketplace_id} are not mapped to store stock: ${describe(report)}`,
        context: context(report),
      })
      logIds.push(log.id)
    }
    if (input.zeroed_skus.length) {
      const log = await amazon.recordSyncLog({
        account_id: input.account_id,
        stream: FBA_STOCK_STREAM,
        level: "info",
        code: "FBA_SKU_GONE",
        message: `${input.zeroed_skus.length} SKU(s) no longer reported by Amazon in ${input.marketplace_id}; FBA stock set to 0`,
        context: { marketplace_id: input.marketplace_id, count: input.zeroed_skus.length, skus: input.zeroed_skus.slice(0, MAX_LISTED) },
      })
      logIds.push(log.id)
    }
    return new StepResponse<FlagUnmappedFbaSkusStepOutput>({ log_ids: logIds })
  }
)
