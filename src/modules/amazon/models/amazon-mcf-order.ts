import { model } from "@medusajs/framework/utils"

/**
 * One Multi-Channel Fulfillment order: a Medusa fulfillment of a store order, shipped by Amazon from the
 * account's FBA stock. Its Amazon order id is derived from the fulfillment (`mcf_order_id`), so a retry after
 * a crash finds the order Amazon already has instead of creating a second one. The tracking job follows it:
 * packages become Medusa shipments with tracking, delivery is recorded, and whatever Amazon could not ship is
 * flagged with what to do.
 */
export const AmazonMcfOrder = model
  .define("amazon_mcf_order", {
    id: model.id({ prefix: "amzmcf" }).primaryKey(),
    account_id: model.text(),
    marketplace_id: model.text(),
    /** The seller's order id sent to Amazon (createOrder `orderId`), derived from the fulfillment id. */
    mcf_order_id: model.text(),
    /** Medusa's fulfillment and order. */
    fulfillment_id: model.text(),
    order_id: model.text(),
    /**
     * requested (being created at Amazon) → processing | held → complete | complete_partial; or cancelled,
     * unfulfillable (Amazon could not ship it: re-allocate), invalid, refused (Amazon did not take it).
     */
    status: model
      .enum(["requested", "processing", "held", "complete", "complete_partial", "cancelled", "unfulfillable", "invalid", "refused"])
      .default("requested"),
    /** Amazon's own status word (PROCESSING, COMPLETE, …) as last read. */
    amazon_status: model.text().nullable(),
    action: model.enum(["SHIP", "HOLD"]).default("SHIP"),
    policy: model.text(),
    service_tier: model.text(),
    /** [{ line_item_id, mcf_line_item_id, seller_sku, quantity, shipped, cancelled, unfulfillable }] */
    lines: model.json(),
    /** [{ package_id, carrier_code, tracking_number, tracking_url, status, ship_time, delivery_time, shipment_recorded }] */
    packages: model.json().nullable(),
    /** Medusa's shipment of this fulfillment is created (with the tracking of the first shipped package). */
    shipped_at: model.dateTime().nullable(),
    delivered_at: model.dateTime().nullable(),
    cancelled_at: model.dateTime().nullable(),
    /** Who cancelled: "store" (staff in Medusa) or "amazon". */
    cancelled_by: model.text().nullable(),
    /** Why Amazon refused, could not ship, or refused to cancel; with what to do. */
    last_error: model.text().nullable(),
    last_checked_at: model.dateTime().nullable(),
    /** SP-API calls made for this order so far (create, reads, cancel). */
    calls: model.number().default(0),
  })
  .indexes([
    { on: ["mcf_order_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["fulfillment_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["status"] },
    { on: ["order_id"] },
  ])
