export const FEED_FIELDS = [
  "id",
  "account_id",
  "marketplace_id",
  "feed_type",
  "purpose",
  "status",
  "amazon_feed_id",
  "message_count",
  "accepted_count",
  "error_count",
  "submitted_at",
  "completed_at",
  "last_polled_at",
  "stuck",
  "summary",
  "error",
  "created_at",
  "updated_at",
]

export const listFeedsQueryConfig = { defaults: FEED_FIELDS, allowed: FEED_FIELDS, isList: true }
export const retrieveFeedQueryConfig = { defaults: FEED_FIELDS, allowed: FEED_FIELDS, isList: false }

export const FEED_MESSAGE_FIELDS = ["id", "feed_id", "message_id", "listing_id", "seller_sku", "quantity", "status", "issues", "processed_at", "created_at"]

export const listFeedMessagesQueryConfig = { defaults: FEED_MESSAGE_FIELDS, allowed: FEED_MESSAGE_FIELDS, isList: true }
