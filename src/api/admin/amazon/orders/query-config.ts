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
  "buyer_data_removed_at",
  "created_at",
  "updated_at",
]

/**
 * The kept payload and the applied stock record are for the detail view only, and the payload is served
 * without buyer data (the detail route redacts it): the buyer belongs on the Medusa order.
 */
export const ORDER_DETAIL_FIELDS = [...ORDER_FIELDS, "applied", "payload"]

/** Lists never carry the payload: `payload` is not an allowed field, so `fields=+payload` is dropped. */
export const listOrdersQueryConfig = { defaults: ORDER_FIELDS, allowed: [...ORDER_FIELDS, "applied"], isList: true }
export const retrieveOrderQueryConfig = { defaults: ORDER_DETAIL_FIELDS, allowed: ORDER_DETAIL_FIELDS, isList: false }
