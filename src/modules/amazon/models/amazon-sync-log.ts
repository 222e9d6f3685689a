import { model } from "@medusajs/framework/utils"

/**
 * Failures and notable events the admin must see (a throttling streak, a rejected SKU, an order that
 * needs attention, a stuck feed). Jobs write here instead of only logging.
 */
export const AmazonSyncLog = model
  .define("amazon_sync_log", {
    id: model.id({ prefix: "amzlog" }).primaryKey(),
    account_id: model.text().nullable(),
    /** stock_push | feed_results | reconcile | orders | fba_stock | connection */
    stream: model.text(),
    level: model.enum(["info", "warn", "error"]).default("error"),
    code: model.text().nullable(),
    message: model.text(),
    /** Ids that let the admin jump to the subject: sku, feed id, amazon order id … (never secrets). */
    context: model.json().nullable(),
    /**
     * What the entry is about when it is about one thing (a listing id, an Amazon order id): such an entry
     * resolves itself when that thing next succeeds. Null: the entry is about the stream as a whole and
     * resolves itself when the stream next succeeds.
     */
    subject_id: model.text().nullable(),
    resolved_at: model.dateTime().nullable(),
    /** Who closed it: "auto" (the cause went away) or the admin user who marked it handled. */
    resolved_by: model.text().nullable(),
  })
  .indexes([{ on: ["stream", "created_at"] }, { on: ["account_id"] }, { on: ["subject_id"], where: "resolved_at IS NULL" }])
