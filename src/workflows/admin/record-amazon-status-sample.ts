import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { pruneStatusSamplesStep } from "./steps/prune-status-samples"
import { recordStatusSampleStep } from "./steps/record-status-sample"

export const recordAmazonStatusSampleWorkflowId = "amazon-record-status-sample"

export interface RecordAmazonStatusSampleWorkflowInput {
  now?: string
}

/** One point of the dashboard's queue-depth / lag chart, and removal of points past the retention. */
export const recordAmazonStatusSampleWorkflow = createWorkflow(
  recordAmazonStatusSampleWorkflowId,
  (input: RecordAmazonStatusSampleWorkflowInput) => {
    const sample = recordStatusSampleStep({ now: input.now })
    pruneStatusSamplesStep({ now: input.now })
    return new WorkflowResponse(sample)
  }
)
