import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { recordAmazonStatusSampleWorkflow } from "../workflows/admin/record-amazon-status-sample"

/**
 * Records queue depth and lag every 5 minutes for the dashboard chart (nothing while no account is
 * configured) and drops samples older than 7 days.
 */
export default async function amazonRecordStatusSampleJob(container: MedusaContainer) {
  try {
    await recordAmazonStatusSampleWorkflow(container).run({ input: {} })
  } catch (e) {
    // A missed sample is a gap in a chart, nothing more.
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`amazon status sample failed: ${(e as { message?: string })?.message ?? String(e)}`)
  }
}

export const config = {
  name: "amazon-record-status-sample",
  // Every 5 minutes by default; AMAZON_STATUS_SAMPLE_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_STATUS_SAMPLE_SCHEDULE || "*/5 * * * *",
}
