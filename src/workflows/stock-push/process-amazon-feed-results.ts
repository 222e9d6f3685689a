import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireAmazonLockStep } from "../shared/steps/acquire-amazon-lock"
import { pollAmazonFeedsStep } from "./steps/poll-amazon-feeds"
import { recordFeedResultsStep } from "./steps/record-feed-results"
import { releaseAmazonLockStep } from "../shared/steps/release-amazon-lock"

export const processAmazonFeedResultsWorkflowId = "amazon-process-feed-results"
export const FEED_RESULTS_LOCK_KEY = "amazon:feed-results"

export interface ProcessAmazonFeedResultsWorkflowInput {
  /** Reports read per run. Default 8. */
  max_reports?: number
  wait_for_lock_seconds?: number
  /** "Now" for the stuck check and retry times (tests); default the real time. */
  now?: string
}

/**
 * Polls unfinished quantity feeds (getFeed), flags stuck ones, and records each finished feed's report
 * per SKU (accepted quantity, or Amazon's error and a retry with backoff).
 */
export const processAmazonFeedResultsWorkflow = createWorkflow(
  processAmazonFeedResultsWorkflowId,
  (input: ProcessAmazonFeedResultsWorkflowInput) => {
    const lockInput = transform({ input }, ({ input }) => ({
      key: FEED_RESULTS_LOCK_KEY,
      report: { stream: "feed_results" },
      wait_seconds: input.wait_for_lock_seconds ?? 30,
    }))
    const lock = acquireAmazonLockStep(lockInput)
    const polled = pollAmazonFeedsStep({ lock, now: input.now })
    const recorded = recordFeedResultsStep({ lock, max_reports: input.max_reports, now: input.now })
    releaseAmazonLockStep(lock)
    const summary = transform({ lock, polled, recorded }, ({ lock, polled, recorded }) => ({
      lock_acquired: lock.acquired,
      polled: polled.polled,
      finished: polled.finished,
      newly_stuck: polled.newly_stuck,
      reports: recorded.feeds,
      accepted: recorded.accepted,
      errors: recorded.errors,
      retried: recorded.retried,
      amazon_calls: polled.calls + recorded.calls,
    }))
    return new WorkflowResponse(summary)
  }
)
