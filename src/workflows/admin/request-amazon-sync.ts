import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { AMAZON_SYNC_REQUESTED_EVENT, SyncStream } from "./constants"
import { validateSyncRequestStep } from "./steps/validate-sync-request"

export const requestAmazonSyncWorkflowId = "amazon-request-sync"

export interface RequestAmazonSyncWorkflowInput {
  stream: SyncStream
  account_id?: string
  /** The admin user who asked (kept in the outcome log). */
  requested_by?: string
}

export interface AmazonSyncRequestedEventData {
  stream: SyncStream
  account_id: string | null
  requested_by: string | null
  requested_at: string
}

/**
 * "Sync now": validates the request and emits amazon.sync_requested. The subscriber runs the stream's
 * workflow in the background, so the admin request returns at once and never waits for Amazon.
 */
export const requestAmazonSyncWorkflow = createWorkflow(
  requestAmazonSyncWorkflowId,
  (input: RequestAmazonSyncWorkflowInput) => {
    validateSyncRequestStep({ stream: input.stream, account_id: input.account_id })
    const data = transform({ input }, ({ input }): AmazonSyncRequestedEventData => ({
      stream: input.stream,
      account_id: input.account_id ?? null,
      requested_by: input.requested_by ?? null,
      requested_at: new Date().toISOString(),
    }))
    emitEventStep({ eventName: AMAZON_SYNC_REQUESTED_EVENT, data })
    return new WorkflowResponse(data)
  }
)
