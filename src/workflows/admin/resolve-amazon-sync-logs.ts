import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { resolveSyncLogsStep } from "./steps/resolve-sync-logs"

export const resolveAmazonSyncLogsWorkflowId = "amazon-resolve-sync-logs"

export interface ResolveAmazonSyncLogsWorkflowInput {
  ids?: string[]
  /** Group keys (account_id|stream|code) from the dashboard's grouped errors. */
  groups?: string[]
  actor_id?: string | null
}

/** Marks errors on the dashboard as handled. */
export const resolveAmazonSyncLogsWorkflow = createWorkflow(
  resolveAmazonSyncLogsWorkflowId,
  (input: ResolveAmazonSyncLogsWorkflowInput) => {
    const result = resolveSyncLogsStep({ ids: input.ids, groups: input.groups, actor_id: input.actor_id })
    return new WorkflowResponse(result)
  }
)
