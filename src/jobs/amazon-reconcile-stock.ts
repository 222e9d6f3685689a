import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { PushAmazonStockWorkflowOutput } from "../workflows/stock-push/push-amazon-stock"
import { runScheduledStream } from "../workflows/sync-streams"

/**
 * The daily full pass: queue every mapped SKU, then push right away (only quantities that differ from
 * what Amazon last accepted go out). The push waits up to 30 s for a running one to finish.
 */
export default async function amazonReconcileStockJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
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
