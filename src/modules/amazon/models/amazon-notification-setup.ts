import { model } from "@medusajs/framework/utils"

/**
 * An account's Amazon notifications (FACTS.md §9): the merchant's SQS queue and the AWS key that reads it,
 * the Notifications API destination and subscriptions the plugin made for it, and what the consumer saw.
 * The AWS secret is stored only encrypted (like the LWA secrets, bound to column and row) and never
 * returned. Polling runs whatever this says: notifications only make things arrive sooner.
 */
export const AmazonNotificationSetup = model
  .define("amazon_notification_setup", {
    id: model.id({ prefix: "amzntf" }).primaryKey(),
    account_id: model.text(),
    /** setting_up → active | failed; removing → removed (the row stays for its history) */
    status: model.enum(["setting_up", "active", "failed", "removing", "removed"]).default("setting_up"),
    queue_url: model.text(),
    queue_arn: model.text(),
    /** The AWS region of the queue (e.g. eu-west-1). */
    aws_region: model.text(),
    aws_access_key_id: model.text(),
    /** `v2:…` (see SecretBox) — never the plain secret. Wiped when notifications are removed. */
    aws_secret_access_key_encrypted: model.text().nullable(),
    /** The Notifications API destination (application-wide) that points at the queue. */
    destination_id: model.text().nullable(),
    /**
     * The AWS account of an EventBridge destination (types Amazon sends only through EventBridge, such as
     * LISTINGS_ITEM_MFN_QUANTITY_CHANGE); the merchant forwards its partner event bus to the same queue.
     */
    eventbridge_account_id: model.text().nullable(),
    eventbridge_destination_id: model.text().nullable(),
    /** [{ notification_type, subscription_id, destination_id, status: active|failed|removed, error }] */
    subscriptions: model.json().nullable(),
    /** What went wrong last (setting up, removing, or reading the queue), with what to do. */
    last_error: model.text().nullable(),
    last_error_at: model.dateTime().nullable(),
    /** The consumer's last successful ReceiveMessage (its heartbeat) and the newest message it took. */
    last_receive_at: model.dateTime().nullable(),
    last_message_at: model.dateTime().nullable(),
    received_count: model.number().default(0),
    applied_count: model.number().default(0),
    duplicate_count: model.number().default(0),
    invalid_count: model.number().default(0),
    requested_by: model.text().nullable(),
  })
  .indexes([{ on: ["account_id"], unique: true, where: "deleted_at IS NULL" }])
