import type { MedusaContainer } from "@medusajs/framework/types"
import { runScheduledStream } from "../workflows/sync-streams"

/**
 * Incremental FBA stock pass (getInventorySummaries from the watermark) for every enabled account and
 * marketplace. Failures are recorded per account + marketplace by the runner; with no account configured
 * this does nothing.
 */
export default async function amazonSyncFbaStockJob(container: MedusaContainer) {
  await runScheduledStream(container, "fba_stock", { wait_for_lock_seconds: 0 })
}

export const config = {
  name: "amazon-sync-fba-stock",
  // Every 15 minutes by default; AMAZON_FBA_SYNC_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_FBA_SYNC_SCHEDULE || "*/15 * * * *",
}
