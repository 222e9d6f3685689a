import { model } from "@medusajs/framework/utils"

/**
 * Something the merchant did in Medusa that Amazon must learn: a shipment to confirm (one package per
 * Medusa fulfillment) or a cancellation of unshipped items. Recorded durably by the subscriber or route
 * that saw it (no Amazon call there); sent by the order-actions job within quota, through
 * `confirmShipment` or, for a backlog, one `POST_ORDER_FULFILLMENT_DATA` / `POST_ORDER_ACKNOWLEDGEMENT_DATA`
 * feed; each outcome is kept here for the order's Amazon widget and the dashboard.
 *
 * `idempotency_key` makes recording idempotent (`ship:<fulfillment id>`, `cancel:<order id>:<change>`), and
 * `package_reference` is what Amazon sees, so a retry after a crash between sending and recording never
 * confirms the same package twice.
 */
export const AmazonOrderAction = model
  .define("amazon_order_action", {
    id: model.id({ prefix: "amzact" }).primaryKey(),
    account_id: model.text(),
    /** confirm_shipment | cancel */
    kind: model.enum(["confirm_shipment", "cancel"]),
    idempotency_key: model.text(),
    /** Amazon's order id and our amazon_order row. */
    amazon_order_id: model.text(),
    amazon_order_record_id: model.text().nullable(),
    marketplace_id: model.text(),
    /** The Medusa order and, for a shipment, the fulfillment it confirms. */
    order_id: model.text(),
    fulfillment_id: model.text().nullable(),
    /** Stable package reference sent to Amazon (confirm_shipment). */
    package_reference: model.text().nullable(),
    /**
     * What is sent: for confirm_shipment {carrier_code, carrier_name?, shipping_method?, tracking_number,
     * ship_date, items[{order_item_id, quantity}]}; for cancel {reason, items[{order_item_id, quantity}]}.
     */
    payload: model.json(),
    /**
     * queued → sending (a call or feed is in flight) → done | failed (Amazon refused: an error to act on);
     * a retryable failure goes back to queued with next_attempt_at.
     */
    status: model.enum(["queued", "sending", "done", "failed"]).default("queued"),
    /** patch = one confirmShipment call; feed = part of an XML feed (feed_id, message_id). */
    channel: model.enum(["call", "feed"]).nullable(),
    feed_id: model.text().nullable(),
    message_id: model.number().nullable(),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    last_error_code: model.text().nullable(),
    last_error: model.text().nullable(),
    sent_at: model.dateTime().nullable(),
    done_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["idempotency_key"], unique: true, where: "deleted_at IS NULL" },
    { on: ["status", "next_attempt_at"] },
    { on: ["order_id"] },
    { on: ["account_id", "kind", "status"] },
  ])
