/** GET /admin/amazon/fba-stock */
import type { AdminAmazonPaginatedResponse } from "./common"

/**
 * Why an FBA snapshot could not be applied to store stock (null = applied at the FBA location).
 */
export type AmazonFbaStockIssue = "unmapped" | "merchant_only" | "no_variant" | "no_inventory_item"

/** The last FBA inventory snapshot Amazon reported for a SKU in a marketplace. */
export interface AdminAmazonFbaStock {
  id: string
  account_id: string
  marketplace_id: string
  seller_sku: string
  asin: string | null
  fn_sku: string | null
  fulfillable: number | null
  inbound_working: number | null
  inbound_shipped: number | null
  inbound_receiving: number | null
  reserved: number | null
  unfulfillable: number | null
  researching: number | null
  total: number | null
  amazon_updated_at: string | null
  synced_at: string
  /** The listing it maps to; null = Amazon reports a SKU the store does not map. */
  listing_id: string | null
  issue: AmazonFbaStockIssue | null
}

/** The FBA cursor of an account + marketplace. */
export interface AdminAmazonFbaSyncCursor {
  account_id?: string
  marketplace_id: string
  watermark: string | null
  last_run_at: string | null
  last_success_at: string | null
  last_error: string | null
  state: Record<string, unknown> | null
}

/** GET /admin/amazon/fba-stock */
export interface AdminAmazonFbaStockListResponse extends AdminAmazonPaginatedResponse {
  fba_stock: AdminAmazonFbaStock[]
  sync: AdminAmazonFbaSyncCursor[]
}
