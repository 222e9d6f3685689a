import { bulkEntityIds } from "../utils/bulk-ids"
import { BULK_JSON_ROWS, sql, SqlManager } from "./sql"

/** amazon_feed_message: which listing, SKU and quantity each message of a submitted feed carried. */

export type FeedMessageInput = { message_id: number; listing_id: string; seller_sku: string; quantity: number }

export type FeedMessageOutcome = { id: string; status: string; issues: unknown; processed_at: Date }

const FEED_MESSAGE_OUTCOME_COLUMN_TYPES = {
  status: "text",
  issues: "jsonb",
  processed_at: "timestamptz",
} as const

/**
 * A feed's message map with one multi-row insert per BULK_JSON_ROWS messages; the generated
 * createAmazonFeedMessages builds and flushes an ORM entity per row, which takes seconds for a
 * 25,000-message feed. Ids are shaped like the model's (`amzfm_` + ULID, see bulkEntityIds); status,
 * created_at and updated_at take their column defaults.
 */
async function insertFeedMessages(manager: SqlManager, feedId: string, messages: FeedMessageInput[]): Promise<number> {
  // One JSON parameter per BULK_JSON_ROWS messages: a bound value per cell made knex rewrite 15,000
  // placeholders per statement.
  for (let i = 0; i < messages.length; i += BULK_JSON_ROWS) {
    const part = messages.slice(i, i + BULK_JSON_ROWS)
    const ids = bulkEntityIds("amzfm", part.length)
    await sql.runBound(
      manager,
      `insert into amazon_feed_message (id, feed_id, message_id, listing_id, seller_sku, quantity)
       select r.id, ?, r.message_id, r.listing_id, r.seller_sku, r.quantity
         from json_to_recordset(?::json) as r(id text, message_id integer, listing_id text, seller_sku text, quantity integer)`,
      [feedId, JSON.stringify(part.map((m, k) => ({ id: ids[k], message_id: m.message_id, listing_id: m.listing_id, seller_sku: m.seller_sku, quantity: m.quantity })))]
    )
  }
  return messages.length
}

/** The outcome of feed messages in bulk (status, Amazon's issues, time). */
async function updateFeedMessageOutcomes(manager: SqlManager, rows: FeedMessageOutcome[]): Promise<number> {
  return sql.bulkUpdateById(manager, "amazon_feed_message", FEED_MESSAGE_OUTCOME_COLUMN_TYPES, rows)
}

export const feedMessagesRepository = {
  insert: insertFeedMessages,
  updateOutcomes: updateFeedMessageOutcomes,
}
