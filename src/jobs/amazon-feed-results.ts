import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { runScheduledStream } from "../workflows/sync-streams"

/** Polls unfinished quantity feeds and records finished ones' reports. Nothing to do without feeds. */
export default async function amazonFeedResultsJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (const { result } of await runScheduledStream(container, "feed_results", { wait_for_lock_seconds: 0 })) {
    const r = result as { reports: number; accepted: number; errors: number }
    if (r.reports > 0) {
      logger.info(`amazon feed results: ${r.reports} report(s), ${r.accepted} accepted, ${r.errors} not accepted`)
    }
  }
}

export const config = {
  name: "amazon-feed-results",
  // Every minute by default; AMAZON_FEED_RESULTS_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_FEED_RESULTS_SCHEDULE || "* * * * *",
}
