import { parseExpression } from "cron-parser"
import { readJobSchedules } from "./schedules"

/** The stock push job: settings changes and re-queued listings go out when it next runs. */
export const STOCK_PUSH_JOB = "amazon-push-stock"

/**
 * When a cron schedule fires next after `now` (ISO string), or null when it cannot be read. Parsed with
 * cron-parser in the server's time zone, as Medusa's workflow engines schedule the jobs themselves.
 */
export function nextCronRun(schedule: string, now: Date): string | null {
  try {
    return parseExpression(schedule, { currentDate: now }).next().toDate().toISOString()
  } catch {
    return null
  }
}

/** When one of the plugin's jobs runs next (its schedule as loaded, env overrides included), or null. */
export function nextJobRun(name: string, now: Date = new Date()): string | null {
  const job = readJobSchedules().find((j) => j.name === name)
  return job ? nextCronRun(job.schedule, now) : null
}
