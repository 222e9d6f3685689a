import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { LOG_STREAM, STATUS_SAMPLE_RETENTION_HOURS } from "../constants"

export const pruneStatusSamplesStepId = "amazon-prune-status-samples"

export interface PruneStatusSamplesStepInput {
  now?: string
  retention_hours?: number
}

/**
 * Deletes chart samples older than the retention (7 days by default), so the log does not grow by
 * 288 rows a day forever. Samples are derived data; the last step of its workflow, nothing to undo.
 *
 * @example
 * pruneStatusSamplesStep({})
 */
export const pruneStatusSamplesStep = createStep(
  pruneStatusSamplesStepId,
  async (input: PruneStatusSamplesStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const now = input.now ? new Date(input.now) : new Date()
    const cutoff = new Date(now.getTime() - (input.retention_hours ?? STATUS_SAMPLE_RETENTION_HOURS) * 3_600_000)
    const old = await amazon.listAmazonSyncLogs(
      { stream: LOG_STREAM.statusSample, created_at: { $lt: cutoff } },
      { select: ["id"], take: 5000 }
    )
    if (old.length) {
      await amazon.deleteAmazonSyncLogs(old.map((r) => r.id))
    }
    return new StepResponse({ pruned: old.length })
  }
)
