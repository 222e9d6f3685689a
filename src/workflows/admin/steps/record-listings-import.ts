import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { CURSOR_STREAM, LOG_STREAM } from "../constants"

export const recordListingsImportStepId = "amazon-record-listings-import"

export interface RecordListingsImportStepInput {
  account_id: string
  marketplace_ids: string[]
  started_at: string
  reported: number
  created: number
  updated: number
  unchanged: number
  calls: number
}

/**
 * Records a finished listings import on the account's "listings_import" cursor (last success and
 * figures, shown on the dashboard) and as an info entry of the sync log. The last step of the workflow,
 * so nothing after it can fail and nothing needs undoing.
 *
 * @example
 * recordListingsImportStep({ account_id, marketplace_ids, started_at, reported: 12, created: 3, updated: 0, unchanged: 9, calls: 1 })
 */
export const recordListingsImportStep = createStep(
  recordListingsImportStepId,
  async (input: RecordListingsImportStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const cursor = await amazon.getOrCreateCursor(input.account_id, CURSOR_STREAM.listingsImport)
    const now = new Date()
    const summary = {
      marketplace_ids: input.marketplace_ids,
      started_at: input.started_at,
      finished_at: now.toISOString(),
      reported: input.reported,
      created: input.created,
      updated: input.updated,
      unchanged: input.unchanged,
      calls: input.calls,
    }
    await amazon.updateAmazonSyncCursors({
      id: cursor.id,
      last_run_at: now,
      last_success_at: now,
      last_error: null,
      state: { last_import: summary },
    })
    await amazon.createAmazonSyncLogs({
      account_id: input.account_id,
      stream: LOG_STREAM.listingsImport,
      level: "info",
      code: "LISTINGS_IMPORTED",
      message: `Imported ${input.reported} listing(s) from Amazon: ${input.created} new, ${input.updated} updated.`,
      context: summary,
    })
    return new StepResponse(summary)
  }
)
