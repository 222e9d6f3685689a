import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AmazonApiError } from "../../../lib/amazon/errors"
import type { ParsedNotification } from "../../../lib/amazon/notifications/parse-notification"
import { ORDER_INCLUDED_DATA } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { DRIFT_REASON } from "../../drift-check/run-drift-check"
import { runFbaStockSync } from "../../fba-stock/run-fba-stock-sync"
import { trackMcfOrders } from "../../mcf/track-mcf-orders"
import { applyOrderPage, type OrderPageCounts } from "../../order-import/orchestrators/import-marketplace-orders"
import { processAmazonFeedResultsWorkflow } from "../../stock-push/process-amazon-feed-results"
import { requestStockPushSoon } from "../../stock-push/utils/push-soon"
import { liveLinksOfListings } from "../../stock-push/utils/stock-queries"
import { wakeReportWaiters } from "../../../lib/amazon/reports/report-wakeups"

/** What applying one notification did: the inbox row's new status and a sentence for the admin. */
export interface ApplyOutcome {
  status: "applied" | "ignored"
  outcome: string
}

/** A failure worth another try (Amazon's quota, a 5xx, the network): the row stays `failed` and is retried. */
export class RetryableApplyError extends Error {}

/**
 * The work each notification starts, always through the paths polling uses, so a notification can only make
 * things happen sooner, never differently:
 * - ORDER_CHANGE: getOrder (the notification has no prices or address), then the polled orders' page
 *   application (applyOrderPage: dedupe by version, the batch workflow for a new order, the order workflow for
 *   an update such as a cancellation or a buyer's cancellation request);
 * - FBA_INVENTORY_AVAILABILITY_CHANGES: an incremental FBA pass of the marketplace (changes since its watermark);
 * - LISTINGS_ITEM_MFN_QUANTITY_CHANGE: what Amazon now shows, confirming or contradicting the last push;
 * - FEED_PROCESSING_FINISHED: the feed results read at once instead of by the next job run;
 * - REPORT_PROCESSING_FINISHED: a drift check waiting for that report polls at once.
 * Duplicates never get here (the inbox's unique key), and the first three read Amazon's current state or
 * compare event times, so a late or reordered notification cannot roll anything back.
 */
export async function applyNotification(container: MedusaContainer, accountId: string, n: ParsedNotification): Promise<ApplyOutcome> {
  switch (n.type) {
    case "ORDER_CHANGE":
      return applyOrderChange(container, accountId, n)
    case "FBA_INVENTORY_AVAILABILITY_CHANGES":
      return applyFbaChange(container, accountId, n)
    case "LISTINGS_ITEM_MFN_QUANTITY_CHANGE":
      return applyMfnQuantity(container, accountId, n)
    case "FEED_PROCESSING_FINISHED":
      return applyFeedFinished(container, n)
    case "FULFILLMENT_ORDER_STATUS": {
      const summary = await trackMcfOrders(container, { account_id: accountId, mcf_order_ids: [n.mcf.SellerFulfillmentOrderId] })
      return summary.checked
        ? { status: "applied", outcome: `MCF order ${n.mcf.SellerFulfillmentOrderId} is ${n.mcf.FulfillmentOrderStatus}: read at once (${summary.shipped ? "shipment recorded" : summary.delivered ? "delivery recorded" : "state updated"})` }
        : { status: "ignored", outcome: `MCF order ${n.mcf.SellerFulfillmentOrderId} is not one of this store's open MCF orders` }
    }
    case "REPORT_PROCESSING_FINISHED": {
      const woken = wakeReportWaiters(n.report.reportId)
      return woken
        ? { status: "applied", outcome: `Report ${n.report.reportId} is ${n.report.processingStatus}: the comparison waiting for it reads it now` }
        : { status: "ignored", outcome: `Report ${n.report.reportId} is ${n.report.processingStatus}; no comparison of this process waits for it` }
    }
  }
}

function retryable(e: unknown): boolean {
  return e instanceof AmazonApiError && (e.kind === "retryable" || e.status === 429 || e.code === "RateLimitWaitExceeded")
}

async function applyOrderChange(
  container: MedusaContainer,
  accountId: string,
  n: Extract<ParsedNotification, { type: "ORDER_CHANGE" }>
): Promise<ApplyOutcome> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const account = await amazon.retrieveAmazonAccount(accountId, { select: ["id", "marketplace_ids"] })
  const marketplaceId = n.order.Summary?.MarketplaceId
  if (marketplaceId && !((account.marketplace_ids ?? []) as unknown as string[]).includes(marketplaceId)) {
    return { status: "ignored", outcome: `Order ${n.order.AmazonOrderId} is of marketplace ${marketplaceId}, which this account does not sync` }
  }
  let order: unknown
  try {
    const api = await amazon.getSpApi(accountId)
    order = (await api.getOrder(n.order.AmazonOrderId, { includedData: [...ORDER_INCLUDED_DATA] })).data.order
  } catch (e) {
    if (retryable(e)) throw new RetryableApplyError(`getOrder ${n.order.AmazonOrderId}: ${(e as Error).message}`)
    throw e
  }
  const counts: OrderPageCounts = { orders: 0, imported: 0, pending: 0, skipped: 0, needs_attention: 0, failed: 0 }
  const orderMarketplace = (order as { salesChannel?: { marketplaceId?: string } }).salesChannel?.marketplaceId ?? marketplaceId
  if (!orderMarketplace) {
    return { status: "ignored", outcome: `Order ${n.order.AmazonOrderId} names no marketplace` }
  }
  await applyOrderPage(container, { account_id: accountId, marketplace_id: orderMarketplace, orders: [order], batch: true, concurrency: 1 }, counts)
  const what = counts.imported
    ? "imported or updated"
    : counts.skipped
      ? "already up to date (polling or an earlier notification had it)"
      : counts.needs_attention
        ? "recorded as needing attention"
        : counts.pending
          ? "pending at Amazon, recorded"
          : "failed to apply (filed as needing attention)"
  const change = n.order.OrderChangeType === "BuyerRequestedChange" ? "buyer request" : `status ${n.order.Summary?.OrderStatus ?? "change"}`
  return { status: counts.skipped && !counts.imported ? "ignored" : "applied", outcome: `Order ${n.order.AmazonOrderId} (${change}): ${what}` }
}

/**
 * FBA changes come in bursts (one notification per SKU): a pass per account + marketplace at a time, and a
 * notification arriving while one runs asks for one more pass after it instead of a pass of its own.
 */
const fbaPasses = new Map<string, { running: Promise<void>; again: boolean }>()

async function applyFbaChange(
  container: MedusaContainer,
  accountId: string,
  n: Extract<ParsedNotification, { type: "FBA_INVENTORY_AVAILABILITY_CHANGES" }>
): Promise<ApplyOutcome> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const account = await amazon.retrieveAmazonAccount(accountId, { select: ["id", "marketplace_ids"] })
  const ours = new Set((account.marketplace_ids ?? []) as unknown as string[])
  const marketplaces = [...new Set((n.fba.FulfillmentInventoryByMarketplace ?? []).map((m) => m.MarketplaceId))].filter((m) => ours.has(m))
  if (!marketplaces.length) {
    return { status: "ignored", outcome: `FBA stock of ${n.fba.SKU} changed in marketplaces this account does not sync` }
  }
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (const marketplaceId of marketplaces) {
    const key = `${accountId}:${marketplaceId}`
    const current = fbaPasses.get(key)
    if (current) {
      current.again = true
      continue
    }
    const state = { running: Promise.resolve(), again: false }
    const loop = async () => {
      try {
        do {
          state.again = false
          const outcome = await runFbaStockSync(container, { account_id: accountId, marketplace_id: marketplaceId, mode: "incremental", lock_timeout_seconds: 30 })
          if (outcome.status === "failed") logger.warn(`amazon notifications: FBA pass for ${marketplaceId} failed: ${outcome.message}`)
        } while (state.again)
      } finally {
        fbaPasses.delete(key)
      }
    }
    fbaPasses.set(key, state)
    state.running = loop()
    await state.running
  }
  return { status: "applied", outcome: `FBA stock of ${n.fba.SKU} changed: the FBA location of ${marketplaces.join(", ")} was read again` }
}

async function applyMfnQuantity(
  container: MedusaContainer,
  accountId: string,
  n: Extract<ParsedNotification, { type: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE" }>
): Promise<ApplyOutcome> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const shown = n.mfn.Quantity
  const at = n.event_time ? new Date(n.event_time) : new Date()
  const listings = await amazon.listAmazonListings(
    { account_id: accountId, seller_sku: n.mfn.Sku, fulfillment_channel: "MERCHANT" },
    { select: ["id", "last_accepted_quantity", "last_sent_quantity", "last_sent_at", "amazon_quantity_at", "confirm_status"] }
  )
  if (!listings.length) {
    return { status: "ignored", outcome: `Amazon shows ${shown} for ${n.mfn.Sku}, a SKU this account has not imported` }
  }
  const updates: Record<string, unknown>[] = []
  const contradicted: string[] = []
  let stale = 0
  for (const l of listings) {
    if (l.amazon_quantity_at && new Date(l.amazon_quantity_at).getTime() >= at.getTime()) {
      stale += 1 // a newer reading is known already (a reordered notification)
      continue
    }
    const seen = { id: l.id, amazon_quantity: shown, amazon_quantity_at: at, amazon_quantity_source: "notification" }
    if (shown === l.last_accepted_quantity) {
      updates.push({ ...seen, ...(l.confirm_status === "waiting" || l.confirm_status === "mismatch" ? { confirm_status: "confirmed", confirm_due_at: null } : {}) })
    } else if (shown === l.last_sent_quantity || (l.last_sent_at && new Date(l.last_sent_at).getTime() > at.getTime())) {
      // what was just sent and not yet accepted, or older than a push since: the push's own read-back decides
      updates.push(seen)
    } else {
      // changed behind the plugin's back (Seller Central, another tool, Amazon): heal like a drift check does
      updates.push({ ...seen, last_accepted_quantity: shown })
      contradicted.push(l.id)
    }
  }
  if (updates.length) {
    await amazon.updateListingPushStates(updates as never)
  }
  if (contradicted.length) {
    const links = await liveLinksOfListings(container.resolve(ContainerRegistrationKeys.QUERY), contradicted)
    if (links.length) {
      await amazon.enqueueStockChanges(links.map((l) => ({ variant_id: l.product_variant_id, reason: DRIFT_REASON, urgent: true })))
      requestStockPushSoon(container)
    }
    return { status: "applied", outcome: `Amazon shows ${shown} for ${n.mfn.Sku}, not what the plugin set: the store's quantity is sent again` }
  }
  if (!updates.length) {
    return { status: "ignored", outcome: `Amazon showed ${shown} for ${n.mfn.Sku} before a newer reading (${stale} listing(s)): nothing to change` }
  }
  return { status: "applied", outcome: `Amazon shows ${shown} for ${n.mfn.Sku}, as the plugin set or is setting` }
}

async function applyFeedFinished(container: MedusaContainer, n: Extract<ParsedNotification, { type: "FEED_PROCESSING_FINISHED" }>): Promise<ApplyOutcome> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [feed] = await amazon.listAmazonFeeds({ amazon_feed_id: n.feed.feedId }, { take: 1, select: ["id"] })
  if (!feed) {
    return { status: "ignored", outcome: `Feed ${n.feed.feedId} (${n.feed.feedType}) was not sent by this plugin` }
  }
  const { errors } = await processAmazonFeedResultsWorkflow(container).run({ input: { wait_for_lock_seconds: 30 }, throwOnError: false })
  if (errors?.length) {
    throw new RetryableApplyError(`reading the results of feed ${n.feed.feedId} failed: ${String((errors[0]?.error as Error)?.message ?? "unknown error")}`)
  }
  return { status: "applied", outcome: `Feed ${n.feed.feedId} is ${n.feed.processingStatus}: its results were read at once` }
}
