import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { processAmazonFeedResultsWorkflow } from "../workflows/stock-push/process-amazon-feed-results"

/** Polls unfinished quantity feeds and records finished ones' reports. Nothing to do without feeds. */
export default async function amazonFeedResultsJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const { result } = await processAmazonFeedResultsWorkflow(container).run({ input: { wait_for_lock_seconds: 0 } })
    if (result.reports > 0) {
      logger.info(`amazon feed results: ${result.reports} report(s), ${result.accepted} accepted, ${result.errors} not accepted`)
    }
  } catch (e) {
    logger.error(`amazon feed results failed: ${(e as { message?: string })?.message ?? String(e)}`)
  }
}

export const config = {
  name: "amazon-feed-results",
  // Every minute by default; AMAZON_FEED_RESULTS_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_FEED_RESULTS_SCHEDULE || "* * * * *",
}
