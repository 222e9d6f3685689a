import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { pruneStatusSamplesStep } from "./steps/prune-status-samples"
import { recordStatusSampleStep } from "./steps/record-status-sample"
import { settleSyncLogsStep } from "./steps/settle-sync-logs"

export const recordAmazonStatusSampleWorkflowId = "amazon-record-status-sample"

export interface RecordAmazonStatusSampleWorkflowInput {
  now?: string
}

/**
 * One point of the dashboard's queue-depth / lag chart, removal of points past the retention, and the
 * errors whose cause went away closed (so "to act on" lists only what still needs a person).
 */
export const recordAmazonStatusSampleWorkflow = createWorkflow(
  recordAmazonStatusSampleWorkflowId,
  (input: RecordAmazonStatusSampleWorkflowInput) => {
    settleSyncLogsStep({ now: input.now })
    const sample = recordStatusSampleStep({ now: input.now })
    pruneStatusSamplesStep({ now: input.now })
    return new WorkflowResponse(sample)
  }
)
