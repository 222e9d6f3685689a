import { model } from "@medusajs/framework/utils"

/**
 * One whole-catalogue comparison of what Amazon shows (the GET_MERCHANT_LISTINGS_ALL_DATA report of one
 * marketplace) with what the plugin last set, and its progress while it runs: the report's lifecycle at
 * Amazon (IN_QUEUE → IN_PROGRESS → DONE), then the local diff and the re-queued differences. The admin shows
 * the latest per account and marketplace ("Amazon vs store").
 */
export const AmazonDriftCheck = model
  .define("amazon_drift_check", {
    id: model.id({ prefix: "amzdc" }).primaryKey(),
    account_id: model.text(),
    marketplace_id: model.text(),
    /** requested → report (waiting for Amazon's report) → comparing → done | failed */
    status: model.enum(["requested", "report", "comparing", "done", "failed"]).default("requested"),
    /** Amazon's report id and its last processing status (IN_QUEUE, IN_PROGRESS, DONE, FATAL, CANCELLED). */
    report_id: model.text().nullable(),
    report_status: model.text().nullable(),
    /** The moment the report's data describes (dataEndTime): pushes after it are not compared. */
    report_data_at: model.dateTime().nullable(),
    /** scheduled | admin */
    trigger: model.text().default("scheduled"),
    requested_by: model.text().nullable(),
    started_at: model.dateTime(),
    finished_at: model.dateTime().nullable(),
    /** What the merchant reads while it runs, e.g. "Amazon is preparing the report (IN_PROGRESS)". */
    progress: model.text().nullable(),
    /** compared, matching, differing, skipped_newer, missing_on_amazon, unknown_on_amazon, requeued, worst[] */
    summary: model.json().nullable(),
    error: model.text().nullable(),
    /** SP-API calls the check made (report lifecycle and download). */
    calls: model.number().default(0),
  })
  .indexes([{ on: ["account_id", "marketplace_id", "started_at"] }, { on: ["status"] }])
