import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { trackMcfOrders } from "../workflows/mcf/track-mcf-orders"

/**
 * Follows the store's Multi-Channel Fulfillment orders at Amazon: shipments with tracking, deliveries, and what
 * Amazon could not ship. A FULFILLMENT_ORDER_STATUS notification does the same for one order at once; this is
 * the safety net. Nothing to do without MCF orders.
 */
export default async function amazonMcfOrdersJob(container: MedusaContainer) {
  const summary = await trackMcfOrders(container)
  if (summary.shipped || summary.delivered || summary.problems) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .info(`amazon mcf: ${summary.checked} order(s) read, ${summary.shipped} shipped, ${summary.delivered} delivered, ${summary.problems} to act on`)
  }
}

export const config = {
  name: "amazon-mcf-orders",
  // Every 2 minutes by default; AMAZON_MCF_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_MCF_SCHEDULE || "*/2 * * * *",
}
