/**
 * Import first in a spec whose tests run the plugin's workflows themselves: the scheduled jobs run inside
 * the test app and would race the tests for the same rows and the simulator's counters. Each job reads its
 * schedule when the app loads it, so this must run before the app boots (a side-effect import does).
 * The quiet time is once a day, 12 hours from now: a cron further away than ~24 days overflows Node's
 * timers and fires at once.
 */
const quiet = new Date(Date.now() + 12 * 3_600_000)
for (const key of [
  "AMAZON_STOCK_PUSH_SCHEDULE",
  "AMAZON_FEED_RESULTS_SCHEDULE",
  "AMAZON_STOCK_RECONCILE_SCHEDULE",
  "AMAZON_ORDER_IMPORT_SCHEDULE",
  "AMAZON_FBA_SYNC_SCHEDULE",
  "AMAZON_FBA_FULL_SCAN_SCHEDULE",
  "AMAZON_STATUS_SAMPLE_SCHEDULE",
  "AMAZON_BUYER_DATA_SCHEDULE",
  "AMAZON_ORDER_ACTIONS_SCHEDULE",
]) {
  process.env[key] = `${quiet.getMinutes()} ${quiet.getHours()} * * *`
}

export {}
