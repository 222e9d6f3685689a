import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireAmazonLockStep } from "../shared/steps/acquire-amazon-lock"
import { completeStockOutboxStep } from "./steps/complete-stock-outbox"
import { confirmListingQuantitiesStep } from "./steps/confirm-listing-quantities"
import { computeListingQuantitiesStep } from "./steps/compute-listing-quantities"
import { enqueueDueStockRetriesStep } from "./steps/enqueue-due-stock-retries"
import { planStockPushStep } from "./steps/plan-stock-push"
import { readStockOutboxStep } from "./steps/read-stock-outbox"
import { releaseAmazonLockStep } from "../shared/steps/release-amazon-lock"
import { resolveStockEventsStep } from "./steps/resolve-stock-events"
import { sendQuantityPatchesStep } from "./steps/send-quantity-patches"
import { submitQuantityFeedsStep } from "./steps/submit-quantity-feeds"

export const pushAmazonStockWorkflowId = "amazon-push-stock"

/** One push at a time across instances (with a shared locking provider): the outbox is global. */
export const STOCK_PUSH_LOCK_KEY = "amazon:stock-push"

export interface PushAmazonStockWorkflowInput {
  /** Outbox rows per run. Default 25,000 (one full feed). */
  limit?: number
  /** Messages per feed (default and maximum 25,000). */
  max_messages_per_feed?: number
  /** Wait this long for a concurrent run to finish before doing nothing. Default 30 s. */
  wait_for_lock_seconds?: number
  /** "Now" for due retries (tests); default the real time. */
  now?: string
}

export interface PushAmazonStockWorkflowOutput {
  lock_acquired: boolean
  retries_enqueued: number
  outbox_rows: number
  candidates: number
  skipped: number
  patched: number
  rejected: number
  fed: number
  feeds: { id: string; amazon_feed_id: string; message_count: number }[]
  /** Changes kept for a later run to spread the feed quota (see feedHoldMs). */
  held: number
  deferred: number
  outbox_completed: number
  /** Read-backs of accepted quantities this run (getListingsItem), see confirm-listing-quantities.ts. */
  confirmations: { read: number; confirmed: number; waiting: number; repushed: number; not_applied: number; next_due_at: string | null }
  amazon_calls: number
}

/**
 * Confirms accepted quantities that are due for a read-back (re-queueing what Amazon did not apply), then
 * drains the stock outbox: computes each affected listing's quantity, skips what Amazon already holds,
 * patches a few urgent changes and sends the rest as JSON_LISTINGS_FEEDs within the quota, then deletes
 * the outbox rows whose push is recorded. Results of feeds are read later by
 * processAmazonFeedResultsWorkflow.
 */
export const pushAmazonStockWorkflow = createWorkflow(pushAmazonStockWorkflowId, (input: PushAmazonStockWorkflowInput) => {
  const lockInput = transform({ input }, ({ input }) => ({
    key: STOCK_PUSH_LOCK_KEY,
    // a lease renewed while the run is alive (free within a minute of a crash), see shared/lock-lease.ts
    report: { stream: "stock_push" },
    wait_seconds: input.wait_for_lock_seconds ?? 30,
  }))
  const lock = acquireAmazonLockStep(lockInput)
  // first: a quantity Amazon did not apply is queued again and goes out in this same run
  const confirmed = confirmListingQuantitiesStep({ lock, now: input.now })
  resolveStockEventsStep({ lock })
  const retries = enqueueDueStockRetriesStep({ lock, now: input.now })
  const rows = readStockOutboxStep({ lock, limit: input.limit })
  const computed = computeListingQuantitiesStep({ rows })
  const plan = planStockPushStep(computed)
  const patched = sendQuantityPatchesStep({ accounts: computed.accounts, patch: plan.patch })
  const fed = submitQuantityFeedsStep({
    accounts: computed.accounts,
    candidates: computed.candidates,
    feed_listing_ids: plan.feed_listing_ids,
    fallback: patched.fallback,
    max_messages_per_feed: input.max_messages_per_feed,
  })
  const completeInput = transform({ rows, computed, plan, fed }, ({ rows, computed, plan, fed }) => ({
    rows,
    candidates: { listing_id: computed.candidates.listing_id, variant_id: computed.candidates.variant_id },
    deferred_listing_ids: [...fed.deferred_listing_ids, ...plan.held_listing_ids],
    deferred_variant_ids: computed.deferred_variant_ids,
  }))
  const completed = completeStockOutboxStep(completeInput)
  releaseAmazonLockStep(lock)

  const summary = transform(
    { lock, confirmed, retries, rows, computed, plan, patched, fed, completed },
    ({ lock, confirmed, retries, rows, computed, plan, patched, fed, completed }): PushAmazonStockWorkflowOutput => ({
      lock_acquired: lock.acquired,
      retries_enqueued: retries.retried,
      outbox_rows: rows.id.length,
      candidates: computed.candidates.listing_id.length,
      skipped: plan.skipped.unchanged + plan.skipped.in_flight,
      patched: patched.accepted,
      rejected: patched.rejected,
      fed: fed.feeds.reduce((n, f) => n + f.message_count, 0),
      feeds: fed.feeds.map((f) => ({ id: f.id, amazon_feed_id: f.amazon_feed_id, message_count: f.message_count })),
      held: plan.held_listing_ids.length,
      deferred: fed.deferred_listing_ids.length,
      outbox_completed: completed.completed,
      confirmations: {
        read: confirmed.read,
        confirmed: confirmed.confirmed,
        waiting: confirmed.waiting,
        repushed: confirmed.repushed,
        not_applied: confirmed.not_applied,
        next_due_at: confirmed.next_due_at,
      },
      amazon_calls: confirmed.calls + patched.calls + fed.calls,
    })
  )
  return new WorkflowResponse(summary)
})
