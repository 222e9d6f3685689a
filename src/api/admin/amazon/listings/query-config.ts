export const LISTING_FIELDS = [
  "id",
  "account_id",
  "marketplace_id",
  "seller_sku",
  "asin",
  "item_name",
  "product_type",
  "fulfillment_channel",
  "rules",
  "push_status",
  "last_accepted_quantity",
  "last_accepted_at",
  "last_sent_quantity",
  "last_sent_at",
  "pending_feed_id",
  "last_error_code",
  "last_error",
  "retry_count",
  "next_retry_at",
  "amazon_quantity",
  "amazon_quantity_at",
  "amazon_quantity_source",
  "confirm_status",
  "created_at",
  "updated_at",
  "product_variant.id",
  "product_variant.sku",
  "product_variant.title",
  "product_variant.product_id",
  "product_variant.product.title",
]

export const listListingsQueryConfig = {
  defaults: LISTING_FIELDS,
  allowed: LISTING_FIELDS,
  isList: true,
}

export const retrieveListingQueryConfig = {
  defaults: LISTING_FIELDS,
  allowed: LISTING_FIELDS,
  isList: false,
}
