import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SpApi } from "../../../lib/amazon/api"
import { AmazonApiError, SpApiErrorCode } from "../../../lib/amazon/errors"
import {
  computeLastUpdatedAfter,
  needsApply,
  nextWatermark,
  ORDER_INCLUDED_DATA,
  ORDER_PAGE_SIZE,
  peekLastUpdatedTime,
  peekOrderId,
  peekOrderResources,
  readSearchOrdersEnvelope,
  runKeyed,
} from "../../../lib/amazon/orders"
import { AmazonPayloadError } from "../../../lib/amazon/parsers/payload-reader"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { applyAmazonOrderBatchWorkflow } from "../apply-amazon-order-batch"
import { ORDERS_STREAM, SEARCH_ORDERS_OPERATION } from "../constants"
import type { OrderImportCursor } from "../steps/load-amazon-order-import"
import { errorMessage, runApplyAmazonOrder } from "../utils/run-apply-amazon-order"

export interface MarketplaceImportSummary {
  marketplace_id: string
  /** done = window complete, watermark advanced; partial = stopped early, resumes from the page token. */
  status: "done" | "partial" | "skipped_quota" | "failed"
  last_updated_after: string | null
  pages: number
  /** searchOrders calls made (a page that had to be re-requested counts twice). */
  calls: number
  orders: number
  imported: number
  pending: number
  skipped: number
  needs_attention: number
  failed: number
  watermark: string | null
  error?: string
}

type ResumeState = { last_updated_after: string; pagination_token: string; pages: number }
type CursorState = { resume?: ResumeState | null; last_run?: MarketplaceImportSummary } & Record<string, unknown>

/**
 * The polling loop of one marketplace: searchOrders by lastUpdatedTime from the watermark minus the
 * overlap (all statuses, 100 per page, items inline), every page. A version already recorded is skipped
 * before any workflow runs; the page's new orders are applied together by applyAmazonOrderBatchWorkflow;
 * updates of orders seen before, and whatever the batch hands back or fails on, are applied one by one by
 * applyAmazonOrderWorkflow (runApplyAmazonOrder).
 *
 * Why a plain function and not a step: it runs one workflow per page batch and one per order, each its own
 * transaction with its own compensation, so that a failing order is undone (and filed as needing
 * attention) alone, while the orders before it stay imported. A step running those workflows would hide
 * them inside its parent's transaction; runAsStep cannot express a loop whose length only Amazon's
 * answer decides, nor an order's failure that must not fail the page. So this loop is the orchestrator
 * (called by importAmazonOrders, which holds the account's lock around it), and every unit of work in it
 * is a workflow.
 *
 * Durability: after each page the page token is stored in the cursor (tokens live 24 h), and only after
 * the last page does the watermark move, to the `lastUpdatedBefore` Amazon echoed. A crash or an empty
 * quota mid-window therefore resumes where it stopped, and nothing between the old watermark and the end
 * of the window is skipped. The cursor only ever records work that is done.
 */
export async function importMarketplaceOrders(
  container: MedusaContainer,
  api: SpApi,
  opts: {
    account_id: string
    cursor: OrderImportCursor
    overlap_seconds: number
    lookback_seconds: number
    wait_for_quota: boolean
    max_pages: number
    concurrency: number
    batch: boolean
  }
): Promise<MarketplaceImportSummary> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const marketplaceId = opts.cursor.scope
  const state: CursorState = { ...((opts.cursor.state as CursorState | null) ?? {}) }
  const summary: MarketplaceImportSummary = {
    marketplace_id: marketplaceId,
    status: "partial",
    last_updated_after: null,
    pages: 0,
    calls: 0,
    orders: 0,
    imported: 0,
    pending: 0,
    skipped: 0,
    needs_attention: 0,
    failed: 0,
    watermark: opts.cursor.watermark ? new Date(opts.cursor.watermark).toISOString() : null,
  }
  const hasToken = async () => (await api.client.availableTokens(SEARCH_ORDERS_OPERATION)) >= 1

  if (!opts.wait_for_quota && !(await hasToken())) {
    summary.status = "skipped_quota"
    return summary
  }
  const startedAt = new Date()
  await amazon.updateAmazonSyncCursors({ id: opts.cursor.id, last_run_at: startedAt })

  let resume = state.resume ?? null
  const after = resume?.last_updated_after ?? computeLastUpdatedAfter({
    watermark: opts.cursor.watermark,
    overlapSeconds: opts.overlap_seconds,
    lookbackSeconds: opts.lookback_seconds,
    now: startedAt,
  })
  let token: string | undefined = resume?.pagination_token
  let restarted = false
  let newestSeen: string | null = null
  summary.last_updated_after = after

  const fail = async (code: string, message: string) => {
    summary.status = "failed"
    summary.error = `${code}: ${message}`
    await amazon.updateAmazonSyncCursors({ id: opts.cursor.id, last_error: summary.error, state: { ...state, resume, last_run: summary } })
    await amazon.recordSyncLog({
      account_id: opts.account_id,
      stream: ORDERS_STREAM,
      code,
      message: `Order import for marketplace ${marketplaceId} stopped: ${message}`,
      context: { marketplace_id: marketplaceId, last_updated_after: after, page: summary.pages + 1 },
    })
    return summary
  }

  for (;;) {
    if (summary.pages >= opts.max_pages || (summary.pages > 0 && !opts.wait_for_quota && !(await hasToken()))) {
      // The rest of the window waits for the next run, which resumes from the stored page token.
      break
    }
    let data: unknown
    try {
      summary.calls += 1
      const res = await api.searchOrders({
        lastUpdatedAfter: after,
        marketplaceIds: [marketplaceId],
        maxResultsPerPage: ORDER_PAGE_SIZE,
        includedData: [...ORDER_INCLUDED_DATA],
        ...(token ? { paginationToken: token } : {}),
      })
      data = res.data
    } catch (e) {
      if (e instanceof AmazonApiError && token && !restarted && e.status === 400) {
        // The stored page token expired (24 h) or was refused: read the window again from its start;
        // versions already recorded are skipped without any work.
        logger.info(`amazon orders: page token refused for ${marketplaceId} (${e.code}); restarting the window at ${after}`)
        restarted = true
        token = undefined
        resume = null
        continue
      }
      if (e instanceof AmazonApiError && e.code === SpApiErrorCode.RATE_LIMIT_WAIT_EXCEEDED) {
        break
      }
      if (e instanceof AmazonApiError) {
        return fail(e.code, e.message)
      }
      throw e
    }

    let envelope
    try {
      envelope = readSearchOrdersEnvelope(data)
    } catch (e) {
      if (e instanceof AmazonPayloadError) {
        return fail("INVALID_RESPONSE", e.message)
      }
      throw e
    }

    const newest = await applyOrderPage(container, {
      account_id: opts.account_id,
      marketplace_id: marketplaceId,
      orders: envelope.orders,
      batch: opts.batch,
      concurrency: opts.concurrency,
    }, summary)
    if (newest && (!newestSeen || Date.parse(newest) > Date.parse(newestSeen))) {
      newestSeen = newest
    }
    summary.pages += 1

    if (envelope.nextToken) {
      token = envelope.nextToken
      resume = { last_updated_after: after, pagination_token: token, pages: (resume?.pages ?? 0) + 1 }
      // Checkpoint: this page is fully recorded; a crash from here on resumes with the next page.
      await amazon.updateAmazonSyncCursors({ id: opts.cursor.id, state: { ...state, resume } })
      continue
    }

    const watermark = nextWatermark({ echoedBefore: envelope.lastUpdatedBefore, newestSeen, previous: opts.cursor.watermark })
    summary.status = "done"
    summary.watermark = watermark ? watermark.toISOString() : null
    resume = null
    await amazon.updateAmazonSyncCursors({
      id: opts.cursor.id,
      watermark,
      last_success_at: new Date(),
      last_error: null,
      state: { ...state, resume: null, last_run: summary },
    })
    return summary
  }

  await amazon.updateAmazonSyncCursors({ id: opts.cursor.id, state: { ...state, resume, last_run: summary } })
  return summary
}

/** Counts of a page's orders by outcome (the fields of MarketplaceImportSummary it adds to). */
export type OrderPageCounts = Pick<MarketplaceImportSummary, "orders" | "imported" | "pending" | "skipped" | "needs_attention" | "failed">

/**
 * Applies one searchOrders page: versions already recorded are skipped before any workflow runs; the new
 * orders go together through applyAmazonOrderBatchWorkflow; updates of orders seen before, and whatever
 * the batch hands back or fails on, one by one through applyAmazonOrderWorkflow (orders sharing stock or
 * a buyer never at once). Adds to `summary`; returns the newest lastUpdatedTime seen on the page.
 * Shared by the polling loop and the back-import (`historic`, see applyAmazonOrderWorkflow).
 */
export async function applyOrderPage(
  container: MedusaContainer,
  opts: { account_id: string; marketplace_id: string; orders: unknown[]; batch: boolean; concurrency: number; historic?: boolean },
  summary: OrderPageCounts
): Promise<string | null> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  let newestSeen: string | null = null
  // Dedupe before any workflow: versions already recorded cost one indexed query per page.
  const ids = opts.orders.map(peekOrderId).filter((id): id is string => !!id)
  const rows = ids.length ? await amazon.listAmazonOrders({ amazon_order_id: ids }, { select: ["amazon_order_id", "amazon_updated_at", "import_status", "attention_code", "attempts", "order_id"] }) : []
  const byId = new Map(rows.map((r) => [r.amazon_order_id, r]))
  let todo: { raw: unknown; attempt: number; recorded: boolean }[] = []
  for (const raw of opts.orders) {
    summary.orders += 1
    const id = peekOrderId(raw)
    const version = peekLastUpdatedTime(raw)
    if (version && (!newestSeen || Date.parse(version) > Date.parse(newestSeen))) {
      newestSeen = version
    }
    const row = id ? byId.get(id) : undefined
    if (row && version && !needsApply(row as never, version)) {
      summary.skipped += 1
      continue
    }
    todo.push({ raw, attempt: row?.import_status === "needs_attention" ? (row.attempts ?? 0) : 0, recorded: !!row })
  }
  const fresh = todo.filter((t) => !t.recorded)
  if (opts.batch && fresh.length) {
    // New orders in one batch; what it hands back, and orders seen before, one by one below.
    try {
      const { result } = await applyAmazonOrderBatchWorkflow(container).run({
        input: { account_id: opts.account_id, marketplace_id: opts.marketplace_id, orders: fresh.map((t) => t.raw), historic: opts.historic },
      })
      for (const applied of result.applied) {
        summary[applied.outcome] += 1
      }
      todo = [...todo.filter((t) => t.recorded), ...result.fallback.map((raw) => ({ raw, attempt: 0, recorded: false }))]
    } catch (e) {
      // The batch undid itself: the same orders go one by one, where a failure stays with its order.
      // Logged for the admin too: a batch failing again and again makes every import slow.
      const message = `A batch of ${fresh.length} new orders of marketplace ${opts.marketplace_id} failed and was undone (${errorMessage(e)}); they were applied one by one`
      logger.warn(`amazon orders: ${message}`)
      await amazon.recordSyncLog({
        account_id: opts.account_id,
        stream: ORDERS_STREAM,
        level: "warn",
        code: "ORDER_BATCH_FAILED",
        message,
        context: { marketplace_id: opts.marketplace_id, orders: fresh.length },
      })
    }
  }
  const stockKeys = await stockKeysOf(container, opts.account_id, todo.map((t) => t.raw))
  const results = await runKeyed(
    todo.map(({ raw, attempt }) => {
      const { skus, email } = peekOrderResources(raw)
      return {
        keys: [
          `order:${peekOrderId(raw) ?? ""}`,
          ...skus.flatMap((sku) => stockKeys.get(sku) ?? [`sku:${sku}`]),
          ...(email ? [`buyer:${email}`] : []),
        ],
        run: () => runApplyAmazonOrder(container, { account_id: opts.account_id, marketplace_id: opts.marketplace_id, order: raw, historic: opts.historic }, attempt),
      }
    }),
    opts.concurrency
  )
  for (const result of results) {
    switch (result.outcome) {
      case "imported":
        summary.imported += 1
        break
      case "pending":
        summary.pending += 1
        break
      case "skipped":
        summary.skipped += 1
        break
      case "needs_attention":
        summary.needs_attention += 1
        break
      default:
        summary.failed += 1
    }
  }
  return newestSeen
}

/**
 * SKU → the stock it moves (variant and inventory item ids, kits included), for every SKU of the orders
 * about to be applied: orders sharing one of these never run at the same time. One query per page.
 */
async function stockKeysOf(container: MedusaContainer, accountId: string, orders: unknown[]): Promise<Map<string, string[]>> {
  const skus = [...new Set(orders.flatMap((o) => peekOrderResources(o).skus))]
  const keys = new Map<string, string[]>()
  if (!skus.length) {
    return keys
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "amazon_listing",
    fields: ["seller_sku", "product_variant.id", "product_variant.inventory_items.inventory_item_id"],
    filters: { account_id: accountId, seller_sku: skus } as Record<string, unknown>,
  })
  for (const listing of data as { seller_sku: string; product_variant?: { id: string; inventory_items?: { inventory_item_id: string }[] } | null }[]) {
    const variant = listing.product_variant
    if (!variant) {
      continue
    }
    const list = keys.get(listing.seller_sku) ?? [`sku:${listing.seller_sku}`]
    list.push(`variant:${variant.id}`, ...(variant.inventory_items ?? []).map((i) => `inventory:${i.inventory_item_id}`))
    keys.set(listing.seller_sku, list)
  }
  return keys
}
