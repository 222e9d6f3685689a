export const ORDER_FIELDS = [
  "id",
  "account_id",
  "amazon_order_id",
  "marketplace_id",
  "status",
  "fulfillment_channel",
  "amazon_created_at",
  "amazon_updated_at",
  "import_status",
  "attention_reason",
  "attention_code",
  "order_id",
  "attempts",
  "created_at",
  "updated_at",
]

/** The kept payload and the applied stock record are for the detail view only. */
export const ORDER_DETAIL_FIELDS = [...ORDER_FIELDS, "applied", "payload"]

export const listOrdersQueryConfig = { defaults: ORDER_FIELDS, allowed: ORDER_DETAIL_FIELDS, isList: true }
export const retrieveOrderQueryConfig = { defaults: ORDER_DETAIL_FIELDS, allowed: ORDER_DETAIL_FIELDS, isList: false }
