import { model } from "@medusajs/framework/utils"

/**
 * The durable queue between store events and the stock push. Subscribers only upsert here (one row
 * per variant: repeated events coalesce by bumping `version`); the push job reads rows, pushes, and
 * deletes a row only if its version is unchanged, so an event that arrives mid-push is never lost.
 */
export const AmazonStockOutbox = model
  .define("amazon_stock_outbox", {
    id: model.id({ prefix: "amzobx" }).primaryKey(),
    variant_id: model.text(),
    /** The last event that touched this variant, e.g. "order.placed". */
    reason: model.text(),
    /** Events coalesced into this row since it was last pushed. */
    event_count: model.number().default(1),
    /** Bumped on every enqueue; the push deletes the row only at the version it read. */
    version: model.number().default(1),
    first_enqueued_at: model.dateTime(),
    last_enqueued_at: model.dateTime(),
    /** Urgent rows (e.g. stock going to zero) are pushed with patchListingsItem ahead of the feed. */
    urgent: model.boolean().default(false),
  })
  .indexes([{ on: ["variant_id"], unique: true }, { on: ["last_enqueued_at"] }])
