/** /admin/amazon/feeds, /admin/amazon/feeds/:id and /admin/amazon/feeds/:id/messages. */
import type { FeedOutcome } from "../../lib/amazon/feeds/feed-outcome"
import type { AdminAmazonPaginatedResponse } from "./common"

export type { FeedOutcome }

/**
 * Our lifecycle (building → uploaded → submitted), then Amazon's IN_QUEUE / IN_PROGRESS / DONE / FATAL /
 * CANCELLED, then processed once the report was read; failed = never reached Amazon.
 */
export type AmazonFeedStatus =
  | "building"
  | "uploaded"
  | "submitted"
  | "IN_QUEUE"
  | "IN_PROGRESS"
  | "DONE"
  | "FATAL"
  | "CANCELLED"
  | "processed"
  | "failed"

export type AmazonFeedMessageStatus = "pending" | "accepted" | "error" | "warning" | "unconfirmed"

/** A quantity feed sent to Amazon. */
export interface AdminAmazonFeed {
  id: string
  account_id: string
  marketplace_id: string
  feed_type: string
  /** push = drained from the outbox; reconcile = the scheduled full pass. */
  purpose: "push" | "reconcile"
  status: AmazonFeedStatus
  amazon_feed_id: string | null
  message_count: number
  accepted_count: number | null
  error_count: number | null
  submitted_at: string | null
  completed_at: string | null
  last_polled_at: string | null
  /** Still IN_QUEUE / IN_PROGRESS past the configured limit. */
  stuck: boolean
  summary: Record<string, unknown> | null
  error: string | null
  /** What the feed came to, in one word (a FATAL or cancelled feed is "failed" even once processed). */
  outcome: FeedOutcome
  created_at: string
  updated_at: string
}

/** One feed with its per-SKU outcome counts. */
export interface AdminAmazonFeedDetail extends AdminAmazonFeed {
  message_counts: Record<AmazonFeedMessageStatus, number>
}

/** The per-SKU result of a feed: quantity sent, Amazon's verdict and its issues. */
export interface AdminAmazonFeedMessage {
  id: string
  feed_id: string
  message_id: number
  listing_id: string
  seller_sku: string
  quantity: number
  status: AmazonFeedMessageStatus
  issues: { code?: string; message?: string; severity?: string }[] | null
  processed_at: string | null
  created_at: string
}

/** GET /admin/amazon/feeds */
export interface AdminAmazonFeedListResponse extends AdminAmazonPaginatedResponse {
  feeds: AdminAmazonFeed[]
}

/** GET /admin/amazon/feeds/:id */
export interface AdminAmazonFeedResponse {
  feed: AdminAmazonFeedDetail
}

/** GET /admin/amazon/feeds/:id/messages */
export interface AdminAmazonFeedMessageListResponse extends AdminAmazonPaginatedResponse {
  messages: AdminAmazonFeedMessage[]
}
