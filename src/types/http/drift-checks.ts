/** GET /admin/amazon/drift-checks ("Amazon vs store"). */

/** What a finished comparison found (amazon_drift_check.summary). */
export interface AdminAmazonDriftSummary {
  listings_in_report: number
  compared: number
  matching: number
  differing: number
  /** Pushed after Amazon's report was taken: not compared. */
  skipped_newer: number
  missing_on_amazon: number
  inactive_on_amazon: number
  /** SKUs on Amazon that no listing of the store knows. */
  unknown_on_amazon: number
  /** Differences sent again. */
  requeued: number
  /** The largest differences: what Amazon showed and what the plugin last set. */
  worst: { sku: string; amazon: number; plugin_set: number; delta: number }[]
  missing: { sku: string; reason: string; status?: string }[]
}

export interface AdminAmazonDriftCheck {
  id: string
  account_id: string
  marketplace_id: string
  status: "requested" | "report" | "comparing" | "done" | "failed"
  report_id: string | null
  report_status: string | null
  /** When Amazon's report was taken: later pushes were not compared. */
  report_data_at: string | null
  trigger: "scheduled" | "admin"
  started_at: string
  finished_at: string | null
  /** While it runs, in a merchant's words. */
  progress: string | null
  summary: AdminAmazonDriftSummary | null
  error: string | null
  calls: number
}

export interface AdminAmazonDriftChecksResponse {
  /** The latest check per account and marketplace; `last_done` is the latest finished one when that one is not. */
  drift_checks: (AdminAmazonDriftCheck & { last_done: AdminAmazonDriftCheck | null })[]
}
