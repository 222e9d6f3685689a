import type { MedusaContainer } from "@medusajs/framework/types"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { AdminAmazonStatus, AdminAmazonStatusFigures } from "../../../types/http"
import { CURSOR_STREAM, LOG_STREAM, THROTTLE_CODES } from "../constants"
import { accountVerdict } from "../lib/account-verdict"
import { groupSyncLogs } from "../lib/sync-log-causes"
import { authorizationAgeDays, computeStatusWarnings, DEFAULT_ORDER_IMPORT_SCHEDULE, jobSilenceThresholdMs, scheduleIntervalMs, throttleState } from "../lib/status-warnings"
import { readJobSchedules } from "./schedules"
import { notificationSummaries } from "../../notifications/utils/notification-view"

/** How many open entries the dashboard reads and groups (newest first); older ones are counted, not grouped. */
const GROUPED_ENTRIES = 2000

/**
 * Lags above these make an account "Delayed": a stock change waiting longer than three push intervals
 * (5 minutes at least, an hour at most), an order import more than five of its intervals behind Amazon
 * (30 minutes at least, Amazon itself shows an order only 2 minutes after its last change; 6 hours at most).
 * The caps keep a rare custom schedule from hiding a real delay.
 */
function lagLimits(schedules: { name: string; schedule: string }[]) {
  const every = (name: string, fallback: string) =>
    scheduleIntervalMs(schedules.find((j) => j.name === name)?.schedule ?? fallback) ?? 3_600_000
  return {
    push: Math.min(3600, Math.max(300, (3 * every("amazon-push-stock", "* * * * *")) / 1000)),
    orders: Math.min(6 * 3600, Math.max(1800, (5 * every("amazon-import-orders", DEFAULT_ORDER_IMPORT_SCHEDULE)) / 1000)),
  }
}

/** Feed states in which Amazon has not finished with a feed yet. */
export const UNFINISHED_FEED_STATUSES = ["building", "uploaded", "submitted", "IN_QUEUE", "IN_PROGRESS"] as const

/** The figures one chart sample keeps (also the live point of the chart). */
export type StatusFigures = AdminAmazonStatusFigures

/** The dashboard summary as GET /admin/amazon/status answers it, without the chart's samples. */
export type AmazonStatus = Omit<AdminAmazonStatus, "samples">

function iso(d: unknown): string | null {
  if (!d) return null
  const date = d instanceof Date ? d : new Date(String(d))
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

function maxIso(...values: (string | null)[]): string | null {
  const present = values.filter((v): v is string => !!v)
  return present.length ? present.sort().at(-1)! : null
}

function minIso(...values: (string | null)[]): string | null {
  const present = values.filter((v): v is string => !!v)
  return present.length ? present.sort()[0] : null
}

/** An open log entry as the dashboard lists and groups it. */
function openEntry(l: {
  id: string
  account_id?: string | null
  stream: string
  level: "info" | "warn" | "error"
  code?: string | null
  message: string
  context?: unknown
  created_at: unknown
}) {
  return {
    id: l.id,
    account_id: l.account_id ?? null,
    stream: l.stream,
    level: l.level,
    code: l.code ?? null,
    message: l.message,
    context: (l.context ?? null) as Record<string, unknown> | null,
    created_at: iso(l.created_at)!,
  }
}

function secondsSince(at: string | null, now: Date): number {
  return at ? Math.max(0, Math.round((now.getTime() - Date.parse(at)) / 1000)) : 0
}

/**
 * Everything the dashboard shows, read from the module's tables (never from Amazon): outbox depth and
 * age, feeds, listings' push states, the order and FBA cursors, throttling records, open errors, and the
 * warnings derived from them. `account_id` narrows what belongs to an account (the outbox is store-wide).
 */
export async function buildAmazonStatus(
  container: MedusaContainer,
  opts: { account_id?: string; now?: Date } = {}
): Promise<AmazonStatus> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const now = opts.now ?? new Date()
  const byAccount = opts.account_id ? { account_id: opts.account_id } : {}
  const hourAgo = new Date(now.getTime() - 3_600_000)

  const [
    accounts,
    [oldestRows, queueDepth],
    [, urgentCount],
    [oldestEvents, pendingEvents],
    [lastFeeds],
    [unfinishedFeeds, unfinishedCount],
    stuckFeeds,
    [lastSent],
    listingCounts,
    cursors,
    orderCounts,
    [, fbaSkus],
    [, fbaIssues],
    throttleLogs,
    [openEntries, errorCount],
  ] = await Promise.all([
    amazon.listAmazonAccounts(opts.account_id ? { id: opts.account_id } : {}, {
      select: ["id", "name", "region", "seller_id", "marketplace_ids", "enabled", "authorized_at", "created_at"],
      order: { created_at: "ASC" },
    }),
    amazon.listAndCountAmazonStockOutboxes({}, { take: 1, order: { first_enqueued_at: "ASC" }, select: ["id", "first_enqueued_at"] }),
    amazon.listAndCountAmazonStockOutboxes({ urgent: true }, { take: 1, select: ["id"] }),
    amazon.listAndCountAmazonStockEvents({}, { take: 1, order: { created_at: "ASC" }, select: ["id", "created_at"] }),
    amazon.listAndCountAmazonFeeds({ ...byAccount, submitted_at: { $ne: null } }, { take: 1, order: { submitted_at: "DESC" }, select: ["id", "submitted_at"] }),
    amazon.listAndCountAmazonFeeds(
      { ...byAccount, status: [...UNFINISHED_FEED_STATUSES] },
      { take: 1, order: { created_at: "ASC" }, select: ["id", "created_at", "submitted_at"] }
    ),
    amazon.listAmazonFeeds(
      { ...byAccount, stuck: true, status: [...UNFINISHED_FEED_STATUSES] },
      { take: 50, select: ["id", "account_id", "amazon_feed_id", "submitted_at"] }
    ),
    amazon.listAndCountAmazonListings(
      { ...byAccount, last_sent_at: { $ne: null } },
      { take: 1, order: { last_sent_at: "DESC" }, select: ["id", "last_sent_at"] }
    ),
    Promise.all(
      (["idle", "pending", "accepted", "error"] as const).map(async (s) => {
        const [, count] = await amazon.listAndCountAmazonListings({ ...byAccount, push_status: s }, { take: 1, select: ["id"] })
        return [s, count] as const
      })
    ),
    amazon.listAmazonSyncCursors(
      { ...byAccount, stream: [CURSOR_STREAM.orders, CURSOR_STREAM.fbaStock, CURSOR_STREAM.listingsImport] },
      { select: ["id", "account_id", "stream", "scope", "watermark", "last_run_at", "last_success_at", "last_error"] }
    ),
    Promise.all(
      (["imported", "needs_attention", "pending"] as const).map(async (s) => {
        const [, count] = await amazon.listAndCountAmazonOrders({ ...byAccount, import_status: s }, { take: 1, select: ["id"] })
        return [s, count] as const
      })
    ),
    amazon.listAndCountAmazonFbaStocks({ ...byAccount }, { take: 1, select: ["id"] }),
    amazon.listAndCountAmazonFbaStocks({ ...byAccount, issue: { $ne: null } }, { take: 1, select: ["id"] }),
    amazon.listAmazonSyncLogs(
      { ...(opts.account_id ? { account_id: [opts.account_id] } : {}), code: [...THROTTLE_CODES], created_at: { $gte: hourAgo } },
      { take: 1000, order: { created_at: "DESC" }, select: ["id", "account_id", "created_at"] }
    ),
    amazon.listAndCountAmazonSyncLogs(
      { ...byAccount, level: ["error", "warn"], resolved_at: null, stream: { $ne: LOG_STREAM.statusSample } },
      { take: GROUPED_ENTRIES, order: { created_at: "DESC" }, select: ["id", "account_id", "stream", "level", "code", "message", "context", "created_at"] }
    ),
  ])

  // What decides each account's verdict beyond the store-wide figures (a failing sign-in is among the open
  // entries already read).
  const perAccount = new Map(
    await Promise.all(
      accounts.map(async (a) => {
        const [[, skuErrors], [, attention]] = await Promise.all([
          amazon.listAndCountAmazonListings({ account_id: a.id, push_status: "error" }, { take: 1, select: ["id"] }),
          amazon.listAndCountAmazonOrders({ account_id: a.id, import_status: "needs_attention" }, { take: 1, select: ["id"] }),
        ])
        const connectionFailing = openEntries.some(
          (l) => l.account_id === a.id && l.stream === LOG_STREAM.connection && l.code === "CONNECTION_FAILED" && l.level === "error"
        )
        return [a.id, { sku_errors: skuErrors, orders_needing_attention: attention, connection_failing: connectionFailing }] as const
      })
    )
  )

  // A change waits from the moment the store recorded it, whether or not the push has resolved it yet.
  const oldestEnqueued = minIso(iso(oldestRows[0]?.first_enqueued_at), iso(oldestEvents[0]?.created_at))
  const oldestUnfinished = unfinishedFeeds[0] ? iso(unfinishedFeeds[0].submitted_at ?? unfinishedFeeds[0].created_at) : null
  const lastFeedAt = iso(lastFeeds[0]?.submitted_at)
  const lastPatchAt = iso(lastSent[0]?.last_sent_at)
  const counts = Object.fromEntries(listingCounts) as Record<"idle" | "pending" | "accepted" | "error", number>
  const orders = Object.fromEntries(orderCounts) as Record<"imported" | "needs_attention" | "pending", number>

  const orderCursors = cursors.filter((c) => c.stream === CURSOR_STREAM.orders)
  const fbaCursors = cursors.filter((c) => c.stream === CURSOR_STREAM.fbaStock)
  const importCursors = cursors.filter((c) => c.stream === CURSOR_STREAM.listingsImport)
  // The import is as far behind as its slowest marketplace.
  const orderWatermarks = orderCursors.map((c) => iso(c.watermark)).filter((w): w is string => !!w).sort()
  const orderWatermark = orderWatermarks[0] ?? null

  const throttleEvents = throttleLogs.map((l) => ({ at: iso(l.created_at)!, account_id: l.account_id ?? null }))

  const accountsOut = accounts.map((a) => ({
    id: a.id,
    name: a.name,
    region: a.region,
    seller_id: a.seller_id,
    marketplace_ids: (a.marketplace_ids ?? []) as unknown as string[],
    enabled: a.enabled,
    authorized_at: iso(a.authorized_at),
    authorization_age_days: authorizationAgeDays(iso(a.authorized_at), now),
  }))

  const figures: StatusFigures = {
    queue_depth: queueDepth,
    oldest_age_seconds: secondsSince(oldestEnqueued, now),
    push_lag_seconds: secondsSince(oldestEnqueued, now),
    confirmation_lag_seconds: secondsSince(oldestUnfinished, now),
    order_import_lag_seconds: orderWatermark ? secondsSince(orderWatermark, now) : null,
    throttled_last_hour: throttleEvents.length,
  }

  const warnings = computeStatusWarnings({
    now,
    accounts: accountsOut,
    stuck_feeds: stuckFeeds.map((f) => ({
      id: f.id,
      account_id: (f as { account_id?: string }).account_id ?? "",
      amazon_feed_id: f.amazon_feed_id ?? null,
      submitted_at: iso(f.submitted_at),
    })),
    throttle_events: throttleEvents,
    sku_errors: counts.error ?? 0,
    orders_needing_attention: orders.needs_attention ?? 0,
    order_import_runs: accounts
      .filter((a) => a.enabled)
      .map((a) => ({
        account_id: a.id,
        connected_at: iso(a.created_at) as string,
        last_run_at: maxIso(...orderCursors.filter((c) => c.account_id === a.id).map((c) => iso(c.last_run_at))),
      })),
    job_silence_ms: jobSilenceThresholdMs(process.env.AMAZON_ORDER_IMPORT_SCHEDULE),
  })

  const schedules = readJobSchedules()
  const limits = lagLimits(schedules)
  const lastPushAt = maxIso(lastFeedAt, lastPatchAt)
  const verdicts = accounts.map((a) => {
    const own = perAccount.get(a.id) ?? { sku_errors: 0, orders_needing_attention: 0, connection_failing: false }
    const mine = orderCursors.filter((c) => c.account_id === a.id)
    const watermarks = mine.map((c) => iso(c.watermark)).filter((w): w is string => !!w).sort()
    return accountVerdict({
      now,
      account: { id: a.id, name: a.name, enabled: a.enabled },
      warnings,
      ...own,
      push_lag_seconds: figures.push_lag_seconds,
      order_import_lag_seconds: watermarks[0] ? secondsSince(watermarks[0], now) : null,
      last_push_at: lastPushAt,
      last_import_at: maxIso(...mine.map((c) => iso(c.last_success_at))),
      push_lag_limit_seconds: limits.push,
      order_lag_limit_seconds: limits.orders,
    })
  })

  const notifications = await notificationSummaries(container, accounts.map((a) => a.id), now)

  return {
    generated_at: now.toISOString(),
    accounts: accountsOut,
    verdicts,
    notifications,
    figures,
    queue: { depth: queueDepth, urgent: urgentCount, pending_events: pendingEvents, oldest_enqueued_at: oldestEnqueued },
    push: {
      last_push_at: lastPushAt,
      last_feed_at: lastFeedAt,
      last_patch_at: lastPatchAt,
      unfinished_feeds: unfinishedCount,
      stuck_feeds: stuckFeeds.length,
      oldest_unfinished_feed_at: oldestUnfinished,
      listings: {
        total: (counts.idle ?? 0) + (counts.pending ?? 0) + (counts.accepted ?? 0) + (counts.error ?? 0),
        idle: counts.idle ?? 0,
        pending: counts.pending ?? 0,
        accepted: counts.accepted ?? 0,
        error: counts.error ?? 0,
      },
    },
    orders: {
      last_import_at: maxIso(...orderCursors.map((c) => iso(c.last_success_at))),
      watermark: orderWatermark,
      last_error: orderCursors.map((c) => c.last_error).find((e) => !!e) ?? null,
      imported: orders.imported ?? 0,
      needs_attention: orders.needs_attention ?? 0,
      pending: orders.pending ?? 0,
    },
    fba: {
      last_sync_at: maxIso(...fbaCursors.map((c) => iso(c.last_success_at))),
      skus: fbaSkus,
      issues: fbaIssues,
      cursors: fbaCursors.map((c) => ({
        account_id: (c as { account_id?: string }).account_id ?? "",
        marketplace_id: c.scope,
        last_run_at: iso(c.last_run_at),
        last_success_at: iso(c.last_success_at),
        watermark: iso(c.watermark),
        last_error: c.last_error ?? null,
      })),
    },
    listings_import: importCursors.map((c) => ({
      account_id: (c as { account_id?: string }).account_id ?? "",
      last_success_at: iso(c.last_success_at),
      last_error: c.last_error ?? null,
    })),
    throttle: {
      state: throttleState(throttleEvents, now),
      last_hour: throttleEvents.length,
      last_at: throttleEvents[0]?.at ?? null,
    },
    errors: {
      count: errorCount,
      items: openEntries.slice(0, 10).map(openEntry),
      groups: groupSyncLogs(openEntries.map(openEntry)),
    },
    warnings,
    schedules,
  }
}

/** Chart samples recorded by the status-sample job, oldest first. */
export async function listStatusSamples(container: MedusaContainer, opts: { hours: number; now?: Date }) {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const now = opts.now ?? new Date()
  const since = new Date(now.getTime() - opts.hours * 3_600_000)
  const rows = await amazon.listAmazonSyncLogs(
    { stream: LOG_STREAM.statusSample, created_at: { $gte: since } },
    { take: 2000, order: { created_at: "ASC" }, select: ["id", "created_at", "context"] }
  )
  return rows.map((r) => {
    const c = (r.context ?? {}) as Partial<StatusFigures>
    return {
      at: iso(r.created_at)!,
      queue_depth: Number(c.queue_depth ?? 0),
      push_lag_seconds: Number(c.push_lag_seconds ?? 0),
      confirmation_lag_seconds: Number(c.confirmation_lag_seconds ?? 0),
      order_import_lag_seconds: c.order_import_lag_seconds == null ? null : Number(c.order_import_lag_seconds),
      throttled_last_hour: Number(c.throttled_last_hour ?? 0),
    }
  })
}
