import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { DEFAULT_ORDER_OVERLAP_SECONDS, isBackfillActive } from "../../../lib/amazon/orders"
import type { OrderBackfillState } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { readAccountSettings } from "../../../types/account-settings"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import { ORDERS_BACKFILL_STREAM, ORDERS_STREAM } from "../constants"
import type { OrderBackfillCursor } from "../orchestrators/backfill-marketplace-orders"
import { errorMessage } from "../utils/run-apply-amazon-order"

export const loadAmazonOrderImportStepId = "amazon-load-order-import"

export interface LoadAmazonOrderImportStepInput {
  account_id: string
  lock: AmazonLock
  /** Default: every marketplace of the account (others are ignored). */
  marketplace_ids?: string[]
}

/** One marketplace's order cursor (amazon_sync_cursor, stream "orders", scope = marketplace id). */
export interface OrderImportCursor {
  id: string
  scope: string
  watermark: Date | string | null
  state: Record<string, unknown> | null
}

export type LoadAmazonOrderImportStepOutput =
  | { run: false; reason: string }
  | {
      run: true
      overlap_seconds: number
      /** The account's first-import look-back (settings.order_lookback_hours), when set. */
      lookback_seconds: number | null
      cursors: OrderImportCursor[]
      /** Back-imports of older orders still to run (queued, or stopped by quota). */
      backfills: OrderBackfillCursor[]
    }

/**
 * What an order import run of one account does: nothing when another run holds the account's lock, the
 * account is disabled or its settings are invalid (recorded in the sync log for the admin); otherwise the
 * order cursors of its marketplaces, the one polled longest ago first so a scarce searchOrders quota is
 * shared round-robin, and the back-imports of older orders still to run. Creates missing cursors (no compensation: an empty cursor is what the next run
 * would create anyway).
 *
 * @example
 * const plan = loadAmazonOrderImportStep({ account_id, lock })
 */
export const loadAmazonOrderImportStep = createStep(
  loadAmazonOrderImportStepId,
  async (input: LoadAmazonOrderImportStepInput, { container }): Promise<StepResponse<LoadAmazonOrderImportStepOutput>> => {
    if (!input.lock.acquired) {
      return new StepResponse({ run: false, reason: "another import of this account is running" })
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const account = await amazon.retrieveAmazonAccount(input.account_id)
    if (!account.enabled) {
      return new StepResponse({ run: false, reason: "account disabled" })
    }
    let settings
    try {
      settings = readAccountSettings(account.settings)
    } catch (e) {
      await amazon.recordSyncLog({
        account_id: account.id,
        stream: ORDERS_STREAM,
        code: "INVALID_SETTINGS",
        message: `Order import skipped: the account settings are invalid (${errorMessage(e)})`,
      })
      return new StepResponse({ run: false, reason: "invalid settings" })
    }
    const accountMarketplaces = (account.marketplace_ids as unknown as string[]) ?? []
    const wanted = (input.marketplace_ids ?? accountMarketplaces).filter((m) => accountMarketplaces.includes(m))
    const cursors = await Promise.all(wanted.map((m) => amazon.getOrCreateCursor(account.id, ORDERS_STREAM, m)))
    cursors.sort((a, b) => new Date(a.last_run_at ?? 0).getTime() - new Date(b.last_run_at ?? 0).getTime())
    const backfills = (await amazon.listAmazonSyncCursors({ account_id: account.id, stream: ORDERS_BACKFILL_STREAM }, { take: 100 })).filter(
      (c) => wanted.includes(c.scope as string) && isBackfillActive(c.state as Partial<OrderBackfillState> | null)
    )
    return new StepResponse({
      run: true,
      overlap_seconds: settings.order_overlap_seconds ?? DEFAULT_ORDER_OVERLAP_SECONDS,
      lookback_seconds: settings.order_lookback_hours ? settings.order_lookback_hours * 3600 : null,
      backfills: backfills.map((c) => ({ id: c.id, scope: c.scope as string, state: c.state as unknown as OrderBackfillState })),
      cursors: cursors.map((c) => ({
        id: c.id,
        scope: c.scope as string,
        watermark: (c.watermark as Date | string | null) ?? null,
        state: (c.state as Record<string, unknown> | null) ?? null,
      })),
    })
  }
)
