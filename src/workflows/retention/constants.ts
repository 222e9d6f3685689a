/**
 * Amazon fulfillment statuses (amazon_order.status) after which an order is closed: its buyer data is
 * kept for the retention period from Amazon's last update (amazon_updated_at), then removed. The same
 * statuses lib/amazon/orders/build-order-input.ts treats as final (CANCELLED, UNFULFILLABLE) plus SHIPPED.
 */
export const BUYER_DATA_CLOSED_STATUSES = ["SHIPPED", "CANCELLED", "UNFULFILLABLE"] as const

/** Orders per read + bulk update: a page of payloads (a few kB each) per statement. */
export const BUYER_DATA_BATCH = 200

/** The newest amazon_updated_at an order may have to lose its buyer data, `days` before `now`. */
export function buyerDataCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000)
}
