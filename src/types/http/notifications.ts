/** /admin/amazon/accounts/:id/notifications and /admin/amazon/notifications (Amazon notifications over SQS). */

export type AdminAmazonNotificationType =
  | "ORDER_CHANGE"
  | "FBA_INVENTORY_AVAILABILITY_CHANGES"
  | "LISTINGS_ITEM_MFN_QUANTITY_CHANGE"
  | "FEED_PROCESSING_FINISHED"
  | "REPORT_PROCESSING_FINISHED"
  | "FULFILLMENT_ORDER_STATUS"

export interface AdminAmazonNotificationSubscription {
  notification_type: AdminAmazonNotificationType
  subscription_id: string | null
  destination_id: string | null
  status: "active" | "failed" | "removed" | "skipped"
  error: string | null
}

/**
 * What the dashboard says about notifications: `live` (messages arrive), `quiet` (none for a while: polling covers
 * anything missed), `error` (the queue cannot be read: polling only), `starting` (no receive yet), `off`.
 */
export type AdminAmazonNotificationHealth = "live" | "quiet" | "error" | "starting" | "off"

/** An account's notification set-up. The AWS secret is write-only: never returned, not even encrypted. */
export interface AdminAmazonNotificationSetup {
  id: string
  account_id: string
  status: "setting_up" | "active" | "failed" | "removing" | "removed"
  health: AdminAmazonNotificationHealth
  /** A sentence for the merchant: what the health means and what to do. */
  health_text: string
  queue_url: string
  queue_arn: string
  aws_region: string
  /** The access key id with all but its last 4 characters hidden. */
  aws_access_key_id_hint: string
  has_aws_secret: boolean
  destination_id: string | null
  eventbridge_account_id: string | null
  eventbridge_destination_id: string | null
  subscriptions: AdminAmazonNotificationSubscription[]
  last_error: string | null
  last_error_at: string | null
  last_receive_at: string | null
  last_message_at: string | null
  received_count: number
  applied_count: number
  duplicate_count: number
  invalid_count: number
  /** Received in the last 24 h, by outcome. */
  last_24h: { received: number; applied: number; ignored: number; failed: number; invalid: number }
  updated_at: string
}

export interface AdminAmazonNotificationSetupResponse {
  notifications: AdminAmazonNotificationSetup | null
}

/** POST /admin/amazon/accounts/:id/notifications */
export interface AdminSetupAmazonNotifications {
  queue_url: string
  aws_region: string
  aws_access_key_id: string
  aws_secret_access_key: string
  /** The AWS account of an EventBridge destination (LISTINGS_ITEM_MFN_QUANTITY_CHANGE); its bus must forward to the queue. */
  eventbridge_account_id?: string | null
}

/** One received notification (no payload: it can hold buyer data). */
export interface AdminAmazonNotification {
  id: string
  account_id: string | null
  notification_type: string | null
  subject: string | null
  event_time: string | null
  status: "received" | "applied" | "ignored" | "failed" | "invalid"
  outcome: string | null
  error: string | null
  attempts: number
  deliveries: number
  received_at: string
  applied_at: string | null
}

export interface AdminAmazonNotificationsResponse {
  notifications: AdminAmazonNotification[]
  count: number
  offset: number
  limit: number
}

/** One account's notifications on the dashboard (GET /admin/amazon/status → notifications). */
export interface AdminAmazonNotificationSummary {
  account_id: string
  on: boolean
  health: AdminAmazonNotificationHealth
  health_text: string
  received_24h: number
  applied_24h: number
  last_message_at: string | null
}
