import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { NOTIFICATIONS_CHANGED_EVENT } from "../workflows/notifications/constants"
import { ensureNotificationConsumers } from "../workflows/notifications/consumer/notification-consumers"

/**
 * Notifications were set up or removed: start or stop this worker's consumer at once instead of at the next
 * minute's job. No Amazon call here: the loop it starts runs on its own.
 */
export default async function amazonNotificationsChangedHandler({ container }: SubscriberArgs<{ account_id: string; setup_id: string }>) {
  await ensureNotificationConsumers(container)
}

export const config: SubscriberConfig = {
  event: NOTIFICATIONS_CHANGED_EVENT,
  context: { subscriberId: "amazon-notifications-changed" },
}
