import type { MedusaContainer } from "@medusajs/framework/types"
import { ensureNotificationConsumers } from "../workflows/notifications/consumer/notification-consumers"

/**
 * Keeps this worker's notification consumers in line with the set-ups: starts a loop for each active set-up
 * (the loop takes the set-up's lock, so one instance of the cluster reads each queue), restarts changed ones and
 * stops removed ones. A loop killed with its process is back within a minute on whichever instance runs this
 * next. Nothing to do without set-ups; polling does not depend on it.
 */
export default async function amazonNotificationsJob(container: MedusaContainer) {
  await ensureNotificationConsumers(container)
}

export const config = {
  name: "amazon-notifications",
  // Every minute by default; AMAZON_NOTIFICATIONS_SCHEDULE (cron) overrides it.
  schedule: process.env.AMAZON_NOTIFICATIONS_SCHEDULE || "* * * * *",
}
