import { readdirSync } from "node:fs"
import path from "node:path"

export interface JobSchedule {
  name: string
  schedule: string
  description: string
}

/** What each of the plugin's jobs does, in the merchant's words. Unknown jobs are listed without one. */
const DESCRIPTIONS: Record<string, string> = {
  "amazon-push-stock": "Sends changed quantities to Amazon (patches for urgent changes, feeds for the rest).",
  "amazon-feed-results": "Reads Amazon's processing reports of submitted feeds (what was really applied).",
  "amazon-reconcile-stock": "Full pass: re-checks every mapped SKU against what Amazon last accepted.",
  "amazon-import-orders": "Imports new and changed Amazon orders into the store.",
  "amazon-sync-fba-stock": "Reads FBA stock changes into the FBA stock locations.",
  "amazon-fba-full-scan": "Reads every FBA SKU again (Amazon's incremental results can miss some).",
  "amazon-record-status-sample": "Records queue depth and lag for the dashboard chart.",
  "amazon-send-order-actions": "Tells Amazon about shipments and cancellations made in the store, and reads the results.",
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
        out.push({ name: config.name, schedule: config.schedule, description: DESCRIPTIONS[config.name] ?? "" })
      }
    } catch {
      // a job that cannot be loaded is not running either; Medusa reports it at boot
    }
  }
  cached = out
  return out
}
