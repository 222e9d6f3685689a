import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { PushAmazonStockWorkflowOutput } from "../workflows/stock-push/push-amazon-stock"
import { runScheduledStream } from "../workflows/sync-streams"

/**
 * Drains the stock outbox to Amazon. With no account or nothing queued it only reads an empty outbox.
 * Several instances may fire at once: the workflow's lock lets one run, the others find nothing to do.
 * A failed run loses nothing: the outbox keeps every change and the next run retries.
 */
export default async function amazonPushStockJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (const { result } of await runScheduledStream(container, "stock_push", { wait_for_lock_seconds: 0 })) {
    const r = result as PushAmazonStockWorkflowOutput
    if (r.candidates > 0) {
      logger.info(
        `amazon stock push: ${r.candidates} listing(s), ${r.skipped} unchanged, ${r.patched} patched, ` +
          `${r.fed} in ${r.feeds.length} feed(s), ${r.held} held to spread the feed quota, ${r.deferred} deferred, ` +
          `${r.amazon_calls} Amazon call(s)`
      )
    }
  }
}

export const config = {
  name: "amazon-push-stock",
  // Every minute by default; AMAZON_STOCK_PUSH_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_STOCK_PUSH_SCHEDULE || "* * * * *",
}
