import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { parseSyncLogGroupKey } from "../lib/sync-log-causes"

export const resolveSyncLogsStepId = "amazon-resolve-sync-logs"

export interface ResolveSyncLogsStepInput {
  ids?: string[]
  /** Whole causes: every open entry of that account, stream and code (see syncLogGroupKey). */
  groups?: string[]
  /** Who marks them handled (the admin user id); kept as resolved_by. */
  actor_id?: string | null
}

/**
 * Marks errors as handled by the merchant, one by one or a whole cause at once (they leave the dashboard's "to act on" list but stay in the
 * log). Only unresolved entries change; undone by clearing resolved_at on exactly those.
 *
 * @example
 * resolveSyncLogsStep({ ids: ["amzlog_…"] })
 */
export const resolveSyncLogsStep = createStep(
  resolveSyncLogsStepId,
  async (input: ResolveSyncLogsStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const by = input.actor_id ?? "admin"
    const open = input.ids?.length ? await amazon.listAmazonSyncLogs({ id: input.ids, resolved_at: null }, { select: ["id"] }) : []
    const now = new Date()
    if (open.length) {
      await amazon.updateAmazonSyncLogs(open.map((l) => ({ id: l.id, resolved_at: now, resolved_by: by })))
    }
    const causes = (input.groups ?? []).map(parseSyncLogGroupKey).filter((c): c is NonNullable<typeof c> => !!c)
    const byCause = causes.length ? await amazon.resolveSyncLogCauses(causes, by) : []
    const ids = [...open.map((l) => l.id), ...byCause]
    return new StepResponse({ resolved: ids }, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.updateAmazonSyncLogs(ids.map((id) => ({ id, resolved_at: null, resolved_by: null })))
  }
)
