import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { Sql } from "../../shared/medusa-tables"
import { NOTIFICATION_RETENTION_DAYS, PUSH_HISTORY_PRUNE_BATCH, retentionCutoff } from "../constants"

export const pruneAmazonNotificationsStepId = "amazon-prune-notifications"

export interface PruneAmazonNotificationsStepOutput {
  retention_days: number
  /** ISO time: notifications received before it were deleted. */
  cutoff: string
  pruned: number
}

/** The oldest first, by the (account_id, received_at) index's received_at, a batch per statement. */
const DELETE_BATCH = `
  delete from amazon_notification
   where id in (select id from amazon_notification where received_at < ? order by received_at limit ?)`

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
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    let pruned = 0
    for (;;) {
      const res = (await sql.raw(DELETE_BATCH, [cutoff, PUSH_HISTORY_PRUNE_BATCH])) as { rowCount?: number | null }
      const deleted = Number(res.rowCount ?? 0)
      pruned += deleted
      if (deleted < PUSH_HISTORY_PRUNE_BATCH) break
    }
    return new StepResponse<PruneAmazonNotificationsStepOutput>({ retention_days: days, cutoff, pruned })
  }
)
