import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireAmazonLockStep } from "../shared/steps/acquire-amazon-lock"
import { releaseAmazonLockStep } from "../shared/steps/release-amazon-lock"
import { ORDER_ACTIONS_STREAM, orderActionsLockKey } from "./constants"
import { claimDueOrderActionsStep } from "./steps/claim-due-order-actions"
import { confirmShipmentsStep } from "./steps/confirm-shipments"
import { readOrderActionFeedResultsStep } from "./steps/read-order-action-feed-results"
import { submitOrderActionFeedsStep } from "./steps/submit-order-action-feeds"

export const sendAmazonOrderActionsWorkflowId = "amazon-send-order-actions"

export interface SendAmazonOrderActionsWorkflowInput {
  account_id: string
  /** Defaults to now (tests move it forward to pass a backoff). */
  now?: string
  /** Shipment calls per run before a backlog goes out as a feed (default 120, a minute of confirmShipment). */
  calls_per_run?: number
}

export interface SendAmazonOrderActionsSummary {
  account_id: string
  /** false: another run of this account holds the lock; nothing was done. */
  ran: boolean
  requeued_abandoned: number
  calls: { done: number; already_confirmed: number; failed: number; retried: number }
  feeds_submitted: { feed_id: string; feed_type: string; marketplace_id: string; messages: number }[]
  feed_results: { polled: number; finished: number; done: number; failed: number; retried: number }
  /** SP-API requests of the run. */
  amazon_calls: number
}

/**
 * Sends one account's order actions to Amazon, under a per-account lock:
 * 1. read the reports of order feeds sent earlier (rows → done / failed / queued again);
 * 2. claim the due rows (queued, next attempt due) and decide how each goes out;
 * 3. shipment confirmations by confirmShipment, one package per Medusa fulfillment;
 * 4. cancellations, and a backlog of confirmations, as XML order feeds.
 * Every outcome lands on the row (and failures in the sync log). The steps never throw for Amazon's
 * answers, so the lock is always released; a run that dies is healed by the next (see the claim step).
 *
 * @example
 * await sendAmazonOrderActionsWorkflow(container).run({ input: { account_id } })
 */
export const sendAmazonOrderActionsWorkflow = createWorkflow(
  sendAmazonOrderActionsWorkflowId,
  (input: SendAmazonOrderActionsWorkflowInput) => {
    const lock = acquireAmazonLockStep(
      transform({ input }, ({ input }) => ({
        key: orderActionsLockKey(input.account_id),
        wait_seconds: 0,
        report: { stream: ORDER_ACTIONS_STREAM, account_id: input.account_id },
      }))
    )
    const results = readOrderActionFeedResultsStep({ lock, account_id: input.account_id, now: input.now })
    const claimed = claimDueOrderActionsStep({ lock, account_id: input.account_id, now: input.now, calls_per_run: input.calls_per_run })
    const confirmed = confirmShipmentsStep(
      transform({ lock, input, claimed }, ({ lock, input, claimed }) => ({ lock, account_id: input.account_id, rows: claimed.calls }))
    )
    const fed = submitOrderActionFeedsStep(
      transform({ lock, input, claimed }, ({ lock, input, claimed }) => ({
        lock,
        account_id: input.account_id,
        shipments: claimed.feed_shipments,
        cancels: claimed.feed_cancels,
      }))
    )
    releaseAmazonLockStep(lock)
    const summary = transform(
      { input, lock, results, claimed, confirmed, fed },
      ({ input, lock, results, claimed, confirmed, fed }): SendAmazonOrderActionsSummary => ({
        account_id: input.account_id,
        ran: lock.acquired,
        requeued_abandoned: claimed.requeued,
        calls: { done: confirmed.done, already_confirmed: confirmed.already_confirmed, failed: confirmed.failed, retried: confirmed.retried },
        feeds_submitted: fed.feeds,
        feed_results: { polled: results.polled, finished: results.finished, done: results.done, failed: results.failed, retried: results.retried },
        amazon_calls: results.calls + confirmed.calls + fed.calls,
      })
    )
    return new WorkflowResponse(summary)
  }
)
