import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { isAmazonApiError } from "../../../lib/amazon/errors"
import { readAccountSettings } from "../../../types/account-settings"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"

export const pollAmazonFeedsStepId = "amazon-poll-feeds"

/** Default of settings.push.stuck_after_minutes. */
export const DEFAULT_STUCK_AFTER_MINUTES = 120
const OPEN_STATUSES = ["submitted", "IN_QUEUE", "IN_PROGRESS"] as const
/** A push run takes seconds; a feed row still being built after this long was abandoned. */
const INTERRUPTED_AFTER_MS = 30 * 60_000
const FINISHED = new Set(["DONE", "FATAL", "CANCELLED"])

export interface PollAmazonFeedsStepInput {
  lock: AmazonLock
  /** Feeds polled per run (getFeed: 2 per second, burst 15). Default 100. */
  limit?: number
  /** Defaults to now (tests move it forward to check the stuck flag). */
  now?: string
}

export interface PollAmazonFeedsStepOutput {
  polled: number
  finished: number
  newly_stuck: number
  calls: number
}

/**
 * Asks Amazon how each unfinished feed is doing (getFeed) and records the status. A feed still queued or
 * in progress past the account's stuck limit is flagged once, with a sync-log entry for the admin; it
 * keeps being polled.
 *
 * @example
 * pollAmazonFeedsStep({ lock })
 */
export const pollAmazonFeedsStep = createStep(pollAmazonFeedsStepId, async (input: PollAmazonFeedsStepInput, { container }) => {
  const out: PollAmazonFeedsStepOutput = { polled: 0, finished: 0, newly_stuck: 0, calls: 0 }
  if (!input.lock.acquired) {
    return new StepResponse(out)
  }
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const now = input.now ? new Date(input.now) : new Date()

  // A feed row left "building"/"uploaded" belongs to a run that died before Amazon gave it an id. Its
  // changes were never taken off the outbox and went out in a later run; close the row so the admin
  // does not wait for it.
  const interrupted = await amazon.listAmazonFeeds(
    { status: ["building", "uploaded"], created_at: { $lt: new Date(now.getTime() - INTERRUPTED_AFTER_MS) } },
    { select: ["id"], take: 1000 }
  )
  if (interrupted.length) {
    await amazon.updateAmazonFeeds(
      interrupted.map((f) => ({
        id: f.id,
        status: "failed" as const,
        error: "Interrupted before Amazon accepted the submission; its changes stayed queued and were sent again.",
      }))
    )
  }

  const open = await amazon.listAmazonFeeds(
    { status: [...OPEN_STATUSES], amazon_feed_id: { $ne: null } },
    { order: { last_polled_at: "ASC", submitted_at: "ASC" }, take: input.limit ?? 100 }
  )
  if (!open.length) {
    return new StepResponse(out)
  }
  const accounts = new Map(
    (await amazon.listAmazonAccounts({ id: [...new Set(open.map((f) => f.account_id))] })).map((a) => [a.id, a])
  )
  const failedAccounts = new Set<string>()

  for (const feed of open) {
    const account = accounts.get(feed.account_id)
    if (!account || failedAccounts.has(feed.account_id)) continue
    try {
      const api = await amazon.getSpApi(account.id)
      const res = await api.getFeed(feed.amazon_feed_id!)
      out.calls += res.attempts
      out.polled++
      const status = res.data.processingStatus
      const update: Record<string, unknown> = { id: feed.id, status, last_polled_at: new Date() }
      if (res.data.resultFeedDocumentId) {
        update.result_document_id = res.data.resultFeedDocumentId
      }
      if (FINISHED.has(status)) {
        out.finished++
        update.completed_at = res.data.processingEndTime ? new Date(res.data.processingEndTime) : new Date()
      } else if (!feed.stuck && feed.submitted_at) {
        let stuckAfter = DEFAULT_STUCK_AFTER_MINUTES
        try {
          stuckAfter = readAccountSettings(account.settings).push?.stuck_after_minutes ?? DEFAULT_STUCK_AFTER_MINUTES
        } catch {
          // invalid settings are reported by the push; the default limit still applies here
        }
        const ageMinutes = (now.getTime() - new Date(feed.submitted_at as unknown as string).getTime()) / 60_000
        if (ageMinutes > stuckAfter) {
          out.newly_stuck++
          update.stuck = true
          await amazon.recordSyncLog({
            account_id: account.id,
            stream: "feed_results",
            level: "warn",
            code: "FEED_STUCK",
            message: `Quantity feed ${feed.amazon_feed_id} is still ${status} after ${Math.round(ageMinutes)} minutes (limit ${stuckAfter}). Its ${feed.message_count} SKU(s) keep their last accepted quantity on Amazon until it finishes.`,
            context: { feed_id: feed.id, amazon_feed_id: feed.amazon_feed_id, status, message_count: feed.message_count },
          })
        }
      }
      await amazon.updateAmazonFeeds(update as any)
    } catch (e) {
      if (isAmazonApiError(e)) {
        out.calls += e.attempts
      }
      // The feed stays open and is polled again next run; the other feeds of this seller would meet the
      // same trouble, so they wait too.
      failedAccounts.add(feed.account_id)
      await amazon.recordSyncLog({
        account_id: feed.account_id,
        stream: "feed_results",
        level: "warn",
        code: isAmazonApiError(e) ? e.code : "FEED_POLL_FAILED",
        message: `Could not read the status of feed ${feed.amazon_feed_id}: ${(e as Error).message}. Retrying next run.`,
        context: { feed_id: feed.id, amazon_feed_id: feed.amazon_feed_id },
      })
    }
  }
  return new StepResponse(out)
})
