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
  "AMAZON_NOTIFICATIONS_SCHEDULE",
  "AMAZON_MCF_SCHEDULE",
]) {
  process.env[key] = `${quiet.getMinutes()} ${quiet.getHours()} * * *`
}
// and no push a second after each store change (utils/push-soon.ts): the tests push when they choose
process.env.AMAZON_STOCK_PUSH_DEBOUNCE_MS = "off"
// nor read-backs of accepted quantities (getListingsItem) counted into the runs' Amazon calls
process.env.AMAZON_CONFIRM_DELAYS_MS = "off"

export {}
