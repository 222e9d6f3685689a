import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { pushAmazonStockWorkflow } from "../workflows/stock-push/push-amazon-stock"

/**
 * Drains the stock outbox to Amazon. With no account or nothing queued it only reads an empty outbox.
 * Several instances may fire at once: the workflow's lock lets one run, the others find nothing to do.
 */
export default async function amazonPushStockJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const { result } = await pushAmazonStockWorkflow(container).run({ input: { wait_for_lock_seconds: 0 } })
    if (result.candidates > 0) {
      logger.info(
        `amazon stock push: ${result.candidates} listing(s), ${result.skipped} unchanged, ${result.patched} patched, ` +
          `${result.fed} in ${result.feeds.length} feed(s), ${result.held} held to spread the feed quota, ${result.deferred} deferred, ` +
          `${result.amazon_calls} Amazon call(s)`
      )
    }
  } catch (e) {
    // The outbox keeps every change; the next run retries. Step failures are in amazon_sync_log.
    logger.error(`amazon stock push failed: ${(e as { message?: string })?.message ?? String(e)}`)
  }
}

export const config = {
  name: "amazon-push-stock",
  // Every minute by default; AMAZON_STOCK_PUSH_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_STOCK_PUSH_SCHEDULE || "* * * * *",
}
