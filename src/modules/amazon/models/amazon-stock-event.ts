import { model } from "@medusajs/framework/utils"

/**
 * Store events that may have changed stock, exactly as the subscriber received them (one row per record an
 * event names), not yet resolved to variants. Writing one of these is the subscriber's whole job: a single
 * insert, no lookups, so a checkout's handlers return in a millisecond or two. The push resolves pending
 * rows in bulk into amazon_stock_outbox and deletes them in the same transaction, so nothing is lost
 * between the two tables.
 */
export const AmazonStockEvent = model
  .define("amazon_stock_event", {
    id: model.id({ prefix: "amzsev" }).primaryKey(),
    /** The Medusa event name, e.g. "order.placed"; becomes the outbox row's reason. */
    name: model.text(),
    /** What `ref_id` is, from the event's name (see stockEventKind). */
    kind: model.enum(["order", "reservation", "inventory_level", "inventory_item", "variant"]),
    /** The id the payload carried: an order, reservation item, inventory level, inventory item or variant. */
    ref_id: model.text(),
  })
  .indexes([{ on: ["created_at"] }])
