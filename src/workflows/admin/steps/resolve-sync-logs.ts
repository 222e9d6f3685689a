import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const resolveSyncLogsStepId = "amazon-resolve-sync-logs"

export interface ResolveSyncLogsStepInput {
  ids: string[]
}

/**
 * Marks errors as handled by the merchant (they leave the dashboard's "to act on" list but stay in the
 * log). Only unresolved entries change; undone by clearing resolved_at on exactly those.
 *
 * @example
 * resolveSyncLogsStep({ ids: ["amzlog_…"] })
 */
export const resolveSyncLogsStep = createStep(
  resolveSyncLogsStepId,
  async (input: ResolveSyncLogsStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const open = await amazon.listAmazonSyncLogs({ id: input.ids, resolved_at: null }, { select: ["id"] })
    const now = new Date()
    if (open.length) {
      await amazon.updateAmazonSyncLogs(open.map((l) => ({ id: l.id, resolved_at: now })))
    }
    const ids = open.map((l) => l.id)
    return new StepResponse({ resolved: ids }, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.updateAmazonSyncLogs(ids.map((id) => ({ id, resolved_at: null })))
  }
)
