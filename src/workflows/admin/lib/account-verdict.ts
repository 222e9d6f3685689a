/**
 * One answer to "is it working?" per account: Healthy, Delayed or Action needed, with the one reason that
 * decides it and the next step. Decided from the same figures and warnings the dashboard's cards show.
 * Pure: "now" and every figure come in.
 */
import type { AdminAmazonAccountVerdict } from "../../../types/http"
import type { StatusWarning } from "./status-warnings"

export type VerdictState = AdminAmazonAccountVerdict["state"]

/** The verdict: the HTTP shape (src/types/http/status.ts) is the single definition. */
export type AccountVerdict = AdminAmazonAccountVerdict

export interface VerdictInput {
  now: Date
  account: { id: string; name: string; enabled: boolean }
  /** The dashboard's warnings; those of other accounts are ignored, store-wide ones apply. */
  warnings: StatusWarning[]
  /** SKUs of this account Amazon refused (push status error). */
  sku_errors: number
  /** This account's Amazon orders that need attention. */
  orders_needing_attention: number
  /** Open error-level entries about this account's connection (failed sign-in). */
  connection_failing: boolean
  /** How long the oldest queued stock change has waited (store-wide queue). */
  push_lag_seconds: number
  /** How far behind Amazon the order import is (its slowest marketplace); null before the first import. */
  order_import_lag_seconds: number | null
  last_push_at: string | null
  last_import_at: string | null
  /** Lags above these are "delayed" (derived from the jobs' schedules). */
  push_lag_limit_seconds: number
  order_lag_limit_seconds: number
}

/** Authorisations expiring within this many days need action now, not just a warning. */
export const AUTHORIZATION_ACTION_DAYS = 14

function minutes(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`
  return `${Number((seconds / 3600).toFixed(1))} h`
}

function ago(at: string | null, now: Date): string {
  if (!at) return "never"
  return `${minutes(Math.max(0, (now.getTime() - Date.parse(at)) / 1000))} ago`
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`
}

export function accountVerdict(input: VerdictInput): AccountVerdict {
  const id = input.account.id
  const mine = input.warnings.filter((w) => !w.account_id || w.account_id === id)
  const has = (code: StatusWarning["code"]) => mine.find((w) => w.code === code)
  const verdict = (state: VerdictState, code: string, reason: string, next_step: string, action: AccountVerdict["action"] = null): AccountVerdict => ({
    account_id: id,
    state,
    code,
    reason,
    next_step,
    action,
  })

  if (!input.account.enabled) {
    return verdict("action_needed", "ACCOUNT_DISABLED", "Sync is switched off for this account: nothing reaches Amazon.", "Enable the account in Settings → Amazon.", "settings")
  }
  const jobs = has("JOBS_NOT_RUNNING")
  if (jobs) {
    return verdict(
      "action_needed",
      jobs.code,
      "The plugin's scheduled jobs have stopped: no stock is pushed and no order is imported.",
      "Restart the Medusa worker. If Redis lost its data, give it persistence and maxmemory-policy noeviction (README, Running in production).",
      null
    )
  }
  const expired = has("AUTHORIZATION_EXPIRED")
  if (expired) {
    return verdict("action_needed", expired.code, "Amazon's authorisation of the app has expired.", "Re-authorise the app in Seller Central and enter the new refresh token in Settings → Amazon.", "settings")
  }
  if (input.connection_failing) {
    return verdict("action_needed", "CONNECTION_FAILED", "The plugin cannot sign in to Amazon with the stored credentials.", "Check the credentials in Settings → Amazon and test the connection.", "settings")
  }
  if (input.sku_errors > 0) {
    return verdict(
      "action_needed",
      "SKU_ERRORS",
      `Amazon refused the quantity of ${plural(input.sku_errors, "SKU")}.`,
      "Open the listings with errors: each shows Amazon's reason and its push history.",
      "listings"
    )
  }
  if (input.orders_needing_attention > 0) {
    return verdict(
      "action_needed",
      "ORDERS_NEED_ATTENTION",
      `${plural(input.orders_needing_attention, "Amazon order")} could not become ${input.orders_needing_attention === 1 ? "a store order" : "store orders"}.`,
      "Open \"Orders needing attention\": map the SKU or fix the cause; linked SKUs import by themselves.",
      "orders"
    )
  }
  const expiring = has("AUTHORIZATION_EXPIRING")
  const daysLeft = expiring ? Number(/expires in (\d+) days/.exec(expiring.message)?.[1] ?? NaN) : NaN
  if (expiring && daysLeft <= AUTHORIZATION_ACTION_DAYS) {
    return verdict("action_needed", expiring.code, `Amazon's authorisation of the app expires in ${plural(daysLeft, "day")}.`, "Re-authorise the app in Seller Central and enter the new refresh token.", "settings")
  }
  const stuck = has("FEED_STUCK")
  if (stuck) {
    return verdict("delayed", stuck.code, "Amazon has not finished a quantity feed; its quantities are not confirmed yet.", "Nothing to do yet: Amazon sometimes takes hours. Act if it lasts a day.", "feeds")
  }
  const throttled = has("SUSTAINED_THROTTLING")
  if (throttled) {
    return verdict("delayed", throttled.code, "Amazon keeps slowing the plugin down (rate limits); changes go out later than usual.", "Nothing is lost. If it lasts, push less often in the account settings.", "settings")
  }
  if (input.push_lag_seconds > input.push_lag_limit_seconds) {
    return verdict(
      "delayed",
      "PUSH_LAG",
      `A stock change has waited ${minutes(input.push_lag_seconds)} to reach Amazon.`,
      "Nothing to do unless it keeps growing; then check that the worker runs and Amazon is reachable.",
      null
    )
  }
  if (input.order_import_lag_seconds !== null && input.order_import_lag_seconds > input.order_lag_limit_seconds) {
    return verdict(
      "delayed",
      "ORDER_LAG",
      `The order import is ${minutes(input.order_import_lag_seconds)} behind Amazon.`,
      "Nothing to do unless it keeps growing; then test the connection.",
      "settings"
    )
  }
  return verdict(
    "healthy",
    "OK",
    `Stock and orders are in sync (last push ${ago(input.last_push_at, input.now)}, last order import ${ago(input.last_import_at, input.now)}).`,
    "Nothing to do."
  )
}
