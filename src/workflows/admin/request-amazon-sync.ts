import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { AMAZON_SYNC_REQUESTED_EVENT, SyncStream } from "./constants"
import { claimAmazonSyncStep } from "./steps/claim-amazon-sync"
import { validateSyncRequestStep } from "./steps/validate-sync-request"
import type { SyncClaim } from "./utils/sync-claims"

export const requestAmazonSyncWorkflowId = "amazon-request-sync"

export interface RequestAmazonSyncWorkflowInput {
  stream: SyncStream
  account_id?: string
  /** The admin user who asked (kept in the outcome log). */
  requested_by?: string
}

export interface AmazonSyncRequestedEventData {
  /** The claim the run holds (amzsync_…): the runner renews and releases it. */
  id: string
  stream: SyncStream
  account_id: string | null
  /** The accounts the claim holds. */
  account_ids: string[]
  requested_by: string | null
  requested_at: string
}

export type RequestAmazonSyncWorkflowOutput =
  | { started: true; sync: AmazonSyncRequestedEventData }
  | { started: false; running: SyncClaim; message: string }

/**
 * "Sync now": validates the request, claims the stream for its accounts and emits amazon.sync_requested.
 * The subscriber runs the stream's workflow in the background, so the admin request returns at once and
 * never waits for Amazon. While a sync of the same stream and account is requested or running, nothing
 * is emitted and the result names the running one (the route answers 409).
 */
export const requestAmazonSyncWorkflow = createWorkflow(
  requestAmazonSyncWorkflowId,
  (input: RequestAmazonSyncWorkflowInput) => {
    validateSyncRequestStep({ stream: input.stream, account_id: input.account_id })
    const claim = claimAmazonSyncStep({ stream: input.stream, account_id: input.account_id, requested_by: input.requested_by })
    const data = transform({ claim }, ({ claim }): AmazonSyncRequestedEventData | null =>
      claim.claimed
        ? {
            id: claim.sync.id,
            stream: claim.sync.stream,
            account_id: claim.sync.account_id,
            account_ids: claim.sync.account_ids,
            requested_by: claim.sync.requested_by,
            requested_at: claim.sync.started_at,
          }
        : null
    )
    when("amazon-request-sync-claimed", { data }, ({ data }) => !!data).then(() => {
      emitEventStep({ eventName: AMAZON_SYNC_REQUESTED_EVENT, data: data as unknown as AmazonSyncRequestedEventData })
    })
    const result = transform({ claim, data }, ({ claim, data }): RequestAmazonSyncWorkflowOutput =>
      claim.claimed
        ? { started: true, sync: data! }
        : { started: false, running: claim.running, message: claim.message ?? `A "${claim.running.stream}" sync is already running` }
    )
    return new WorkflowResponse(result)
  }
)
