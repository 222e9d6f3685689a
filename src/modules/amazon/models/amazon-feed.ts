import { model } from "@medusajs/framework/utils"
import { AmazonAccount } from "./amazon-account"
import { AmazonFeedMessage } from "./amazon-feed-message"

/**
 * A JSON_LISTINGS_FEED we submitted: its lifecycle at Amazon and the outcome of its report. The
 * per-SKU outcomes are its messages.
 */
export const AmazonFeed = model
  .define("amazon_feed", {
    id: model.id({ prefix: "amzfd" }).primaryKey(),
    marketplace_id: model.text(),
    feed_type: model.text().default("JSON_LISTINGS_FEED"),
    /** push = drained from the outbox; reconcile = the scheduled full pass. */
    purpose: model.enum(["push", "reconcile"]).default("push"),
    /**
     * Our lifecycle: building → uploaded → submitted, then Amazon's IN_QUEUE / IN_PROGRESS / DONE /
     * FATAL / CANCELLED, then processed once the report was read. failed = never reached Amazon.
     */
    status: model
      .enum(["building", "uploaded", "submitted", "IN_QUEUE", "IN_PROGRESS", "DONE", "FATAL", "CANCELLED", "processed", "failed"])
      .default("building"),
    amazon_feed_id: model.text().nullable(),
    feed_document_id: model.text().nullable(),
    result_document_id: model.text().nullable(),
    message_count: model.number().default(0),
    accepted_count: model.number().nullable(),
    error_count: model.number().nullable(),
    submitted_at: model.dateTime().nullable(),
    completed_at: model.dateTime().nullable(),
    last_polled_at: model.dateTime().nullable(),
    /** Still IN_QUEUE / IN_PROGRESS past the configured limit. */
    stuck: model.boolean().default(false),
    summary: model.json().nullable(),
    error: model.text().nullable(),
    account: model.belongsTo(() => AmazonAccount, { mappedBy: "feeds" }),
    messages: model.hasMany(() => AmazonFeedMessage, { mappedBy: "feed" }),
  })
  .indexes([{ on: ["status"] }, { on: ["amazon_feed_id"] }])
  .cascades({ delete: ["messages"] })
