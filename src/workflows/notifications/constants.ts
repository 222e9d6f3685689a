import { EVENTBRIDGE_ONLY_TYPES, NOTIFICATION_TYPES, type NotificationType } from "../../lib/amazon/notifications/parse-notification"

/** amazon_sync_log.stream of everything about notifications: set-up, removal, the consumer's trouble. */
export const NOTIFICATIONS_STREAM = "notifications"

/** Emitted when an account's notifications were set up or removed: the consumers of this process follow. */
export const NOTIFICATIONS_CHANGED_EVENT = "amazon.notifications_changed"

/** The name the plugin gives its Notifications API destinations (Amazon shows it in getDestinations). */
export const DESTINATION_NAME_PREFIX = "medusa-amazon-stock-sync"

/** One consumer per set-up across the cluster: whoever holds this lock reads the queue. */
export function notificationConsumerLockKey(setupId: string): string {
  return `amazon-notifications:${setupId}`
}

/** The types an account subscribes to: the SQS ones always, the EventBridge-only ones with an EventBridge account. */
export function subscribedTypes(withEventBridge: boolean): NotificationType[] {
  return NOTIFICATION_TYPES.filter((t) => withEventBridge || !EVENTBRIDGE_ONLY_TYPES.has(t))
}

/** One subscription as the set-up row records it (and the admin shows it). */
export interface NotificationSubscriptionState {
  notification_type: NotificationType
  subscription_id: string | null
  destination_id: string | null
  status: "active" | "failed" | "removed" | "skipped"
  /** Why it failed or was skipped, with what to do. */
  error: string | null
}

/**
 * The consumer's timings (environment, for tests and the benchmark):
 * - AMAZON_NOTIFICATIONS_WAIT_SECONDS: long-poll wait of ReceiveMessage (default 20, SQS's maximum: one
 *   request per 20 s while the queue is quiet);
 * - AMAZON_NOTIFICATIONS_VISIBILITY_SECONDS: how long a received message stays hidden before SQS hands it
 *   out again if it was not deleted (default 60: a crash between receive and record costs at most that);
 * - AMAZON_NOTIFICATIONS_QUIET_MINUTES: the dashboard says "quiet, polling covers" after this long without a
 *   message (default 60);
 * - AMAZON_NOTIFICATIONS=off: no consumer runs in this process (polling only).
 */
export function consumerTiming(env: NodeJS.ProcessEnv = process.env) {
  const num = (v: string | undefined, d: number, min: number, max: number) => {
    const n = Number(v)
    return Number.isFinite(n) && v !== undefined && v !== "" ? Math.min(max, Math.max(min, n)) : d
  }
  return {
    enabled: env.AMAZON_NOTIFICATIONS !== "off",
    waitSeconds: num(env.AMAZON_NOTIFICATIONS_WAIT_SECONDS, 20, 0, 20),
    visibilitySeconds: num(env.AMAZON_NOTIFICATIONS_VISIBILITY_SECONDS, 60, 1, 43_200),
    quietMinutes: num(env.AMAZON_NOTIFICATIONS_QUIET_MINUTES, 60, 1, 7 * 24 * 60),
  }
}
