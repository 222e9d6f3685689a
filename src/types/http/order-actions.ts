/**
 * /admin/amazon/order-actions/:order_id and /admin/amazon/order-actions/:order_id/cancel, typed once for
 * the route and the admin widget.
 */
import type { AdminCancelAmazonOrderType } from "../../api/admin/amazon/order-actions/validators"

/** POST /admin/amazon/order-actions/:order_id/cancel */
export type AdminCancelAmazonOrderBody = AdminCancelAmazonOrderType

export interface AdminAmazonOrderAction {
  id: string
  kind: "confirm_shipment" | "cancel"
  /** queued → sending → done | failed (queued again with next_attempt_at after a passing failure). */
  status: "queued" | "sending" | "done" | "failed"
  /** call = confirmShipment; feed = part of an XML order feed (feed_id). */
  channel: "call" | "feed" | null
  fulfillment_id: string | null
  package_reference: string | null
  feed_id: string | null
  /** confirm_shipment: carrier_code, carrier_name?, tracking_number, ship_date, items; cancel: reason, items. */
  payload: Record<string, unknown>
  attempts: number
  next_attempt_at: string | null
  last_error_code: string | null
  last_error: string | null
  sent_at: string | null
  done_at: string | null
  created_at: string
}

export interface AdminAmazonOrderActionsResponse {
  order_id: string
  /** null: the order did not come from Amazon (nothing to show). */
  amazon_order: {
    id: string | null
    amazon_order_id: string
    marketplace_id: string | null
    /** Amazon's status as last imported (null without a record). */
    status: string | null
    fulfillment_channel: "MERCHANT" | "AMAZON"
  } | null
  latest_ship_date: string | null
  /** A buyer's standing cancellation request ("Accept cancellation" = cancel with reason BuyerCanceled). */
  cancellation_request: { requested_by: string | null; reason: string | null } | null
  /** null when staff can cancel the order on Amazon; otherwise why not. */
  cancel_refusal: string | null
  /** Amazon's CancelReason values, for the reason picker. */
  cancel_reasons: string[]
  actions: AdminAmazonOrderAction[]
}

export interface AdminAmazonCancelOrderResponse extends AdminAmazonOrderActionsResponse {
  /** The cancellation recorded for Amazon (sent by the order-actions job). */
  action_id: string | null
}
