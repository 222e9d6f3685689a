import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { DriftCheckOutcome } from "../workflows/drift-check/run-drift-check"
import type { PushAmazonStockWorkflowOutput } from "../workflows/stock-push/push-amazon-stock"
import { runScheduledStream } from "../workflows/sync-streams"

/**
 * The daily full pass, in two parts:
 * 1. the comparison with Amazon (drift_check): per account and marketplace, Amazon's listings report
 *    against what the plugin last set; a quantity Amazon shows differently becomes Amazon's in the
 *    plugin's records (so it is sent again), listings missing on Amazon are reported;
 * 2. the reconcile: every mapped SKU queued, then pushed at once — only quantities that differ from what
 *    Amazon holds go out, which now includes what part 1 found (before, an edit on Amazon's side stayed).
 * AMAZON_DRIFT_CHECK=off skips part 1 (then the pass only heals misses on the store's side).
 */
export default async function amazonReconcileStockJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  if (!/^(off|false|disabled)$/i.test(process.env.AMAZON_DRIFT_CHECK ?? "")) {
    const checks = await runScheduledStream(container, "drift_check", { wait_for_lock_seconds: 30 })
    const done = checks.map((c) => c.result as DriftCheckOutcome).filter((c): c is Extract<DriftCheckOutcome, { status: "done" }> => c?.status === "done")
    if (done.length) {
      logger.info(
        `amazon drift check: ${done.length} marketplace(s), ${done.reduce((n, c) => n + c.summary.compared, 0)} compared, ` +
          `${done.reduce((n, c) => n + c.summary.differing, 0)} differed, ${done.reduce((n, c) => n + c.summary.missing_on_amazon + c.summary.inactive_on_amazon, 0)} missing or inactive on Amazon`
      )
    }
  }
  const [queued, pushed] = await runScheduledStream(container, "reconcile", { wait_for_lock_seconds: 30 })
  if (!queued || !pushed) {
    return
  }
  const listings = (queued.result as { listings?: number }).listings ?? 0
  const r = pushed.result as PushAmazonStockWorkflowOutput
  logger.info(
    `amazon stock reconcile: ${listings} listing(s) checked, ${r.skipped} unchanged, ` +
      `${r.patched + r.fed} sent, ${r.deferred} deferred to the next push`
  )
}

export const config = {
  name: "amazon-reconcile-stock",
  // Daily at 03:00 by default; AMAZON_STOCK_RECONCILE_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_STOCK_RECONCILE_SCHEDULE || "0 3 * * *",
}
