import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { pushAmazonStockWorkflow } from "../workflows/stock-push/push-amazon-stock"
import { reconcileAmazonStockWorkflow } from "../workflows/stock-push/reconcile-amazon-stock"

/**
 * The daily full pass: queue every mapped SKU, then push right away (only quantities that differ from
 * what Amazon last accepted go out).
 */
export default async function amazonReconcileStockJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const { result: queued } = await reconcileAmazonStockWorkflow(container).run({ input: {} })
    if (!queued.enqueued) {
      return
    }
    const { result } = await pushAmazonStockWorkflow(container).run({ input: {} })
    logger.info(
      `amazon stock reconcile: ${queued.listings} listing(s) checked, ${result.skipped} unchanged, ` +
        `${result.patched + result.fed} sent, ${result.deferred} deferred to the next push`
    )
  } catch (e) {
    logger.error(`amazon stock reconcile failed: ${(e as { message?: string })?.message ?? String(e)}`)
  }
}

export const config = {
  name: "amazon-reconcile-stock",
  // Daily at 03:00 by default; AMAZON_STOCK_RECONCILE_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_STOCK_RECONCILE_SCHEDULE || "0 3 * * *",
}
