import { model } from "@medusajs/framework/utils"
import { AmazonAccount } from "./amazon-account"

/**
 * A named watermark per account and stream ("orders", "fba_stock", …), optionally per marketplace
 * (`scope`). A sync advances it only after the data up to it is recorded, so a crash re-reads instead
 * of skipping.
 */
export const AmazonSyncCursor = model
  .define("amazon_sync_cursor", {
    id: model.id({ prefix: "amzcur" }).primaryKey(),
    stream: model.text(),
    /** e.g. a marketplace id; "" when the stream is account-wide. */
    scope: model.text().default(""),
    watermark: model.dateTime().nullable(),
    /** Stream-specific progress (last full scan, counters …). */
    state: model.json().nullable(),
    last_run_at: model.dateTime().nullable(),
    last_success_at: model.dateTime().nullable(),
    last_error: model.text().nullable(),
    account: model.belongsTo(() => AmazonAccount, { mappedBy: "cursors" }),
  })
  .indexes([
    {
      on: ["account_id", "stream", "scope"],
      unique: true,
      where: "deleted_at IS NULL",
    },
  ])
