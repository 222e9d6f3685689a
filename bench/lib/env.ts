/**
 * Imported first by bench/run.ts, before anything that loads the plugin's jobs: a job reads its schedule
 * from the environment when its module is first loaded, and the benchmark imports the job modules itself
 * (to call them at its own cadence), so Medusa's loader later gets the already-loaded module.
 *
 * Every scheduled job of the plugin is parked (once a day, 12 hours from now; further than ~24 days
 * would overflow Node's timers and fire at once), so no job runs unless a scenario runs it.
 */
export const JOB_SCHEDULE_ENV = [
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
]

const quiet = new Date(Date.now() + 12 * 3_600_000)
export const PARKED_CRON = `${quiet.getMinutes()} ${quiet.getHours()} * * *`

for (const key of JOB_SCHEDULE_ENV) {
  process.env[key] = PARKED_CRON
}
// Medusa's and the plugin's info/warn lines (a feed quota wait, each push run) would drown the progress
// lines; the logger reads the level when it is first loaded.
process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "error"
