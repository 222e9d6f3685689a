import { model } from "@medusajs/framework/utils"

/**
 * The inbox of Amazon notifications: one row per notification (Amazon's NotificationId, or a hash of the body
 * of a message that has none), written before its SQS message is deleted, so a crash between the two only
 * brings a duplicate, which the unique key absorbs. The work it starts is recorded on the same row
 * (received → applied | ignored | failed); a row still `received` after a restart is applied again.
 * Malformed and unknown messages are kept as `invalid` for review.
 */
export const AmazonNotification = model
  .define("amazon_notification", {
    id: model.id({ prefix: "amznot" }).primaryKey(),
    /** Null when no account of this store matches the notification's seller. */
    account_id: model.text().nullable(),
    notification_key: model.text(),
    notification_type: model.text().nullable(),
    /** The order id, SKU, feed or report id it is about. */
    subject: model.text().nullable(),
    event_time: model.dateTime().nullable(),
    status: model.enum(["received", "applied", "ignored", "failed", "invalid"]).default("received"),
    /** What was done (or why nothing was), in words; for `invalid`, why the message could not be read. */
    outcome: model.text().nullable(),
    error: model.text().nullable(),
    attempts: model.number().default(0),
    /** Deliveries seen (duplicates included). */
    deliveries: model.number().default(1),
    received_at: model.dateTime(),
    applied_at: model.dateTime().nullable(),
    /** The notification as Amazon sent it (ORDER_CHANGE carries only a postal code of the buyer). Rows are deleted after 30 days (retention job). */
    payload: model.json().nullable(),
  })
  .indexes([
    { on: ["notification_key"], unique: true },
    { on: ["account_id", "received_at"] },
    { on: ["status"] },
  ])
