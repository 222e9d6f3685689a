import { readdirSync } from "node:fs"
import path from "node:path"

export interface JobSchedule {
  name: string
  schedule: string
  description: string
  /** The environment variable that changes the schedule (null for a job this list does not know). */
  env: string | null
}

/**
 * What each of the plugin's jobs does, in the merchant's words, and the variable its `config` reads the
 * schedule from (src/jobs/<name>.ts). Unknown jobs are listed without either.
 */
const JOBS: Record<string, { description: string; env: string }> = {
  "amazon-push-stock": {
    description: "Sends changed quantities to Amazon (patches for urgent changes, feeds for the rest).",
    env: "AMAZON_STOCK_PUSH_SCHEDULE",
  },
  "amazon-feed-results": {
    description: "Reads Amazon's processing reports of submitted feeds (what was really applied).",
    env: "AMAZON_FEED_RESULTS_SCHEDULE",
  },
  "amazon-reconcile-stock": {
    description: "Full pass: compares every linked SKU with what Amazon shows (its listings report), then sends every quantity that differs.",
    env: "AMAZON_STOCK_RECONCILE_SCHEDULE",
  },
  "amazon-import-orders": { description: "Imports new and changed Amazon orders into the store.", env: "AMAZON_ORDER_IMPORT_SCHEDULE" },
  "amazon-sync-fba-stock": { description: "Reads FBA stock changes into the FBA stock locations.", env: "AMAZON_FBA_SYNC_SCHEDULE" },
  "amazon-fba-full-scan": {
    description: "Reads every FBA SKU again (Amazon's incremental results can miss some).",
    env: "AMAZON_FBA_FULL_SCAN_SCHEDULE",
  },
  "amazon-record-status-sample": { description: "Records queue depth and lag for the dashboard chart.", env: "AMAZON_STATUS_SAMPLE_SCHEDULE" },
  "amazon-send-order-actions": {
    description: "Tells Amazon about shipments and cancellations made in the store, and reads the results.",
    env: "AMAZON_ORDER_ACTIONS_SCHEDULE",
  },
  "amazon-notifications": {
    description: "Keeps the reader of Amazon's notification queue running (one per store), when notifications are set up.",
    env: "AMAZON_NOTIFICATIONS_SCHEDULE",
  },
  "amazon-mcf-orders": {
    description: "Follows the store's orders shipped by Amazon (Multi-Channel Fulfillment): tracking, delivery, what Amazon could not ship.",
    env: "AMAZON_MCF_SCHEDULE",
  },
  "amazon-remove-buyer-data": {
    description:
      "Removes buyer names, e-mails, addresses and phones from Amazon orders closed longer than the retention period, and push history older than 90 days.",
    env: "AMAZON_BUYER_DATA_SCHEDULE",
  },
}

let cached: JobSchedule[] | undefined

/**
 * The schedules of the plugin's jobs, read from the jobs' own `config` (which already applied the
 * environment overrides at boot), so the admin shows what really runs.
 */
export function readJobSchedules(): JobSchedule[] {
  if (cached) {
    return cached
  }
  const dir = path.join(__dirname, "..", "..", "..", "jobs")
  const out: JobSchedule[] = []
  let files: string[] = []
  try {
    files = readdirSync(dir)
  } catch {
    return []
  }
  for (const file of files.sort()) {
    if (!/^amazon-.*\.(js|ts)$/.test(file) || file.endsWith(".d.ts")) continue
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const mod = require(path.join(dir, file))
      const config = mod?.config
      if (config?.name && typeof config.schedule === "string") {
        const job = JOBS[config.name]
        out.push({ name: config.name, schedule: config.schedule, description: job?.description ?? "", env: job?.env ?? null })
      }
    } catch {
      // a job that cannot be loaded is not running either; Medusa reports it at boot
    }
  }
  cached = out
  return out
}
