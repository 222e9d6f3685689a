/**
 * Imported first by a child that measures the plugin with its shipped stock settings (P1c/P1d): like
 * env.ts it parks the plugin's other scheduled jobs (order import, FBA, status samples, buyer data, order
 * actions, the daily reconcile), but the stock push and feed-results jobs keep their default schedules
 * and the push-soon trigger and the read-backs their default timings: these variables are removed, so
 * nothing the benchmark's parent process set leaks in.
 */
import { JOB_SCHEDULE_ENV } from "./env"

export const STOCK_DEFAULT_ENV = [
  "AMAZON_STOCK_PUSH_SCHEDULE",
  "AMAZON_FEED_RESULTS_SCHEDULE",
  "AMAZON_STOCK_PUSH_DEBOUNCE_MS",
  "AMAZON_STOCK_PUSH_MAX_DELAY_MS",
  "AMAZON_CONFIRM_DELAYS_MS",
]

for (const key of STOCK_DEFAULT_ENV) {
  delete process.env[key]
}

/** The jobs this child parks (env.ts parked them all; the stock ones are released above). */
export const PARKED_JOB_ENV = JOB_SCHEDULE_ENV.filter((k) => !STOCK_DEFAULT_ENV.includes(k))
