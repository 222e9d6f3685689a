export const FBA_STOCK_FIELDS = [
  "id",
  "account_id",
  "marketplace_id",
  "seller_sku",
  "asin",
  "fn_sku",
  "fulfillable",
  "inbound_working",
  "inbound_shipped",
  "inbound_receiving",
  "reserved",
  "unfulfillable",
  "researching",
  "total",
  "amazon_updated_at",
  "synced_at",
  "listing_id",
  "issue",
]

export const listFbaStockQueryConfig = { defaults: FBA_STOCK_FIELDS, allowed: FBA_STOCK_FIELDS, isList: true }
