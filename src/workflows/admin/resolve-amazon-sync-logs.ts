import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { resolveSyncLogsStep } from "./steps/resolve-sync-logs"

export const resolveAmazonSyncLogsWorkflowId = "amazon-resolve-sync-logs"

export interface ResolveAmazonSyncLogsWorkflowInput {
  ids: string[]
}

/** Marks errors on the dashboard as handled. */
export const resolveAmazonSyncLogsWorkflow = createWorkflow(
  resolveAmazonSyncLogsWorkflowId,
  (input: ResolveAmazonSyncLogsWorkflowInput) => {
    const result = resolveSyncLogsStep({ ids: input.ids })
    return new WorkflowResponse(result)
  }
)
