import type { MedusaContainer } from "@medusajs/framework/types"
import { runAmazonOrderActions } from "../workflows/order-actions/run-amazon-order-actions"

/**
 * Sends what staff did to Amazon orders in Medusa: shipment confirmations (confirmShipment, or one
 * POST_ORDER_FULFILLMENT_DATA feed for a backlog) and cancellations (POST_ORDER_ACKNOWLEDGEMENT_DATA), and
 * reads the reports of those feeds. One run per account with work; nothing happens when none has any.
 */
export default async function amazonSendOrderActionsJob(container: MedusaContainer) {
  await runAmazonOrderActions(container)
}

export const config = {
  name: "amazon-send-order-actions",
  // Every minute by default (a minute of confirmShipment's quota is what one run sends);
  // AMAZON_ORDER_ACTIONS_SCHEDULE (cron, seconds allowed) overrides it.
  schedule: process.env.AMAZON_ORDER_ACTIONS_SCHEDULE || "* * * * *",
}
