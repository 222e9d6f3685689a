import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SpApi } from "../../../lib/amazon/api"
import { isAmazonApiError } from "../../../lib/amazon/errors"
import { parseXmlProcessingReport, type ParsedXmlProcessingReport } from "../../../lib/amazon/feeds/parse-xml-processing-report"
import { fetchFeedResultDocument } from "../../../lib/amazon/feeds/submit-feed"
import { decideAfterError, sentence, whatToDo } from "../../../lib/amazon/order-actions"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import type { Sql } from "../../shared/medusa-tables"
import { FEED_STUCK_AFTER_MS, ORDER_ACTIONS_STREAM } from "../constants"
import { type ActionOutcome, openFeedRows, type OrderActionRow, recordOutcomes } from "../utils/action-queries"
import { logActionFailures } from "../utils/log-failures"

export const readOrderActionFeedResultsStepId = "amazon-read-order-action-feed-results"

export interface ReadOrderActionFeedResultsStepInput {
  lock: AmazonLock
  account_id: string
  /** Defaults to now. */
  now?: string
}

export interface ReadOrderActionFeedResultsStepOutput {
  /** Feeds asked about (getFeed). */
  polled: number
  /** Feeds whose outcome was recorded this run. */
  finished: number
  done: number
  failed: number
  retried: number
  calls: number
}

type Message = { messageId: number; row: OrderActionRow }

/**
 * Reads what Amazon made of the order feeds the account's rows wait for: getFeed; once DONE or FATAL, the
 * processing report (getFeedDocument, download, gunzip when Amazon says GZIP) is parsed against the rows'
 * MessageIDs. Per row:
 * - accepted (or accepted with warnings) → done;
 * - an Error result → failed with Amazon's ResultMessageCode and description, and a sync-log error saying
 *   what to do;
 * - unconfirmed (a report that does not account for the message, one that cannot be read, or a CANCELLED
 *   feed) → back to the queue: a shipment's next send goes by confirmShipment after re-reading Amazon,
 *   a cancellation's is a repeat Amazon ignores;
 * - FATAL (Amazon could not process the document at all) → failed with Amazon's document-level reason.
 * A feed still unfinished after two hours is reported once (the rows keep waiting for it).
 *
 * @example
 * readOrderActionFeedResultsStep({ lock, account_id })
 */
export const readOrderActionFeedResultsStep = createStep(
  readOrderActionFeedResultsStepId,
  async (input: ReadOrderActionFeedResultsStepInput, { container }) => {
    const out: ReadOrderActionFeedResultsStepOutput = { polled: 0, finished: 0, done: 0, failed: 0, retried: 0, calls: 0 }
    if (!input.lock.acquired) {
      return new StepResponse(out)
    }
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    const open = await openFeedRows(sql, input.account_id)
    if (!open.size) {
      return new StepResponse(out)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const now = input.now ? new Date(input.now) : new Date()
    let api: SpApi
    try {
      api = await amazon.getSpApi(input.account_id)
    } catch {
      // The send step reports a missing client; the rows keep waiting for their feeds.
      return new StepResponse(out)
    }

    for (const [feedId, rows] of open) {
      const outcomes: ActionOutcome[] = []
      const failures: { row: OrderActionRow; code: string; message: string }[] = []
      const fail = (row: OrderActionRow, code: string, message: string) => {
        out.failed++
        failures.push({ row, code, message })
        outcomes.push({ id: row.id, status: "failed", last_error_code: code, last_error: message })
      }
      const requeue = (row: OrderActionRow, code: string, message: string) => {
        const decision = decideAfterError({ kind: row.kind, error: { kind: "indeterminate", code, message }, attempts: row.attempts, now, random: Math.random() })
        if (decision.status === "failed") return fail(row, decision.code, decision.message)
        out.retried++
        outcomes.push({ id: row.id, status: "queued", next_attempt_at: decision.next_attempt_at, last_error_code: code, last_error: message })
      }
      try {
        const res = await api.getFeed(feedId)
        out.calls += res.attempts
        out.polled++
        const status = res.data.processingStatus
        if (status === "IN_QUEUE" || status === "IN_PROGRESS") {
          await flagStuck(amazon, sql, input.account_id, feedId, rows, status, now)
          continue
        }
        out.finished++
        if (status === "CANCELLED") {
          for (const row of rows) requeue(row, "FEED_CANCELLED", `Feed ${feedId} was cancelled before Amazon processed it; sent again.`)
        } else {
          let report: ParsedXmlProcessingReport<Message> | null = null
          let unreadable: string | null = null
          if (res.data.resultFeedDocumentId) {
            try {
              const { bytes } = await fetchFeedResultDocument(api, res.data.resultFeedDocumentId, { gunzip: true, tally: out })
              report = parseXmlProcessingReport<Message>(bytes, {
                messages: rows.map((row) => ({ messageId: row.message_id as number, row })),
              })
            } catch (e) {
              if (isAmazonApiError(e)) throw e
              unreadable = `${(e as { code?: string })?.code ?? "REPORT_UNREADABLE"}: ${(e as Error)?.message ?? e}`
            }
          }
          if (status === "FATAL") {
            const reason = report?.documentResults[0] ?? report?.results[0]
            for (const row of rows) {
              fail(
                row,
                reason?.resultMessageCode ?? "FEED_FATAL",
                `${sentence(`Amazon could not process feed ${feedId}${reason ? `: ${reason.resultDescription}` : ""}`)} ${whatToDo(row.kind)}`
              )
            }
          } else if (!report) {
            for (const row of rows) {
              requeue(row, "REPORT_UNREADABLE", `The processing report of feed ${feedId} could not be read (${unreadable ?? "none was given"}); sent again.`)
            }
          } else {
            for (const outcome of report.outcomes) {
              const row = outcome.message.row
              if (outcome.status === "accepted" || outcome.status === "warning") {
                out.done++
                outcomes.push({ id: row.id, status: "done" })
              } else if (outcome.status === "error") {
                const first = outcome.errors[0]
                fail(row, first.resultMessageCode, `Amazon refused: ${sentence(outcome.errors.map((r) => r.resultDescription).join("; "))} ${whatToDo(row.kind)}`)
              } else {
                requeue(row, "UNCONFIRMED", `Amazon's report of feed ${feedId} does not say what became of this message; Amazon's state is checked before it is sent again.`)
              }
            }
          }
        }
      } catch (e) {
        if (isAmazonApiError(e)) out.calls += e.attempts
        // Asked again next run; the other feeds of this account would meet the same trouble.
        break
      }
      await recordOutcomes(sql, outcomes, new Date())
      await logActionFailures(amazon, input.account_id, failures, ` (feed ${feedId})`)
    }
    return new StepResponse(out)
  }
)

/** Once per feed: a sync-log warning when Amazon has not finished it long after it was sent. */
async function flagStuck(
  amazon: AmazonModuleService,
  sql: Sql,
  accountId: string,
  feedId: string,
  rows: OrderActionRow[],
  status: string,
  now: Date
): Promise<void> {
  const sent = Math.min(...rows.map((r) => new Date(r.sent_at ?? now).getTime()))
  if (now.getTime() - sent < FEED_STUCK_AFTER_MS || rows.some((r) => r.last_error_code === "FEED_STUCK")) {
    return
  }
  const minutes = Math.round((now.getTime() - sent) / 60_000)
  const message = `Amazon has not finished feed ${feedId} after ${minutes} minutes (${status}); its ${rows.length} order action(s) wait for it.`
  await sql.raw(
    `update amazon_order_action set last_error_code = 'FEED_STUCK', last_error = ?, updated_at = now()
      where feed_id = ? and status = 'sending' and deleted_at is null`,
    [message, feedId]
  )
  await amazon.recordSyncLog({ account_id: accountId, stream: ORDER_ACTIONS_STREAM, level: "warn", code: "FEED_STUCK", message, context: { feed_id: feedId } })
}
