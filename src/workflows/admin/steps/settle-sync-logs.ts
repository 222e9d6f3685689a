import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const settleSyncLogsStepId = "amazon-settle-sync-logs"

export interface SettleSyncLogsStepInput {
  now?: string
}

/**
 * Closes the dashboard's open warnings and errors whose cause went away: a refused SKU accepted since, a
 * stream that succeeded since, an order that needed attention and is imported now (rules in the module's
 * repositories/sync-logs.ts). They stay in the log, marked resolved by "auto". Closing is derived from
 * the state of other tables, so there is nothing to undo.
 *
 * @example
 * settleSyncLogsStep({})
 */
export const settleSyncLogsStep = createStep(settleSyncLogsStepId, async (input: SettleSyncLogsStepInput, { container }) => {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const settled = await amazon.settleSyncLogs(input.now ? new Date(input.now) : new Date())
  return new StepResponse({ settled })
})
