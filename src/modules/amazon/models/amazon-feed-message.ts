import { model } from "@medusajs/framework/utils"
import { AmazonFeed } from "./amazon-feed"

/** One message of a feed: which SKU, which absolute quantity, and what Amazon said about it. */
export const AmazonFeedMessage = model
  .define("amazon_feed_message", {
    id: model.id({ prefix: "amzfm" }).primaryKey(),
    message_id: model.number(),
    listing_id: model.text(),
    seller_sku: model.text(),
    quantity: model.number(),
    status: model.enum(["pending", "accepted", "error", "warning", "unconfirmed"]).default("pending"),
    issues: model.json().nullable(),
    processed_at: model.dateTime().nullable(),
    feed: model.belongsTo(() => AmazonFeed, { mappedBy: "messages" }),
  })
  .indexes([{ on: ["feed_id", "message_id"], unique: true }, { on: ["listing_id"] }])
