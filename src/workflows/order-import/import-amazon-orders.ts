import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { orderImportLockKey } from "./constants"
import { acquireAmazonLockStep } from "../shared/steps/acquire-amazon-lock"
import { releaseAmazonLockStep } from "../shared/steps/release-amazon-lock"
import { importAmazonOrderPagesStep } from "./steps/import-amazon-order-pages"

export const importAmazonOrdersWorkflowId = "amazon-import-orders"

export interface ImportAmazonOrdersWorkflowInput {
  account_id: string
  /** Default: every marketplace of the account. */
  marketplace_ids?: string[]
  /** Wait for searchOrders quota instead of leaving the rest of the window to the next run. */
  wait_for_quota?: boolean
  /** Pages per marketplace and run (default 20, the searchOrders burst). */
  max_pages?: number
  /** How far back the first run of a marketplace looks, in seconds (default 24 h). */
  lookback_seconds?: number
  /** Orders of a page applied at once (default 4; orders sharing stock or a buyer never overlap). */
  concurrency?: number
  /** Apply each page's new orders in one batch (default true); false: every order one by one. */
  batch?: boolean
}

/**
 * Imports an account's Amazon orders (all marketplaces, every status) since the last run: the scheduled
 * job runs it every two minutes per enabled account. Runs of one account never overlap (a run that finds
 * the account locked ends at once, and says so in the sync log; the lock is a lease renewed while the run
 * lives, so a killed worker blocks the next runs for at most a minute); each order is applied exactly once, a page's new orders together by
 * applyAmazonOrderBatchWorkflow and everything else by applyAmazonOrderWorkflow.
 *
 * @example
 * const { result } = await importAmazonOrdersWorkflow(container).run({ input: { account_id } })
 */
export const importAmazonOrdersWorkflow = createWorkflow(importAmazonOrdersWorkflowId, (input: ImportAmazonOrdersWorkflowInput) => {
  const lock = acquireAmazonLockStep(
    transform({ input }, ({ input }) => ({
      key: orderImportLockKey(input.account_id),
      report: { stream: "orders", account_id: input.account_id },
    }))
  )
  const summary = importAmazonOrderPagesStep(
    transform({ input, lock }, ({ input, lock }) => ({
      account_id: input.account_id,
      lock,
      marketplace_ids: input.marketplace_ids,
      wait_for_quota: input.wait_for_quota,
      max_pages: input.max_pages,
      lookback_seconds: input.lookback_seconds,
      concurrency: input.concurrency,
      batch: input.batch,
    }))
  )
  releaseAmazonLockStep(lock)
  return new WorkflowResponse(summary)
})
