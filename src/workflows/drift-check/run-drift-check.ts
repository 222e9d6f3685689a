import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../../modules/amazon"
import type AmazonModuleService from "../../modules/amazon/service"
import { marketplaceLabel } from "../../lib/amazon/endpoints"
import { isAmazonApiError } from "../../lib/amazon/errors"
import { parseMerchantListingsReport } from "../../lib/amazon/parsers/parse-merchant-listings-report"
import {
  downloadReportDocument,
  pollReport,
  reportDataTime,
  requestReport,
  type ReportProgress,
} from "../../lib/amazon/reports/fetch-report"
import { reportSleep } from "../../lib/amazon/reports/report-wakeups"
import { diffDrift, type DriftSummary, type IntendedListing } from "../../lib/stock/drift"
import type { AdminAmazonDriftSummary } from "../../types/http"
import { liveLinksOfListings } from "../stock-push/utils/stock-queries"

/** amazon_sync_log.stream and the admin's "sync now" stream of the comparison with Amazon. */
export const DRIFT_CHECK_STREAM = "drift_check"
/** The outbox reason of a quantity sent again because Amazon's listings report showed another one. */
export const DRIFT_REASON = "amazon.drift"
export const MERCHANT_LISTINGS_REPORT = "GET_MERCHANT_LISTINGS_ALL_DATA"

/** How often the report's progress is asked for, and for how long (Amazon takes minutes, up to ~an hour). */
export function driftCheckTiming(env: NodeJS.ProcessEnv = process.env): { intervalMs: number; maxWaitMs: number } {
  const interval = Number(env.AMAZON_DRIFT_REPORT_POLL_MS)
  const maxWait = Number(env.AMAZON_DRIFT_REPORT_MAX_WAIT_MS)
  return {
    intervalMs: Number.isFinite(interval) && interval > 0 ? interval : 30_000,
    maxWaitMs: Number.isFinite(maxWait) && maxWait > 0 ? maxWait : 60 * 60_000,
  }
}

export interface RunDriftCheckInput {
  account_id: string
  marketplace_id: string
  trigger: "scheduled" | "admin"
  requested_by?: string | null
  /** Each progress text as it is stored on the check (the admin's "sync now" shows it too). */
  onProgress?: (text: string) => void
}

/** What the dashboard shows of one check ("Amazon vs store"), stored as amazon_drift_check.summary. */
export type DriftCheckSummary = AdminAmazonDriftSummary

export type DriftCheckOutcome =
  | { status: "done"; id: string; account_id: string; marketplace_id: string; summary: DriftCheckSummary; calls: number }
  | { status: "skipped"; account_id: string; marketplace_id: string; reason: string }
  | { status: "failed"; id: string; account_id: string; marketplace_id: string; code: string; message: string; calls: number }

const RUNNING = ["requested", "report", "comparing"]

const STATUS_WORDS: Record<string, string> = {
  IN_QUEUE: "waiting in Amazon's queue",
  IN_PROGRESS: "being prepared by Amazon",
  DONE: "ready",
}

function progressText(p: ReportProgress): string {
  return `Amazon's listings report is ${STATUS_WORDS[p.processingStatus] ?? p.processingStatus} (${p.polls} check(s), ${Math.round(p.elapsedMs / 1000)} s)`
}

function toSummary(diff: DriftSummary, listingsInReport: number, requeued: number): DriftCheckSummary {
  return {
    listings_in_report: listingsInReport,
    compared: diff.compared,
    matching: diff.matching,
    differing: diff.differing,
    skipped_newer: diff.skippedNewer,
    missing_on_amazon: diff.missingOnAmazon,
    inactive_on_amazon: diff.inactiveOnAmazon,
    unknown_on_amazon: diff.unknownOnAmazon,
    requeued,
    worst: diff.worst.map((d) => ({ sku: d.sellerSku, amazon: d.amazonQuantity, plugin_set: d.intendedQuantity, delta: d.delta })),
    missing: diff.missing.slice(0, 20).map((m) => ({ sku: m.sellerSku, reason: m.reason, ...(m.status ? { status: m.status } : {}) })),
  }
}

/** The store's listings of one account and marketplace, with what the plugin last set (one query). */
async function intendedListings(amazon: AmazonModuleService, accountId: string, marketplaceId: string): Promise<IntendedListing[]> {
  return (await amazon.listListingsOfMarketplace(accountId, marketplaceId)).map((r) => ({
    listingId: r.id,
    sellerSku: r.seller_sku,
    fulfillmentChannel: r.fulfillment_channel === "AMAZON" ? "AMAZON" : "MERCHANT",
    // "what the plugin last set": a listing the plugin never pushed has nothing to compare with
    intendedQuantity: r.last_accepted_quantity ?? null,
    lastSentAt: r.last_sent_at ? new Date(r.last_sent_at) : null,
    lastAcceptedAt: r.last_accepted_at ? new Date(r.last_accepted_at) : null,
  }))
}

/** Listings of the account and marketplace sent or accepted at or after `since` (usually none or a few). */
async function listingsPushedSince(amazon: AmazonModuleService, accountId: string, marketplaceId: string, since: Date): Promise<Set<string>> {
  const rows = await amazon.listAmazonListings(
    { account_id: accountId, marketplace_id: marketplaceId, $or: [{ last_sent_at: { $gte: since } }, { last_accepted_at: { $gte: since } }] },
    { select: ["id"], take: null }
  )
  return new Set(rows.map((r) => r.id))
}

/**
 * The drift check of one account and marketplace: asks Amazon for the GET_MERCHANT_LISTINGS_ALL_DATA
 * report, follows it to DONE (progress written on the amazon_drift_check row, so the admin shows it while
 * it runs), downloads and parses it, and compares every seller-fulfilled listing with what the plugin last
 * set (lib/stock/drift.ts). A quantity Amazon shows differently (an edit in Seller Central, a feed that
 * was accepted and never applied) becomes Amazon's in `last_accepted_quantity` and its variant is queued
 * urgent: the next push sends the store's quantity again. Listings missing or inactive on Amazon are
 * reported in the sync log with what to do.
 *
 * Not a workflow: it waits minutes for Amazon's report, with nothing to compensate (a read, then writes
 * that are each true on their own). One check per account and marketplace at a time: a running one
 * (started less than the maximum wait ago) makes a new one skip.
 */
export async function runDriftCheck(container: MedusaContainer, input: RunDriftCheckInput): Promise<DriftCheckOutcome> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const ids = { account_id: input.account_id, marketplace_id: input.marketplace_id }
  const timing = driftCheckTiming()

  const [running] = await amazon.listAmazonDriftChecks(
    { ...ids, status: RUNNING, started_at: { $gt: new Date(Date.now() - timing.maxWaitMs - 60_000) } },
    { select: ["id"], take: 1 }
  )
  if (running) {
    return { status: "skipped", ...ids, reason: `a comparison with Amazon of this marketplace is running (${running.id})` }
  }
  const check = await amazon.createAmazonDriftChecks({
    ...ids,
    status: "requested",
    trigger: input.trigger,
    requested_by: input.requested_by ?? null,
    started_at: new Date(),
    progress: "Asking Amazon for its listings report",
  })
  const tally = { calls: 0 }
  const update = (data: Record<string, unknown>) => {
    if (typeof data.progress === "string") input.onProgress?.(data.progress)
    return amazon.updateAmazonDriftChecks({ id: check.id, calls: tally.calls, ...data })
  }

  try {
    const api = await amazon.getSpApi(input.account_id)
    const reportId = await requestReport(api, { reportType: MERCHANT_LISTINGS_REPORT, marketplaceIds: [input.marketplace_id] }, { tally })
    await update({ status: "report", report_id: reportId, report_status: "IN_QUEUE", progress: "Amazon is preparing its listings report" })
    // A report is never ready the moment it is asked for: the first getReport one interval later saves a call.
    // (a REPORT_PROCESSING_FINISHED notification ends either wait early, see report-wakeups.ts)
    const sleep = reportSleep(reportId)
    await sleep(timing.intervalMs)
    const report = await pollReport(api, reportId, {
      ...timing,
      sleep,
      tally,
      onProgress: async (p) => {
        await update({ report_status: p.processingStatus, progress: progressText(p) })
      },
    })
    const dataAt = reportDataTime(report)
    // stored never later than now (a clock of Amazon's running ahead of ours); the diff uses Amazon's own
    const seenAt = new Date(Math.min(dataAt.getTime(), Date.now()))
    await update({ status: "comparing", report_status: "DONE", report_data_at: seenAt, progress: "Comparing Amazon's quantities with the store's" })
    const { text } = await downloadReportDocument(api, report.reportDocumentId, { tally })
    const parsed = parseMerchantListingsReport(text)
    const readAt = new Date()
    const intended = await intendedListings(amazon, input.account_id, input.marketplace_id)
    const diff = diffDrift(parsed.rows, intended, { reportDataTime: dataAt })
    // A push may have sent or had a quantity accepted since the listings were read: what it set is newer
    // than the report, so those listings are left out of the writes below (the next check compares them).
    const pushedMeanwhile = await listingsPushedSince(amazon, input.account_id, input.marketplace_id, readAt)
    diff.matchingIds = diff.matchingIds.filter((id) => !pushedMeanwhile.has(id))
    diff.differences = diff.differences.filter((d) => !pushedMeanwhile.has(d.listingId))

    // What Amazon showed, per compared listing: a match confirms what the plugin set (a read-back still
    // due is no longer needed); a difference is what Amazon holds, so the push compares with it and
    // sends the store's quantity again.
    const shown = { amazon_quantity_at: seenAt, amazon_quantity_source: "report" }
    const setQuantity = new Map(intended.map((l) => [l.listingId, l.intendedQuantity]))
    await amazon.updateListingPushStates([
      ...diff.matchingIds.map((id) => ({
        id,
        ...shown,
        amazon_quantity: setQuantity.get(id) ?? null, // equal to Amazon's: that is what matching means
        confirm_status: "confirmed",
        confirm_due_at: null,
      })),
      ...diff.differences.map((d) => ({ id: d.listingId, ...shown, last_accepted_quantity: d.amazonQuantity, amazon_quantity: d.amazonQuantity })),
    ])
    if (diff.differences.length) {
      const links = await liveLinksOfListings(
        container.resolve(ContainerRegistrationKeys.QUERY),
        diff.differences.map((d) => d.listingId)
      )
      await amazon.enqueueStockChanges(links.map((l) => ({ variant_id: l.product_variant_id, reason: DRIFT_REASON, urgent: true })))
    }
    const summary = toSummary(diff, parsed.rows.length, diff.differences.length)
    await update({ status: "done", finished_at: new Date(), progress: null, summary })
    await recordFindings(amazon, input, summary)
    logger.info(
      `amazon drift_check: account=${input.account_id} marketplace=${input.marketplace_id} compared=${summary.compared} ` +
        `differing=${summary.differing} missing=${summary.missing_on_amazon} calls=${tally.calls}`
    )
    return { status: "done", id: check.id, ...ids, summary, calls: tally.calls }
  } catch (e) {
    const err = e as { code?: string; message?: string }
    const code = String(err.code ?? (isAmazonApiError(e) ? "AMAZON_ERROR" : "DRIFT_CHECK_FAILED"))
    const message = String(err.message ?? e)
    await update({ status: "failed", finished_at: new Date(), progress: null, error: `${code}: ${message}`.slice(0, 2000) }).catch(() => undefined)
    await amazon
      .recordSyncLog({
        account_id: input.account_id,
        stream: DRIFT_CHECK_STREAM,
        level: "warn",
        code: "DRIFT_CHECK_FAILED",
        message: `The comparison with Amazon's listings report of ${marketplaceLabel(input.marketplace_id)} failed (${code}: ${message}). Quantities are still pushed and confirmed as usual; the next daily check tries again.`,
        context: { marketplace_id: input.marketplace_id, drift_check_id: check.id, code },
      })
      .catch(() => undefined)
    return { status: "failed", id: check.id, ...ids, code, message, calls: tally.calls }
  }
}

/** What the merchant must know from a check: differences healed (info), listings missing on Amazon (act). */
async function recordFindings(amazon: AmazonModuleService, input: RunDriftCheckInput, s: DriftCheckSummary): Promise<void> {
  if (s.differing) {
    const worst = s.worst
      .slice(0, 3)
      .map((w) => `${w.sku}: Amazon ${w.amazon}, plugin set ${w.plugin_set}`)
      .join("; ")
    await amazon.recordSyncLog({
      account_id: input.account_id,
      stream: DRIFT_CHECK_STREAM,
      level: "info",
      code: "DRIFT_HEALED",
      message: `Amazon showed another quantity than the plugin last set for ${s.differing} SKU(s) in ${marketplaceLabel(input.marketplace_id)} (${worst}); the store's quantities were sent again.`,
      context: { marketplace_id: input.marketplace_id, differing: s.differing },
    })
  }
  const missing = s.missing_on_amazon + s.inactive_on_amazon
  if (missing) {
    await amazon.recordSyncLog({
      account_id: input.account_id,
      stream: DRIFT_CHECK_STREAM,
      level: "warn",
      code: "LISTINGS_MISSING_ON_AMAZON",
      message:
        `${missing} linked SKU(s) are not on Amazon or not active there (${marketplaceLabel(input.marketplace_id)}: ${s.missing
          .slice(0, 5)
          .map((m) => `${m.sku}${m.status ? ` ${m.status}` : " not in the report"}`)
          .join(", ")}). ` +
        `Buyers cannot buy them: fix the listing in Seller Central (Inventory → Manage All Inventory), or unlink it in Amazon → Listings.`,
      context: { marketplace_id: input.marketplace_id, missing: s.missing.map((m) => m.sku) },
    })
  }
}
