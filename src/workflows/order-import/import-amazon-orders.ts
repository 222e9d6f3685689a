import type { MedusaContainer } from "@medusajs/framework/types"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { DEFAULT_ORDER_LOOKBACK_SECONDS } from "../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../modules/amazon"
import type AmazonModuleService from "../../modules/amazon/service"
import { releaseAmazonLockWorkflow } from "../shared/release-amazon-lock"
import { acquireAmazonLockStep } from "../shared/steps/acquire-amazon-lock"
import { DEFAULT_APPLY_CONCURRENCY, DEFAULT_MAX_PAGES_PER_RUN, orderImportLockKey } from "./constants"
import type { OrderBackfillState } from "../../lib/amazon/orders"
import { backfillMarketplaceOrders } from "./orchestrators/backfill-marketplace-orders"
import { importMarketplaceOrders, MarketplaceImportSummary } from "./orchestrators/import-marketplace-orders"
import { retryAmazonOrdersWithLinkedSkus } from "./orchestrators/retry-linked-orders"
import type { RetryLinkedOrdersSummary } from "./orchestrators/retry-linked-orders"
import { loadAmazonOrderImportStep } from "./steps/load-amazon-order-import"

export type { MarketplaceImportSummary } from "./orchestrators/import-marketplace-orders"

export const beginAmazonOrderImportWorkflowId = "amazon-begin-order-import"

export interface ImportAmazonOrdersInput {
  account_id: string
  /** Default: every marketplace of the account. */
  marketplace_ids?: string[]
  /**
   * Wait for searchOrders quota (manual runs, tests). Scheduled runs do not: when the bucket is empty they
   * leave the rest of the window to the next run, which resumes from the stored page token.
   */
  wait_for_quota?: boolean
  /** Pages per marketplace and run (default 20, the searchOrders burst). */
  max_pages?: number
  /**
   * How far back the first run of a marketplace looks, in seconds, when the account's settings do not say
   * (settings.order_lookback_hours wins). Default 24 h.
   */
  lookback_seconds?: number
  /** Orders of a page applied at once (default 4; orders sharing stock or a buyer never overlap). */
  concurrency?: number
  /** Apply each page's new orders in one batch (default true); false: every order one by one. */
  batch?: boolean
}

export interface ImportAmazonOrdersOutput {
  account_id: string
  ran: boolean
  /** Why nothing ran (another run holds the account, account disabled, invalid settings). */
  reason?: string
  marketplaces: MarketplaceImportSummary[]
  /** Back-imports of older orders this run went on with (their state after it). */
  backfills?: (OrderBackfillState & { marketplace_id: string })[]
  /** Orders waiting on an unknown SKU, applied again because every SKU of theirs is linked now. */
  linked_retries?: RetryLinkedOrdersSummary
}

/**
 * The start of an account's order import: takes the account's lock (a lease, renewed while the run lives,
 * so a killed worker blocks the next runs for at most a minute; a run kept out says so in the sync log)
 * and loads what to import (see loadAmazonOrderImportStep). When the load fails, the lock step's
 * compensation frees the lock again. importAmazonOrders releases it when the run ends.
 *
 * @example
 * const { result } = await beginAmazonOrderImportWorkflow(container).run({ input: { account_id } })
 * // result.lock.acquired, result.plan.run
 */
export const beginAmazonOrderImportWorkflow = createWorkflow(
  beginAmazonOrderImportWorkflowId,
  (input: { account_id: string; marketplace_ids?: string[] }) => {
    const lock = acquireAmazonLockStep(
      transform({ input }, ({ input }) => ({
        key: orderImportLockKey(input.account_id),
        report: { stream: "orders", account_id: input.account_id },
      }))
    )
    const plan = loadAmazonOrderImportStep(
      transform({ input, lock }, ({ input, lock }) => ({ account_id: input.account_id, lock, marketplace_ids: input.marketplace_ids }))
    )
    return new WorkflowResponse({ lock, plan })
  }
)

/**
 * Imports an account's Amazon orders (all marketplaces, every status) since the last run, goes on with a
 * back-import of older orders the merchant asked for (backfillMarketplaceOrders), and retries orders that
 * waited on an unknown SKU once every SKU of theirs is linked (retryAmazonOrdersWithLinkedSkus). The orders
 * stream's runner (sync-streams.ts) calls it for every enabled account, on the schedule (every two
 * minutes) and for the admin's "sync now". Runs of one account never overlap: a run that finds the account
 * locked ends at once. Each order is applied exactly once, a page's new orders together by
 * applyAmazonOrderBatchWorkflow and everything else by applyAmazonOrderWorkflow.
 *
 * An orchestrator, not a workflow: the page loop runs a workflow per page batch and per order (each its
 * own transaction and compensation, see importMarketplaceOrders), which a workflow step must not do.
 * What can be a workflow is: taking the lock and loading the plan (beginAmazonOrderImportWorkflow), each
 * page's batch, each order, and releasing the lock (releaseAmazonLockWorkflow), always, also when the
 * loop throws.
 *
 * @example
 * const result = await importAmazonOrders(container, { account_id, wait_for_quota: true })
 * // result.marketplaces[0].status: "done" | "partial" | "skipped_quota" | "failed"
 */
export async function importAmazonOrders(container: MedusaContainer, input: ImportAmazonOrdersInput): Promise<ImportAmazonOrdersOutput> {
  const { result: begun } = await beginAmazonOrderImportWorkflow(container).run({
    input: { account_id: input.account_id, marketplace_ids: input.marketplace_ids },
  })
  const { lock, plan } = begun
  try {
    if (!plan.run) {
      return { account_id: input.account_id, ran: false, reason: plan.reason, marketplaces: [] }
    }
    const api = await container.resolve<AmazonModuleService>(AMAZON_MODULE).getSpApi(input.account_id)
    const marketplaces: MarketplaceImportSummary[] = []
    for (const cursor of plan.cursors) {
      marketplaces.push(
        await importMarketplaceOrders(container, api, {
          account_id: input.account_id,
          cursor,
          overlap_seconds: plan.overlap_seconds,
          lookback_seconds: plan.lookback_seconds ?? input.lookback_seconds ?? DEFAULT_ORDER_LOOKBACK_SECONDS,
          wait_for_quota: !!input.wait_for_quota,
          max_pages: input.max_pages ?? DEFAULT_MAX_PAGES_PER_RUN,
          concurrency: input.concurrency ?? DEFAULT_APPLY_CONCURRENCY,
          batch: input.batch ?? true,
        })
      )
    }
    // Older orders the merchant asked for, with the quota the regular import left.
    const backfills: (OrderBackfillState & { marketplace_id: string })[] = []
    for (const cursor of plan.backfills) {
      const state = await backfillMarketplaceOrders(container, api, {
        account_id: input.account_id,
        cursor,
        wait_for_quota: !!input.wait_for_quota,
        max_pages: input.max_pages ?? DEFAULT_MAX_PAGES_PER_RUN,
        concurrency: input.concurrency ?? DEFAULT_APPLY_CONCURRENCY,
        batch: input.batch ?? true,
      })
      backfills.push({ ...state, marketplace_id: cursor.scope })
    }
    // Orders filed for an unknown SKU whose SKUs are all linked by now (no Amazon call).
    const linked_retries = await retryAmazonOrdersWithLinkedSkus(container, input.account_id)
    return { account_id: input.account_id, ran: true, marketplaces, backfills, linked_retries }
  } finally {
    await releaseAmazonLockWorkflow(container).run({ input: lock })
  }
}
