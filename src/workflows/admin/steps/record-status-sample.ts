import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { LOG_STREAM } from "../constants"
import { buildAmazonStatus, StatusFigures } from "../utils/status"

export const recordStatusSampleStepId = "amazon-record-status-sample"

export interface RecordStatusSampleStepInput {
  /** "Now" of the sample (tests); default the real time. */
  now?: string
}

type SampleOut = { recorded: boolean; figures: StatusFigures | null }

/**
 * Stores one sample of queue depth and lag (an info row of amazon_sync_log, stream "status_sample") for
 * the dashboard chart. Nothing is recorded while no account is configured. Undone by deleting the row.
 *
 * @example
 * recordStatusSampleStep({})
 */
export const recordStatusSampleStep = createStep(
  recordStatusSampleStepId,
  async (input: RecordStatusSampleStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [, accounts] = await amazon.listAndCountAmazonAccounts({}, { take: 1, select: ["id"] })
    if (!accounts) {
      return new StepResponse<SampleOut, string | null>({ recorded: false, figures: null }, null)
    }
    const now = input.now ? new Date(input.now) : new Date()
    const status = await buildAmazonStatus(container, { now })
    const row = await amazon.createAmazonSyncLogs({
      stream: LOG_STREAM.statusSample,
      level: "info",
      code: "STATUS_SAMPLE",
      message: `queue ${status.figures.queue_depth}, push lag ${status.figures.push_lag_seconds}s, confirmation lag ${status.figures.confirmation_lag_seconds}s`,
      context: status.figures as unknown as Record<string, unknown>,
    })
    return new StepResponse<SampleOut, string | null>({ recorded: true, figures: status.figures }, row.id)
  },
  async (id, { container }) => {
    if (!id) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.deleteAmazonSyncLogs([id])
  }
)
