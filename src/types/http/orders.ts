/** /admin/amazon/orders, /admin/amazon/orders/:id and /admin/amazon/orders/:id/retry. */
import type { z } from "@medusajs/framework/zod"
import type { AdminRequestAmazonOrderBackfill } from "../../api/admin/amazon/accounts/validators"
import type { AdminRetryAmazonOrder } from "../../api/admin/amazon/orders/validators"
import type { AdminAmazonPaginatedResponse } from "./common"
import type { AmazonFulfillmentChannel } from "./listings"

/** POST /admin/amazon/orders/:id/retry (an empty object). */
export type AdminRetryAmazonOrderBody = z.infer<typeof AdminRetryAmazonOrder>

/**
 * pending = PENDING at Amazon (stock reserved, no Medusa order yet); imported = applied; needs_attention =
 * kept for review with attention_code / attention_reason.
 */
export type AmazonOrderImportStatus = "pending" | "imported" | "needs_attention"

/** An imported Amazon order (the list's fields). */
export interface AdminAmazonOrder {
  id: string
  account_id: string
  amazon_order_id: string
  marketplace_id: string
  /** Amazon's fulfillment status (PENDING, UNSHIPPED, …, CANCELLED). */
  status: string
  fulfillment_channel: AmazonFulfillmentChannel
  amazon_created_at: string | null
  amazon_updated_at: string
  import_status: AmazonOrderImportStatus
  attention_reason: string | null
  attention_code: string | null
  /** The Medusa order, once created. */
  order_id: string | null
  attempts: number
  /** When buyer data was removed from the kept payload (retention); null while it is still kept. */
  buyer_data_removed_at: string | null
  created_at: string
  updated_at: string
  /** Only when asked for with `fields=+applied`. */
  applied?: Record<string, unknown> | null
  /** The order's page in Seller Central (list responses). */
  seller_central_url?: string | null
  /** Orders in "needs attention" (list responses): Amazon's ship-by time and the SKUs with their listings. */
  attention?: {
    ship_by: string | null
    /** When the buyer placed it (Amazon's createdTime). */
    placed_at: string | null
    skus: { seller_sku: string; listing_id: string | null; linked: boolean }[]
  }
}

/** One order with what was applied to store stock and the kept payload, served without buyer data. */
export interface AdminAmazonOrderDetail extends AdminAmazonOrder {
  /** What the import did to store stock per order item (amazon_order.applied, as stored). */
  applied?: Record<string, unknown> | null
  /** The last Amazon payload parsed, buyer data removed. Absent when `fields` leaves it out. */
  payload?: unknown
}

/** GET /admin/amazon/orders */
export interface AdminAmazonOrderListResponse extends AdminAmazonPaginatedResponse {
  orders: AdminAmazonOrder[]
}

/** GET /admin/amazon/orders/:id */
export interface AdminAmazonOrderResponse {
  amazon_order: AdminAmazonOrderDetail
}

/** POST /admin/amazon/orders/:id/retry: the import's outcome and the record after it. */
export interface AdminAmazonRetryOrderResponse {
  /** imported | pending | needs_attention | failed | skipped; null when the import reported none. */
  outcome: string | null
  error: string | null
  amazon_order: AdminAmazonOrder
}

/** POST /admin/amazon/accounts/:id/order-backfill. */
export type AdminRequestAmazonOrderBackfillBody = z.infer<typeof AdminRequestAmazonOrderBackfill>

/** One marketplace's back-import of older orders and its progress. */
export interface AdminAmazonOrderBackfill {
  marketplace_id: string
  /** queued: waits for the next order import run (every 2 minutes); running: stopped by quota, goes on next run. */
  status: "queued" | "running" | "done" | "failed"
  created_after: string
  created_before: string
  requested_at: string
  pages: number
  counts: { orders: number; imported: number; pending: number; skipped: number; needs_attention: number; failed: number }
  updated_at: string | null
  finished_at: string | null
  error: string | null
}

/** GET and POST /admin/amazon/accounts/:id/order-backfill. */
export interface AdminAmazonOrderBackfillResponse {
  backfills: AdminAmazonOrderBackfill[]
}
