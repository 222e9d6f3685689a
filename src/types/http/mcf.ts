/** /admin/amazon/mcf-orders and /admin/amazon/accounts/:id/mcf (Multi-Channel Fulfillment). */

export type AdminAmazonMcfStatus = "requested" | "processing" | "held" | "complete" | "complete_partial" | "cancelled" | "unfulfillable" | "invalid" | "refused"

export interface AdminAmazonMcfPackage {
  package_id: string
  status: string | null
  carrier_code: string | null
  tracking_number: string | null
  tracking_url: string | null
  ship_time: string | null
  delivery_time: string | null
  shipment_recorded?: boolean
}

export interface AdminAmazonMcfOrder {
  id: string
  account_id: string
  marketplace_id: string
  /** The order id Amazon knows (derived from the Medusa fulfillment). */
  mcf_order_id: string
  fulfillment_id: string
  order_id: string
  status: AdminAmazonMcfStatus
  amazon_status: string | null
  action: "SHIP" | "HOLD"
  policy: string
  service_tier: string
  lines: { line_id: string; line_item_id: string; seller_sku: string; quantity: number }[]
  packages: AdminAmazonMcfPackage[] | null
  shipped_at: string | null
  delivered_at: string | null
  cancelled_at: string | null
  cancelled_by: "store" | "amazon" | null
  last_error: string | null
  last_checked_at: string | null
  calls: number
  created_at: string
}

/** POST /admin/amazon/mcf-orders/:id/release */
export interface AdminReleaseAmazonMcfOrderResponse {
  mcf_order: { id: string; status: string }
}

export interface AdminAmazonMcfOrdersResponse {
  mcf_orders: AdminAmazonMcfOrder[]
  count: number
  offset: number
  limit: number
}

export interface AdminOfferAmazonMcfShipping {
  marketplace_id: string
  countries?: string[]
  sales_channel_ids: string[]
  prices: { service_tier: "STANDARD" | "EXPEDITED" | "PRIORITY"; currency_code: string; amount: number }[]
  shipping_profile_id?: string
}

export interface AdminAmazonMcfShippingResponse {
  mcf: {
    location_id: string
    fulfillment_set_id: string
    service_zone_id: string
    /** Service tier → shipping option id. */
    shipping_option_ids: Record<string, string>
    /** What this call created (empty when everything existed). */
    created: string[]
  }
}
