import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { removeAmazonBuyerDataWorkflow } from "../workflows/retention/remove-amazon-buyer-data"

/**
 * Daily buyer-data retention: Amazon orders closed longer than the plugin option buyerDataRetentionDays
 * (default 30) lose the buyer's name, e-mail, addresses and phone from their stored payload. Logs counts
 * only, never what was removed.
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
}

export const config = {
  name: "amazon-remove-buyer-data",
  // Daily at 04:30 by default; AMAZON_BUYER_DATA_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_BUYER_DATA_SCHEDULE || "30 4 * * *",
}
