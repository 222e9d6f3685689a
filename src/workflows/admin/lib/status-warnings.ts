/**
 * The dashboard's warnings, decided from plain figures. Pure (no clock, no I/O): "now" comes in.
 */
import { parseExpression } from "cron-parser"
import { AUTHORIZATION_EXPIRES_DAYS, AUTHORIZATION_WARN_DAYS } from "../constants"

export type WarningCode =
  | "AUTHORIZATION_EXPIRING"
  | "AUTHORIZATION_EXPIRED"
  | "AUTHORIZATION_UNKNOWN"
  | "FEED_STUCK"
  | "SUSTAINED_THROTTLING"
  | "SKU_ERRORS"
  | "ORDERS_NEED_ATTENTION"
  | "ACCOUNT_DISABLED"
  | "JOBS_NOT_RUNNING"

export interface StatusWarning {
  code: WarningCode
  severity: "warning" | "error"
  message: string
  account_id?: string
}

export interface WarningInput {
  now: Date
  accounts: { id: string; name: string; enabled: boolean; authorized_at: Date | string | null }[]
  stuck_feeds: { id: string; account_id: string; amazon_feed_id: string | null; submitted_at: Date | string | null }[]
  /** Throttling records (429s, quota waits) with their times, newest first is not required. */
  throttle_events: { at: Date | string; account_id: string | null }[]
  sku_errors: number
  orders_needing_attention: number
  /**
   * Per enabled account: when it was connected and when its order import last ran (the newest run of its
   * marketplaces; null: never). The import is a scheduled job, so a long silence means the jobs stopped.
   */
  order_import_runs?: { account_id: string; connected_at: Date | string; last_run_at: Date | string | null }[]
  /** How long the order import may stay silent before that is a warning (see jobSilenceThresholdMs). */
  job_silence_ms?: number
}

/** The order import's schedule when nothing overrides it (src/jobs/amazon-import-orders.ts). */
export const DEFAULT_ORDER_IMPORT_SCHEDULE = "*/2 * * * *"

/** The gap between two runs of a cron schedule (the smallest of the next few), or null when unreadable. */
export function scheduleIntervalMs(schedule: string, from: Date = new Date("2026-01-05T00:00:00Z")): number | null {
  try {
    const it = parseExpression(schedule, { currentDate: from, tz: "UTC" })
    const runs = [0, 1, 2, 3].map(() => it.next().toDate().getTime())
    return Math.min(...runs.slice(1).map((t, i) => t - runs[i]))
  } catch {
    return null
  }
}

/**
 * How long the order import may not run before the dashboard says the scheduled jobs stopped: several of
 * its intervals (5), and never less than 15 minutes (a long import run or a restart is not an outage).
 * The default schedule (every 2 minutes) gives 15 minutes; hourly gives 5 hours.
 */
export function jobSilenceThresholdMs(orderImportSchedule: string | undefined): number {
  const interval = scheduleIntervalMs(orderImportSchedule || DEFAULT_ORDER_IMPORT_SCHEDULE) ?? 3_600_000
  return Math.max(15 * 60_000, 5 * interval)
}

const DAY_MS = 86_400_000

/** Throttled this many times within the window = sustained (not a passing burst the SP-API client absorbed). */
export const SUSTAINED_THROTTLE_COUNT = 5
export const SUSTAINED_THROTTLE_WINDOW_MS = 30 * 60_000

function toMs(d: Date | string): number {
  return d instanceof Date ? d.getTime() : Date.parse(d)
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`
}

export function authorizationAgeDays(authorizedAt: Date | string | null, now: Date): number | null {
  if (!authorizedAt) return null
  return Math.floor((now.getTime() - toMs(authorizedAt)) / DAY_MS)
}

/** "ok" | "throttled" (some throttling in the window) | "sustained" (enough to warn about). */
export function throttleState(events: { at: Date | string }[], now: Date): "ok" | "throttled" | "sustained" {
  const recent = events.filter((e) => now.getTime() - toMs(e.at) <= SUSTAINED_THROTTLE_WINDOW_MS).length
  if (recent >= SUSTAINED_THROTTLE_COUNT) return "sustained"
  return recent > 0 ? "throttled" : "ok"
}

export function computeStatusWarnings(input: WarningInput): StatusWarning[] {
  const out: StatusWarning[] = []
  for (const a of input.accounts) {
    if (!a.enabled) {
      out.push({ code: "ACCOUNT_DISABLED", severity: "warning", account_id: a.id, message: `Account "${a.name}" is disabled: nothing is synced for it.` })
      continue
    }
    const age = authorizationAgeDays(a.authorized_at, input.now)
    if (age === null) {
      out.push({
        code: "AUTHORIZATION_UNKNOWN",
        severity: "warning",
        account_id: a.id,
        message: `Account "${a.name}": the authorisation date is unknown; Amazon expires app authorisations after ${AUTHORIZATION_EXPIRES_DAYS} days.`,
      })
    } else if (age >= AUTHORIZATION_EXPIRES_DAYS) {
      out.push({
        code: "AUTHORIZATION_EXPIRED",
        severity: "error",
        account_id: a.id,
        message: `Account "${a.name}": the authorisation is ${age} days old and has expired. Re-authorise the app in Seller Central and enter the new refresh token.`,
      })
    } else if (age >= AUTHORIZATION_WARN_DAYS) {
      out.push({
        code: "AUTHORIZATION_EXPIRING",
        severity: "warning",
        account_id: a.id,
        message: `Account "${a.name}": the authorisation is ${age} days old and expires in ${AUTHORIZATION_EXPIRES_DAYS - age} days. Re-authorise the app in Seller Central.`,
      })
    }
  }
  for (const f of input.stuck_feeds) {
    const since = f.submitted_at ? ` since ${new Date(toMs(f.submitted_at)).toISOString()}` : ""
    out.push({
      code: "FEED_STUCK",
      severity: "error",
      account_id: f.account_id,
      message: `Feed ${f.amazon_feed_id ?? f.id} has not finished at Amazon${since}. Quantities in it are not confirmed; later feeds of this seller wait behind it.`,
    })
  }
  const byAccount = new Map<string | null, { at: Date | string }[]>()
  for (const e of input.throttle_events) {
    byAccount.set(e.account_id, [...(byAccount.get(e.account_id) ?? []), e])
  }
  for (const [accountId, events] of byAccount) {
    if (throttleState(events, input.now) === "sustained") {
      const recent = events.filter((e) => input.now.getTime() - toMs(e.at) <= SUSTAINED_THROTTLE_WINDOW_MS).length
      const name = input.accounts.find((a) => a.id === accountId)?.name
      out.push({
        code: "SUSTAINED_THROTTLING",
        severity: "warning",
        account_id: accountId ?? undefined,
        message: `${name ? `Account "${name}": ` : ""}Amazon throttled ${plural(recent, "call")} in the last ${SUSTAINED_THROTTLE_WINDOW_MS / 60_000} minutes. Syncs slow down; if it persists, lower the sync frequency.`,
      })
    }
  }
  if (input.sku_errors > 0) {
    out.push({
      code: "SKU_ERRORS",
      severity: "error",
      message: `${plural(input.sku_errors, "SKU")} could not be updated on Amazon. See the listings with push status "error".`,
    })
  }
  const silence = input.job_silence_ms ?? 15 * 60_000
  for (const run of input.order_import_runs ?? []) {
    const since = run.last_run_at ? toMs(run.last_run_at) : toMs(run.connected_at)
    if (input.now.getTime() - since > silence) {
      const minutes = Math.round((input.now.getTime() - since) / 60_000)
      out.push({
        code: "JOBS_NOT_RUNNING",
        severity: "error",
        account_id: run.account_id,
        message:
          `The order import has not run for ${minutes} minutes: the plugin's scheduled jobs are not running. Check that the ` +
          "Medusa worker is up. With Medusa's Redis workflow engine, a Redis that lost its data (restart without persistence, " +
          "eviction, failover to an empty replica) drops every job schedule until the worker restarts: restart the worker and " +
          "give Redis persistence and maxmemory-policy noeviction (README, Running in production).",
      })
      break
    }
  }
  if (input.orders_needing_attention > 0) {
    out.push({
      code: "ORDERS_NEED_ATTENTION",
      severity: "warning",
      message: `${plural(input.orders_needing_attention, "Amazon order")} could not be imported and ${input.orders_needing_attention === 1 ? "needs" : "need"} attention.`,
    })
  }
  return out
}
