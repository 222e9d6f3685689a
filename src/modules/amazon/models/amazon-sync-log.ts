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
    resolved_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["stream", "created_at"] }, { on: ["account_id"] }])
