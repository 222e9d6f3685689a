import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { pruneAmazonPushHistoryWorkflow } from "../workflows/retention/prune-amazon-push-history"
import { removeAmazonBuyerDataWorkflow } from "../workflows/retention/remove-amazon-buyer-data"

/**
 * The plugin's daily retention. Buyer data: Amazon orders closed longer than the plugin option
 * buyerDataRetentionDays (default 30) lose the buyer's name, e-mail, addresses and phone from their stored
 * payload. Push history: patch outcomes older than 90 days are deleted; received notifications after 30 days. Logs counts only, never what was
 * removed; one failing does not keep the other from running.
 */
export default async function amazonRemoveBuyerDataJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const { result } = await removeAmazonBuyerDataWorkflow(container).run({ input: {} })
    const { redacted, marked, fields } = result.removed
    if (redacted || marked) {
      logger.info(
        `amazon buyer data: removed ${fields} field(s) from ${redacted} order(s) closed before ${result.cutoff} ` +
          `(retention ${result.retention_days} days); ${marked} more had none left`
      )
    }
  } catch (e) {
    logger.error(`amazon buyer data removal failed: ${(e as { message?: string })?.message ?? String(e)}`)
  }
  try {
    const { result } = await pruneAmazonPushHistoryWorkflow(container).run({ input: {} })
    if (result.patches.pruned) {
      logger.info(
        `amazon push history: deleted ${result.patches.pruned} patch outcome(s) sent before ${result.patches.cutoff} ` +
          `(retention ${result.patches.retention_days} days)`
      )
    }
    if (result.notifications.pruned) {
      logger.info(`amazon notifications: deleted ${result.notifications.pruned} received before ${result.notifications.cutoff} (retention ${result.notifications.retention_days} days)`)
    }
  } catch (e) {
    logger.error(`amazon push history pruning failed: ${(e as { message?: string })?.message ?? String(e)}`)
  }
}

export const config = {
  name: "amazon-remove-buyer-data",
  // Daily at 04:30 by default; AMAZON_BUYER_DATA_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_BUYER_DATA_SCHEDULE || "30 4 * * *",
}
