import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { Sql } from "../../shared/medusa-tables"
import { PUSH_HISTORY_PRUNE_BATCH, PUSH_HISTORY_RETENTION_DAYS, retentionCutoff } from "../constants"
import { pruneOlderThan } from "../prune-older-than"

export const pruneAmazonListingPatchesStepId = "amazon-prune-listing-patches"

export interface PruneAmazonListingPatchesStepInput {
  /** ISO time to count the retention from; default now. */
  now?: string
  /** Days kept; default PUSH_HISTORY_RETENTION_DAYS (90). */
  retention_days?: number
  /** Rows per delete (default PUSH_HISTORY_PRUNE_BATCH). */
  batch_size?: number
}

export interface PruneAmazonListingPatchesStepOutput {
  retention_days: number
  /** ISO time: patches sent before it were deleted. */
  cutoff: string
  pruned: number
}

/**
 * Deletes the patch history (amazon_listing_patch) older than the retention, in batches. Idempotent: a
 * second run finds nothing older. The last step of its workflow and deliberately without compensation:
 * keeping a copy to put the rows back would defeat the pruning.
 *
 * @example
 * pruneAmazonListingPatchesStep({})
 */
export const pruneAmazonListingPatchesStep = createStep(
  pruneAmazonListingPatchesStepId,
  async (input: PruneAmazonListingPatchesStepInput, { container }) => {
    const days = input.retention_days ?? PUSH_HISTORY_RETENTION_DAYS
    if (!Number.isInteger(days) || days < 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `retention_days must be a whole number of days ≥ 0, got ${days}`)
    }
    const now = input.now ? new Date(input.now) : new Date()
    if (Number.isNaN(now.getTime())) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `now is not a date: ${JSON.stringify(input.now)}`)
    }
    const cutoff = retentionCutoff(now, days).toISOString()
    const batch = input.batch_size ?? PUSH_HISTORY_PRUNE_BATCH
    // a hard delete, oldest first by the sent_at index: the rows are history past its horizon, and
    // soft-deleted rows would keep the table growing
    const pruned = await pruneOlderThan(container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION), "amazon_listing_patch", cutoff, batch)
    return new StepResponse<PruneAmazonListingPatchesStepOutput>({ retention_days: days, cutoff, pruned })
  }
)
