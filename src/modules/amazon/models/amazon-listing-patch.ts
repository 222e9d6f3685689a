import { model } from "@medusajs/framework/utils"

/**
 * One quantity sent with patchListingsItem and Amazon's verdict on it. Feeds keep their per-SKU outcome
 * in amazon_feed_message; this is the same record for patches, so a listing's push history covers both
 * channels. Pruned by the retention job.
 */
export const AmazonListingPatch = model
  .define("amazon_listing_patch", {
    id: model.id({ prefix: "amzlp" }).primaryKey(),
    account_id: model.text(),
    listing_id: model.text(),
    seller_sku: model.text(),
    marketplace_id: model.text(),
    quantity: model.number(),
    /** accepted | error (Amazon refused the quantity, or the call failed for good) */
    status: model.enum(["accepted", "error"]),
    code: model.text().nullable(),
    message: model.text().nullable(),
    /** Amazon's submissionId for the patch, when it answered. */
    submission_id: model.text().nullable(),
    sent_at: model.dateTime(),
  })
  .indexes([{ on: ["listing_id", "sent_at"] }, { on: ["sent_at"] }])
