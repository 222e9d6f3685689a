import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SpApi } from "../../../lib/amazon/api"
import { AmazonApiError, SpApiErrorCode } from "../../../lib/amazon/errors"
import { ORDER_INCLUDED_DATA, ORDER_PAGE_SIZE, readSearchOrdersEnvelope } from "../../../lib/amazon/orders"
import type { OrderBackfillState } from "../../../lib/amazon/orders"
import { AmazonPayloadError } from "../../../lib/amazon/parsers/payload-reader"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { ORDERS_BACKFILL_STREAM, SEARCH_ORDERS_OPERATION } from "../constants"
import { applyOrderPage } from "./import-marketplace-orders"

/** One marketplace's back-import cursor (amazon_sync_cursor, stream "orders_backfill", scope = marketplace id). */
export interface OrderBackfillCursor {
  id: string
  scope: string
  state: OrderBackfillState
}

/**
 * Continues a back-import of one marketplace (requested in the admin, see requestAmazonOrderBackfill):
 * searchOrders by creation time over [created_after, created_before), page after page, each page applied
 * like a polled one (applyOrderPage: recorded versions skipped, new orders in a batch) but as history —
 * units Amazon shipped before the import are recorded as Medusa fulfillments without leaving the store's
 * stock, which was counted after they left. Open orders reserve their units as usual.
 *
 * Runs after the account's regular import in the same run (importAmazonOrders, under the account's lock)
 * and only with the searchOrders quota left: a scheduled run never waits, the next run goes on from the
 * stored page token. Progress (pages, orders, outcomes) is written on the cursor after every page, which
 * is what the admin shows; a failure is written there and in the sync log, and the back-import stops
 * until it is requested again. Returns the state it left.
 */
export async function backfillMarketplaceOrders(
  container: MedusaContainer,
  api: SpApi,
  opts: { account_id: string; cursor: OrderBackfillCursor; wait_for_quota: boolean; max_pages: number; concurrency: number; batch: boolean }
): Promise<OrderBackfillState> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const marketplaceId = opts.cursor.scope
  const state: OrderBackfillState = { ...opts.cursor.state, counts: { ...opts.cursor.state.counts } }
  if (state.status !== "queued" && state.status !== "running") {
    return state
  }
  const save = async (extra: Record<string, unknown> = {}) => {
    state.updated_at = new Date().toISOString()
    await amazon.updateAmazonSyncCursors({ id: opts.cursor.id, last_run_at: new Date(), state: state as unknown as Record<string, unknown>, ...extra })
  }
  const hasToken = async () => (await api.client.availableTokens(SEARCH_ORDERS_OPERATION)) >= 1

  let pages = 0
  let restarted = false
  for (;;) {
    if (pages >= opts.max_pages || (!opts.wait_for_quota && !(await hasToken()))) {
      // The rest waits for the next run (the page token is stored).
      break
    }
    state.status = "running"
    let data: unknown
    try {
      const res = await api.searchOrders({
        createdAfter: state.created_after,
        createdBefore: state.created_before,
        marketplaceIds: [marketplaceId],
        maxResultsPerPage: ORDER_PAGE_SIZE,
        includedData: [...ORDER_INCLUDED_DATA],
        ...(state.pagination_token ? { paginationToken: state.pagination_token } : {}),
      })
      data = res.data
    } catch (e) {
      if (e instanceof AmazonApiError && state.pagination_token && !restarted && e.status === 400) {
        // The page token expired (24 h): start the range again; recorded orders are skipped at no cost.
        logger.info(`amazon orders: back-import page token refused for ${marketplaceId} (${e.code}); restarting at ${state.created_after}`)
        restarted = true
        state.pagination_token = null
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
    await applyOrderPage(
      container,
      { account_id: opts.account_id, marketplace_id: marketplaceId, orders: envelope.orders, batch: opts.batch, concurrency: opts.concurrency, historic: true },
      state.counts
    )
    pages += 1
    state.pages += 1
    if (envelope.nextToken) {
      state.pagination_token = envelope.nextToken
      await save()
      continue
    }
    state.status = "done"
    state.pagination_token = null
    state.finished_at = new Date().toISOString()
    await save({ last_success_at: new Date(), last_error: null })
    await amazon.recordSyncLog({
      account_id: opts.account_id,
      stream: ORDERS_BACKFILL_STREAM,
      level: "info",
      code: "ORDER_BACKFILL_DONE",
      message: `Older orders of ${marketplaceId} imported: ${state.counts.orders} orders created from ${state.created_after} (${state.counts.imported} imported, ${state.counts.needs_attention} need attention)`,
      context: { marketplace_id: marketplaceId, created_after: state.created_after, created_before: state.created_before, counts: state.counts },
    })
    return state
  }
  await save()
  return state

  async function fail(code: string, message: string): Promise<OrderBackfillState> {
    state.status = "failed"
    state.error = `${code}: ${message}`
    await save({ last_error: state.error })
    await amazon.recordSyncLog({
      account_id: opts.account_id,
      stream: ORDERS_BACKFILL_STREAM,
      code,
      message: `The import of older orders of ${marketplaceId} stopped: ${message}. Start it again from the account page; orders already imported are skipped.`,
      context: { marketplace_id: marketplaceId, created_after: state.created_after, page: state.pages + 1 },
    })
    return state
  }
}
