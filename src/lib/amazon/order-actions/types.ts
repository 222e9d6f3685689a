/** Shapes shared by the order-action planners and the workflows that record and send them. Pure types. */

export type OrderActionKind = "confirm_shipment" | "cancel"
export type OrderActionStatus = "queued" | "sending" | "done" | "failed"

/** amazon_order_action.payload of a confirm_shipment row: what confirmShipment (or the feed) sends. */
export interface ShipmentActionPayload {
  carrier_code: string
  carrier_name?: string
  shipping_method?: string
  tracking_number: string
  /** Every tracking number of the fulfillment's labels (the first one is sent: one package, one number). */
  tracking_numbers: string[]
  /** ISO 8601, the fulfillment's shipped_at. */
  ship_date: string
  items: { order_item_id: string; quantity: number }[]
  /** Where the carrier came from: the settings key that matched, or null for the "Other" fallback. */
  carrier_setting: string | null
}

/** amazon_order_action.payload of a cancel row: one POST_ORDER_ACKNOWLEDGEMENT_DATA message. */
export interface CancelActionPayload {
  reason: string
  /** Where the reason came from. */
  reason_source: "order" | "account" | "default"
  items: { order_item_id: string; quantity: number }[]
}

/** A row to insert into amazon_order_action. */
export interface OrderActionDraft<P = ShipmentActionPayload | CancelActionPayload> {
  account_id: string
  kind: OrderActionKind
  idempotency_key: string
  amazon_order_id: string
  amazon_order_record_id: string | null
  marketplace_id: string
  order_id: string
  fulfillment_id: string | null
  package_reference: string | null
  payload: P | Record<string, unknown>
  /** queued to be sent, or failed at once (a problem Amazon would refuse anyway, with what to do). */
  status: "queued" | "failed"
  last_error_code: string | null
  last_error: string | null
}

/**
 * What a planner decided: nothing to send (not an Amazon order, FBA, Amazon's own change…), a row to
 * record, or a problem that cannot even be recorded as a row (no account / marketplace known), which goes
 * to the sync log only.
 */
export type OrderActionPlan<P> =
  | { kind: "skip"; reason: string }
  | { kind: "record"; action: OrderActionDraft<P> }
  | { kind: "unrecordable"; account_id: string | null; amazon_order_id: string; code: string; message: string }
