import type { MedusaContainer } from "@medusajs/framework/types"
import { runScheduledStream } from "../workflows/sync-streams"

/**
 * Daily full FBA scan (no startDateTime): Amazon's incremental results are known to miss SKUs
 * (FACTS §8, §11.7), so once a day every SKU is read again, missed updates are corrected, SKUs Amazon no
 * longer reports go to 0 and unmapped SKUs are flagged. If an incremental pass is running it waits for it.
 */
export default async function amazonFbaFullScanJob(container: MedusaContainer) {
  await runScheduledStream(container, "fba_full_scan", { wait_for_lock_seconds: 15 * 60 })
}

export const config = {
  name: "amazon-fba-full-scan",
  // 03:40 daily by default (off the quarter-hours of the incremental pass); AMAZON_FBA_FULL_SCAN_SCHEDULE overrides it.
  schedule: process.env.AMAZON_FBA_FULL_SCAN_SCHEDULE || "40 3 * * *",
}
