import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { Sql } from "../../shared/medusa-tables"
import { NOTIFICATION_RETENTION_DAYS, PUSH_HISTORY_PRUNE_BATCH, retentionCutoff } from "../constants"
import { pruneOlderThan } from "../prune-older-than"

export const pruneAmazonNotificationsStepId = "amazon-prune-notifications"

export interface PruneAmazonNotificationsStepOutput {
  retention_days: number
  /** ISO time: notifications received before it were deleted. */
  cutoff: string
  pruned: number
}

/**
 * Deletes received notifications (amazon_notification) older than NOTIFICATION_RETENTION_DAYS: their payloads
 * can hold buyer data (ORDER_CHANGE carries the buyer's postal code), and what they started is long done
 * (the orders, FBA levels and feeds they touched keep their own records). A hard delete in batches, without
 * compensation, like the push history's pruning.
 */
export const pruneAmazonNotificationsStep = createStep(
  pruneAmazonNotificationsStepId,
  async (input: { now?: string; retention_days?: number }, { container }) => {
    const days = input.retention_days ?? NOTIFICATION_RETENTION_DAYS
    if (!Number.isInteger(days) || days < 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `retention_days must be a whole number of days ≥ 0, got ${days}`)
    }
    const now = input.now ? new Date(input.now) : new Date()
    const cutoff = retentionCutoff(now, days).toISOString()
    const pruned = await pruneOlderThan(container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION), "amazon_notification", cutoff, PUSH_HISTORY_PRUNE_BATCH)
    return new StepResponse<PruneAmazonNotificationsStepOutput>({ retention_days: days, cutoff, pruned })
  }
)
