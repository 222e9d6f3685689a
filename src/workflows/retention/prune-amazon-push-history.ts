import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { pruneAmazonListingPatchesStep } from "./steps/prune-amazon-listing-patches"
import { pruneAmazonNotificationsStep } from "./steps/prune-amazon-notifications"

export const pruneAmazonPushHistoryWorkflowId = "amazon-prune-push-history"

export interface PruneAmazonPushHistoryWorkflowInput {
  /** ISO time to count the retention from; default now. */
  now?: string
  /** Overrides PUSH_HISTORY_RETENTION_DAYS (90). */
  retention_days?: number
}

/**
 * Push history retention: patch outcomes (amazon_listing_patch) older than PUSH_HISTORY_RETENTION_DAYS
 * are deleted, and received notifications (amazon_notification) older than NOTIFICATION_RETENTION_DAYS. Run daily by the job amazon-remove-buyer-data (the plugin's retention job); safe to run
 * again at any time.
 */
export const pruneAmazonPushHistoryWorkflow = createWorkflow(
  pruneAmazonPushHistoryWorkflowId,
  (input: PruneAmazonPushHistoryWorkflowInput) => {
    const patches = pruneAmazonListingPatchesStep({ now: input.now, retention_days: input.retention_days })
    const notifications = pruneAmazonNotificationsStep({ now: input.now })
    return new WorkflowResponse({ patches, notifications })
  }
)
