import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { ImportAmazonOrdersOutput } from "../workflows/order-import/import-amazon-orders"
import { runScheduledStream } from "../workflows/sync-streams"

/**
 * Cron of the Amazon order import, read once when the job loads. Default every 2 minutes: Amazon only
 * serves orders updated at least 2 minutes ago, and searchOrders refills one call per ~3 minutes, so
 * polling more often only meets an empty bucket (the run then leaves the window to the next one).
 */
const schedule = process.env.AMAZON_ORDER_IMPORT_SCHEDULE || "*/2 * * * *"

/**
 * Starts the order import of every enabled Amazon account (how far back a first run looks:
 * AMAZON_ORDER_IMPORT_LOOKBACK_HOURS, see sync-streams.ts). Does nothing without accounts; a run that
 * finds an account's previous run still going skips that account. Failures inside a run are already in
 * amazon_sync_log; a run that breaks is logged by the runner.
 */
export default async function amazonImportOrdersJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (const { account_id, result } of await runScheduledStream(container, "orders", { wait_for_lock_seconds: 0 })) {
    for (const m of (result as ImportAmazonOrdersOutput).marketplaces) {
      if (m.orders || m.status === "failed") {
        logger.info(
          `amazon orders: account=${account_id} marketplace=${m.marketplace_id} status=${m.status} pages=${m.pages} ` +
            `orders=${m.orders} imported=${m.imported} pending=${m.pending} skipped=${m.skipped} ` +
            `attention=${m.needs_attention} failed=${m.failed}`
        )
      }
    }
  }
}

export const config = {
  name: "amazon-import-orders",
  schedule,
}
