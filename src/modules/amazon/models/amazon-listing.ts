import { model } from "@medusajs/framework/utils"
import { AmazonAccount } from "./amazon-account"

/**
 * An Amazon offer of ours: seller SKU (+ ASIN) in one marketplace. The Medusa variant it sells is
 * attached with a module link (links/amazon-listing-product-variant.ts), so the mapping lives where
 * Medusa's query engine can join it both ways.
 */
export const AmazonListing = model
  .define("amazon_listing", {
    id: model.id({ prefix: "amzlst" }).primaryKey(),
    marketplace_id: model.text(),
    seller_sku: model.text().searchable(),
    asin: model.text().searchable().nullable(),
    /** Amazon's item name (listing summaries), shown beside the SKU and used to suggest matching variants. */
    item_name: model.text().searchable().nullable(),
    /** Amazon's product type (needed by PATCH messages); read from getListingsItem summaries. */
    product_type: model.text().default("PRODUCT"),
    /** MERCHANT = the merchant ships (quantity pushed by us); AMAZON = FBA (quantity owned by Amazon). */
    fulfillment_channel: model.enum(["MERCHANT", "AMAZON"]).default("MERCHANT"),
    /** Per-SKU quantity rules overriding the account's (buffer, percentage, max, min). */
    rules: model.json().nullable(),
    // --- stock push state (MERCHANT listings) ---
    /** The quantity Amazon last accepted for this SKU. Only set from an ACCEPTED patch or a report. */
    last_accepted_quantity: model.number().nullable(),
    last_accepted_at: model.dateTime().nullable(),
    /** The quantity we last computed and sent (may still be pending at Amazon). */
    last_sent_quantity: model.number().nullable(),
    last_sent_at: model.dateTime().nullable(),
    /** idle | pending (in a feed) | accepted | error */
    push_status: model.enum(["idle", "pending", "accepted", "error"]).default("idle"),
    /**
     * The amazon_feed (our row id) whose result this listing still waits for. A SKU in an unfinished feed
     * is never patched: Amazon would apply the older feed after the patch and undo it.
     */
    pending_feed_id: model.text().nullable(),
    last_error_code: model.text().nullable(),
    last_error: model.text().nullable(),
    /** Retries of a retryable rejection, with backoff until next_retry_at. */
    retry_count: model.number().default(0),
    next_retry_at: model.dateTime().nullable(),
    // --- what Amazon shows (read back; MERCHANT listings) ---
    /**
     * The quantity Amazon showed when last read: getListingsItem (fulfillmentAvailability) after an
     * accepted push, or the listings report of a drift check. "Accepted" is not "applied" (FACTS §6, §13.3).
     */
    amazon_quantity: model.number().nullable(),
    amazon_quantity_at: model.dateTime().nullable(),
    /** listing = getListingsItem, report = GET_MERCHANT_LISTINGS_ALL_DATA, notification = LISTINGS_ITEM_MFN_QUANTITY_CHANGE */
    amazon_quantity_source: model.enum(["listing", "report", "notification"]).nullable(),
    /**
     * The read-back of the last accepted quantity: waiting (a read is due at confirm_due_at), confirmed
     * (Amazon shows it), mismatch (Amazon showed another quantity after the grace: re-pushed once),
     * not_applied (still another quantity after the re-push: an error to act on).
     */
    confirm_status: model.enum(["waiting", "confirmed", "mismatch", "not_applied"]).nullable(),
    confirm_due_at: model.dateTime().nullable(),
    /** Reads of the current accepted quantity so far (each waits longer, see lib/stock/confirmation.ts). */
    confirm_attempts: model.number().default(0),
    /** When a mismatch was last sent again: a second mismatch after it is not re-pushed but reported. */
    confirm_repushed_at: model.dateTime().nullable(),
    account: model.belongsTo(() => AmazonAccount, { mappedBy: "listings" }),
  })
  .indexes([
    {
      on: ["account_id", "marketplace_id", "seller_sku", "fulfillment_channel"],
      unique: true,
      where: "deleted_at IS NULL",
    },
    { on: ["seller_sku"] },
    { on: ["confirm_due_at"], where: "deleted_at IS NULL AND confirm_due_at IS NOT NULL" },
  ])
