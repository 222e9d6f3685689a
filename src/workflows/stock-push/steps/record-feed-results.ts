import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { isAmazonApiError } from "../../../lib/amazon/errors"
import { fetchFeedResultDocument } from "../../../lib/amazon/feeds/submit-feed"
import {
  MessageOutcome,
  parseFeedProcessingReport,
  describeReportIssues,
  ReportIssueOutcome,
} from "../../../lib/amazon/parsers/parse-feed-processing-report"
import { MAX_PUSH_RETRIES, retryDelayMs } from "../../../lib/stock/push-plan"
import { awaitingConfirmation } from "../../../lib/stock/confirmation"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import { chunk } from "../utils/stock-queries"

export const recordFeedResultsStepId = "amazon-record-feed-results"

/** getFeedDocument allows 0.0222 calls per second (burst 10): never block a run waiting for it. */
const GET_DOCUMENT_MAX_WAIT_MS = 10_000

export interface RecordFeedResultsStepInput {
  lock: AmazonLock
  /** Reports read per run. Default 8 (getFeedDocument's burst is 10). */
  max_reports?: number
  /** Defaults to now (tests pass a later time instead of waiting). */
  now?: string
}

export interface RecordFeedResultsStepOutput {
  feeds: number
  accepted: number
  errors: number
  retried: number
  calls: number
}

type Outcome = Pick<MessageOutcome, "messageId" | "status" | "retryable" | "issues"> & { readBack?: number | null }


/**
 * Reads the processing report of each finished feed and records every SKU's outcome: its message row
 * (accepted / warning / error with Amazon's issues / unconfirmed) and its listing. Only an accepted message
 * moves the listing's last accepted quantity, so a quantity Amazon did not accept is never recorded as
 * pushed. Rejections are kept on the listing and in the sync log; retryable ones, and every message of a
 * FATAL or cancelled feed, are retried with exponential backoff (at most MAX_PUSH_RETRIES times).
 *
 * A report that cannot be downloaded now is read next run (the feed stays DONE/FATAL until then).
 *
 * @example
 * recordFeedResultsStep({ lock })
 */
export const recordFeedResultsStep = createStep(
  recordFeedResultsStepId,
  async (input: RecordFeedResultsStepInput, { container }) => {
    const out: RecordFeedResultsStepOutput = { feeds: 0, accepted: 0, errors: 0, retried: 0, calls: 0 }
    if (!input.lock.acquired) {
      return new StepResponse(out)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const finished = await amazon.listAmazonFeeds(
      { status: ["DONE", "FATAL", "CANCELLED"] },
      { order: { completed_at: "ASC" }, take: input.max_reports ?? 8 }
    )
    const now = input.now ? new Date(input.now) : new Date()

    for (const feed of finished) {
      const messages = await amazon.listAmazonFeedMessages(
        { feed_id: feed.id },
        { select: ["id", "message_id", "listing_id", "seller_sku", "quantity"], take: 30_000 }
      )
      let outcomes: Outcome[]
      let fatal: ReportIssueOutcome[] = []
      let summary: Record<string, unknown> | null = null
      let reportError: string | null = null

      if (feed.result_document_id && feed.status !== "CANCELLED") {
        let raw: Buffer
        try {
          const api = await amazon.getSpApi(feed.account_id)
          // Not gunzipped here: the report parser recognises gzip by its magic bytes and caps the inflated size.
          raw = (await fetchFeedResultDocument(api, feed.result_document_id, { maxQueueWaitMs: GET_DOCUMENT_MAX_WAIT_MS, tally: out })).bytes
        } catch (e) {
          if (isAmazonApiError(e)) {
            out.calls += e.attempts
          }
          await amazon.recordSyncLog({
            account_id: feed.account_id,
            stream: "feed_results",
            level: "warn",
            code: isAmazonApiError(e) ? e.code : "REPORT_DOWNLOAD_FAILED",
            message: `Could not download the report of feed ${feed.amazon_feed_id}: ${(e as Error).message}. Retrying next run.`,
            context: { feed_id: feed.id, amazon_feed_id: feed.amazon_feed_id },
          })
          // Reports wait in order; the ones behind would most likely meet the same limit.
          break
        }
        try {
          const report = parseFeedProcessingReport(raw, {
            messages: messages.map((m) => ({ messageId: m.message_id, sku: m.seller_sku })),
            feedId: feed.amazon_feed_id ?? undefined,
          })
          outcomes = report.results.map((r) => ({ ...r, readBack: r.listing?.quantity }))
          fatal = report.fatal
          summary = { ...report.summary, countsConsistent: report.countsConsistent, fatal: report.fatal, warnings: report.feedWarnings }
        } catch (e) {
          reportError = `The processing report could not be read (${(e as { code?: string }).code ?? "ERROR"}: ${(e as Error).message})`
          outcomes = messages.map((m) => ({ messageId: m.message_id, status: "unconfirmed" as const, retryable: true, issues: [] }))
        }
      } else {
        // Cancelled, or finished without a report: nothing of it is known to be applied.
        outcomes = messages.map((m) => ({ messageId: m.message_id, status: "unconfirmed" as const, retryable: true, issues: [] }))
      }

      const byMessageId = new Map(outcomes.map((o) => [o.messageId, o]))
      const listingIds = [...new Set(messages.map((m) => m.listing_id))]
      const listings = new Map<string, { id: string; pending_feed_id: string | null; last_accepted_at: Date | null; retry_count: number }>()
      for (const ids of chunk(listingIds, 5000)) {
        for (const l of await amazon.listAmazonListings(
          { id: ids },
          { select: ["id", "pending_feed_id", "last_accepted_at", "retry_count"], take: ids.length }
        )) {
          listings.set(l.id, l as any)
        }
      }

      const messageUpdates: Parameters<AmazonModuleService["updateFeedMessageOutcomes"]>[0] = []
      const listingUpdates: Parameters<AmazonModuleService["updateListingPushStates"]>[0] = []
      const rejected: { sku: string; code: string | null; message: string; retry: boolean }[] = []
      let accepted = 0
      let errors = 0
      for (const m of messages) {
        const o = byMessageId.get(m.message_id) ?? { messageId: m.message_id, status: "unconfirmed" as const, retryable: true, issues: [] }
        messageUpdates.push({ id: m.id, status: o.status, issues: o.issues.length ? o.issues : null, processed_at: now })
        const listing = listings.get(m.listing_id)
        if (!listing) continue // the listing was deleted meanwhile
        // Only the listing's latest push decides its state; an older feed's outcome is history.
        const latest = listing.pending_feed_id === feed.id
        if (o.status === "accepted" || o.status === "warning") {
          accepted++
          const quantity = typeof o.readBack === "number" ? o.readBack : m.quantity
          const newer = listing.last_accepted_at && feed.submitted_at && new Date(listing.last_accepted_at) > new Date(feed.submitted_at as unknown as string)
          if (latest) {
            listingUpdates.push({
              id: listing.id,
              last_accepted_quantity: quantity,
              last_accepted_at: now,
              ...awaitingConfirmation(now),
              push_status: "accepted",
              pending_feed_id: null,
              last_error: o.status === "warning" ? describeReportIssues(o.issues).message : null,
              last_error_code: null,
              retry_count: 0,
              next_retry_at: null,
            })
          } else if (!newer) {
            // A newer feed is still on its way; this is nonetheless what Amazon holds until it lands.
            listingUpdates.push({ id: listing.id, last_accepted_quantity: quantity, last_accepted_at: now })
          }
          continue
        }
        errors++
        // Unconfirmed (FATAL or cancelled feed, unreadable report) is always worth resending: it is an
        // absolute quantity, and the retries are capped.
        const retryable = o.status === "unconfirmed" || o.retryable
        const { code, message } =
          o.status === "unconfirmed"
            ? {
                code: feed.status === "FATAL" ? "FEED_FATAL" : feed.status === "CANCELLED" ? "FEED_CANCELLED" : "UNCONFIRMED",
                message: reportError ?? (fatal.length ? describeReportIssues(fatal).message : `Feed ${feed.amazon_feed_id} ended ${feed.status}; the quantity was not confirmed`),
              }
            : describeReportIssues(o.issues)
        if (!latest) continue
        const attempts = listing.retry_count + 1
        const retry = retryable && attempts <= MAX_PUSH_RETRIES
        rejected.push({ sku: m.seller_sku, code, message, retry })
        listingUpdates.push({
          id: listing.id,
          push_status: "error",
          pending_feed_id: null,
          last_error_code: code,
          last_error: message,
          retry_count: retry ? attempts : listing.retry_count,
          next_retry_at: retry ? new Date(now.getTime() + retryDelayMs(attempts)) : null,
        })
      }

      await amazon.updateFeedMessageOutcomes(messageUpdates)
      await amazon.updateListingPushStates(listingUpdates)
      await amazon.updateAmazonFeeds({
        id: feed.id,
        status: "processed",
        accepted_count: accepted,
        error_count: errors,
        // Amazon's final status survives the move to "processed": a FATAL feed must still read as failed.
        summary: { ...(summary ?? {}), processing_status: feed.status } as any,
        error: reportError ?? (fatal.length ? describeReportIssues(fatal).message : feed.status === "CANCELLED" ? "Feed cancelled" : null),
      })

      if (rejected.length) {
        const retrying = rejected.filter((r) => r.retry).length
        out.retried += retrying
        await amazon.recordSyncLog({
          account_id: feed.account_id,
          stream: "feed_results",
          level: "error",
          code: feed.status === "DONE" && !reportError ? "FEED_MESSAGES_REJECTED" : feed.status === "DONE" ? "REPORT_UNREADABLE" : `FEED_${feed.status}`,
          message:
            `Feed ${feed.amazon_feed_id} (${feed.status}): ${rejected.length} of ${messages.length} quantity update(s) not accepted` +
            (retrying ? `; ${retrying} will be retried` : "") +
            `. First: ${rejected[0].sku}: ${rejected[0].message}`,
          context: {
            feed_id: feed.id,
            amazon_feed_id: feed.amazon_feed_id,
            rejected: rejected.slice(0, 50),
          },
        })
      }
      out.feeds++
      out.accepted += accepted
      out.errors += errors
    }
    return new StepResponse(out)
  }
)
