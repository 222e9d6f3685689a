import type { MedusaContainer } from "@medusajs/framework/types"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { AdminAmazonStatus, AdminAmazonStatusFigures } from "../../../types/http"
import { CURSOR_STREAM, LOG_STREAM, THROTTLE_CODES } from "../constants"
import { authorizationAgeDays, computeStatusWarnings, jobSilenceThresholdMs, StatusWarning, throttleState } from "../lib/status-warnings"
import { readJobSchedules } from "./schedules"

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
    [errorItems, errorCount],
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
      { take: 10, order: { created_at: "DESC" }, select: ["id", "account_id", "stream", "level", "code", "message", "context", "created_at"] }
    ),
  ])

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

  return {
    generated_at: now.toISOString(),
    accounts: accountsOut,
    figures,
    queue: { depth: queueDepth, urgent: urgentCount, pending_events: pendingEvents, oldest_enqueued_at: oldestEnqueued },
    push: {
      last_push_at: maxIso(lastFeedAt, lastPatchAt),
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
      items: errorItems.map((l) => ({
        id: l.id,
        account_id: l.account_id ?? null,
        stream: l.stream,
        level: l.level,
        code: l.code ?? null,
        message: l.message,
        context: l.context ?? null,
        created_at: iso(l.created_at)!,
      })),
    },
    warnings,
    schedules: readJobSchedules(),
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
