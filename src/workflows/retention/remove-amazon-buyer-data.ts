import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { removeAmazonBuyerDataStep } from "./steps/remove-amazon-buyer-data"
import { resolveBuyerDataCutoffStep } from "./steps/resolve-buyer-data-cutoff"

export const removeAmazonBuyerDataWorkflowId = "amazon-remove-buyer-data"

export interface RemoveAmazonBuyerDataWorkflowInput {
  /** ISO time to count the retention from; default now. */
  now?: string
  /** Overrides the plugin option buyerDataRetentionDays. */
  retention_days?: number
}

/**
 * Buyer data retention: Amazon orders closed longer than `buyerDataRetentionDays` (default 30) lose the
 * buyer's name, e-mail, addresses and phone from their stored payload; buyer_data_removed_at records when.
 * Run daily by the job amazon-remove-buyer-data; safe to run again at any time.
 */
export const removeAmazonBuyerDataWorkflow = createWorkflow(
  removeAmazonBuyerDataWorkflowId,
  (input: RemoveAmazonBuyerDataWorkflowInput) => {
    const { cutoff, retention_days } = resolveBuyerDataCutoffStep({ now: input.now, retention_days: input.retention_days })
    const removed = removeAmazonBuyerDataStep({ cutoff })
    return new WorkflowResponse({ cutoff, retention_days, removed })
  }
)
