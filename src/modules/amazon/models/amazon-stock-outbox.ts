import { model } from "@medusajs/framework/utils"

/**
 * The durable queue of variants whose sellable stock may have changed, one row per variant. Store events
 * do not land here directly: the subscriber records them in amazon_stock_event, and the push resolves them
 * into this table (applyStockEvents) before draining it. The order import, admin, retries and the
 * reconcile enqueue here directly (enqueueStockChanges). Every enqueue of a queued variant coalesces by
 * bumping `version`; the push reads rows, pushes, and deletes a row only if its version is unchanged, so a
 * change that arrives mid-push is never lost. Written in bulk by repositories/stock-outbox.ts.
 */
export const AmazonStockOutbox = model
  .define("amazon_stock_outbox", {
    id: model.id({ prefix: "amzobx" }).primaryKey(),
    variant_id: model.text(),
    /** The latest cause: an event name ("order.placed") or "reconcile", "retry" … */
    reason: model.text(),
    /** Enqueues coalesced into this row since it was queued. */
    event_count: model.number().default(1),
    /** Bumped on every enqueue; the push deletes the row only at the version it read. */
    version: model.number().default(1),
    first_enqueued_at: model.dateTime(),
    last_enqueued_at: model.dateTime(),
    /**
     * The caller asked for priority: read first, and patched with patchListingsItem ahead of the feed.
     * Stock going out of stock is urgent too, but that is decided when the push is planned (isUrgent in
     * lib/stock/push-plan.ts), not stored here.
     */
    urgent: model.boolean().default(false),
  })
  .indexes([{ on: ["variant_id"], unique: true }, { on: ["last_enqueued_at"] }])
