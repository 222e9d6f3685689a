import { model } from "@medusajs/framework/utils"
import { AmazonAccount } from "./amazon-account"

/**
 * An Amazon order as we imported it: exactly one row per Amazon order id, linked to the Medusa order
 * (links/amazon-order-order.ts). `applied` records what was already done to store stock per order item
 * (reserved, shipped, released) so that replays and partial shipments never decrement twice.
 */
export const AmazonOrder = model
  .define("amazon_order", {
    id: model.id({ prefix: "amzord" }).primaryKey(),
    amazon_order_id: model.text().searchable(),
    marketplace_id: model.text(),
    /** Amazon's fulfillment status (v2026 spelling: PENDING, UNSHIPPED, …, CANCELLED). */
    status: model.text(),
    fulfillment_channel: model.enum(["MERCHANT", "AMAZON"]),
    amazon_created_at: model.dateTime().nullable(),
    /**
     * Amazon's lastUpdatedTime of the newest version handled (applied, or filed as needs_attention): the
     * dedupe key with the order id. The epoch while no version is recorded yet.
     */
    amazon_updated_at: model.dateTime(),
    /**
     * pending = PENDING at Amazon (not paid yet): stock is reserved, no Medusa order yet;
     * imported = the version is applied (a Medusa order exists, unless Amazon cancelled the order before it
     * was ever paid); needs_attention = kept for review with `attention_code` / `attention_reason`.
     */
    import_status: model.enum(["pending", "imported", "needs_attention"]).default("pending"),
    attention_reason: model.text().nullable(),
    attention_code: model.text().nullable(),
    /** The Medusa order id (also the module link); set in the same workflow that creates the order. */
    order_id: model.text().nullable(),
    applied: model.json().nullable(),
    /**
     * The last Amazon payload we parsed, for review and retries. Buyer data (name, e-mail, addresses,
     * phone) is removed from it once the order has been closed for the retention period (plugin option
     * `buyerDataRetentionDays`, default 30), see buyer_data_removed_at.
     */
    payload: model.json().nullable(),
    /** When buyer data was removed from `payload` (retention); null while it is still kept. */
    buyer_data_removed_at: model.dateTime().nullable(),
    /** Failed import attempts since the last success (bounds the automatic retries of IMPORT_FAILED). */
    attempts: model.number().default(0),
    account: model.belongsTo(() => AmazonAccount, { mappedBy: "orders" }),
  })
  .indexes([
    { on: ["amazon_order_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["import_status"] },
    { on: ["order_id"] },
  ])
