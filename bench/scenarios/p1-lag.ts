/**
 * P1: lag from a store stock change to Amazon acknowledging the new quantity.
 *
 * A store stock change is `updateInventoryLevelsWorkflow` setting a mapped SKU's stocked quantity (the
 * admin's or an ERP's stock update): Medusa emits `inventory.inventory-level.updated`, the plugin's
 * subscriber queues the variant, and the plugin's push job sends it. Every change is on a different SKU,
 * so each has its own acknowledgement, read from the plugin's own records:
 *  - sent by patchListingsItem → `amazon_listing.last_accepted_at` with `last_accepted_quantity` = the
 *    new quantity (set when Amazon answered ACCEPTED);
 *  - sent in a JSON_LISTINGS_FEED → `amazon_feed.submitted_at` of the first submitted feed whose message
 *    for that listing carries the new quantity (set when createFeed answered);
 * the earlier of the two. Lag = acknowledgement − the moment the change was committed in the store.
 * The simulator's own quantities are checked at the end as well.
 */
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import amazonFeedResultsJob from "../../src/jobs/amazon-feed-results"
import amazonPushStockJob from "../../src/jobs/amazon-push-stock"
import type { CatalogSku } from "../lib/catalog"
import type { BenchContext } from "../lib/context"
import { JobTicker } from "../lib/job-ticker"
import { percentile, round, sleep } from "../lib/stats"

export const PUSH_EVERY_MS = 2_000
export const FEED_RESULTS_EVERY_MS = 5_000

export interface Change {
  sku: CatalogSku
  quantity: number
  plannedAt: number
  committedAt?: number
  error?: string
}

export interface LagResult {
  label: string
  rate_per_s: number
  changes: number
  achieved_rate_per_s: number
  acked: number
  p50_s: number
  p95_s: number
  max_s: number
  /** Some changes were not acknowledged within the observation window: p95 is then a lower bound. */
  censored: boolean
  observed_for_s: number
  via: { patch: number; feed: number }
  amazon_shows_new_quantity: number
  calls: Record<string, number>
  throttled_by_quota: number
  feeds: number
  generator_errors: number
}

/** Per change, when Amazon acknowledged its quantity (patch ACCEPTED or feed submitted), if it did yet. */
export async function acknowledgements(ctx: Pick<BenchContext, "container">, changes: Change[]) {
  const knex = ctx.container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const ids = changes.map((c) => c.sku.listingId)
  const listings: { id: string; last_accepted_quantity: number | null; last_accepted_at: Date | null }[] = await knex("amazon_listing")
    .select("id", "last_accepted_quantity", "last_accepted_at")
    .whereIn("id", ids)
  const messages: { listing_id: string; quantity: number; submitted_at: Date }[] = await knex("amazon_feed_message as m")
    .join("amazon_feed as f", "f.id", "m.feed_id")
    .select("m.listing_id", "m.quantity", "f.submitted_at")
    .whereIn("m.listing_id", ids)
    .whereNotNull("f.submitted_at")
  const byListing = new Map(listings.map((l) => [l.id, l]))
  const fedAt = new Map<string, number>()
  for (const m of messages) fedAt.set(`${m.listing_id}|${m.quantity}`, Math.min(fedAt.get(`${m.listing_id}|${m.quantity}`) ?? Infinity, new Date(m.submitted_at).getTime()))
  return changes.map((c) => {
    const l = byListing.get(c.sku.listingId)
    const patchedAt = l && l.last_accepted_quantity === c.quantity && l.last_accepted_at ? new Date(l.last_accepted_at).getTime() : Infinity
    const fed = fedAt.get(`${c.sku.listingId}|${c.quantity}`) ?? Infinity
    const at = Math.min(patchedAt, fed)
    return { change: c, at: Number.isFinite(at) ? at : undefined, via: fed <= patchedAt ? ("feed" as const) : ("patch" as const) }
  })
}

function countCalls(ctx: BenchContext, mark: number): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of ctx.recorder.since(mark, (c) => c.origin === new URL(ctx.sim.url).origin)) {
    const key = `${c.method} ${c.path.startsWith("/listings/") ? "/listings/2021-08-01/items/{sellerId}/{sku}" : c.path.startsWith("/_s3/") ? "/_s3 (document)" : c.path.replace(/\/(?=[^/]*\d)[^/]{6,}$/, "/{id}")}`
    out[key] = (out[key] ?? 0) + 1
  }
  return out
}

/** Makes `rate` changes per second for `durationS` seconds on `skus` (one change per SKU). */
export async function generate(ctx: Pick<BenchContext, "container" | "locationId">, skus: CatalogSku[], rate: number, durationS: number): Promise<Change[]> {
  const n = Math.min(skus.length, Math.round(rate * durationS))
  const start = Date.now() + 100
  const changes: Change[] = skus.slice(0, n).map((sku, i) => ({
    sku,
    // a sale or a correction: 1-3 units fewer, never 0 (zero-outs are P3's subject)
    quantity: Math.max(1, sku.stock - 1 - (i % 3)),
    plannedAt: start + (i * 1000) / rate,
  }))
  const running: Promise<void>[] = []
  for (const c of changes) {
    const wait = c.plannedAt - Date.now()
    if (wait > 0) await sleep(wait)
    running.push(
      updateInventoryLevelsWorkflow(ctx.container)
        .run({ input: { updates: [{ inventory_item_id: c.sku.inventoryItemId, location_id: ctx.locationId, stocked_quantity: c.quantity }] } })
        .then(() => {
          c.committedAt = Date.now()
        })
        .catch((e) => {
          c.error = (e as Error)?.message ?? String(e)
        })
    )
  }
  await Promise.all(running)
  return changes
}

async function measure(
  ctx: BenchContext,
  label: string,
  skus: CatalogSku[],
  rate: number,
  durationS: number,
  observeCapS: number
): Promise<LagResult> {
  const mark = ctx.recorder.mark()
  const countersBefore = ctx.sim.control.counters()
  ctx.say(`${label}: ${rate} change(s)/s for ${durationS} s on ${Math.round(rate * durationS)} SKUs …`)
  const changes = (await generate(ctx, skus, rate, durationS)).filter((c) => c.committedAt !== undefined)
  const errors = Math.round(rate * durationS) - changes.length
  const committed = changes.map((c) => c.committedAt!)
  const achieved = changes.length > 1 ? (changes.length - 1) / ((Math.max(...committed) - Math.min(...committed)) / 1000) : 0
  const lastCommitted = Math.max(...committed)
  ctx.say(`${label}: ${changes.length} changes committed (${achieved.toFixed(1)}/s achieved); waiting for Amazon's acknowledgements (at most ${observeCapS} s) …`)

  let acks = await acknowledgements(ctx, changes)
  const until = lastCommitted + observeCapS * 1000
  let lastReport = Date.now()
  while (acks.some((a) => a.at === undefined) && Date.now() < until) {
    await sleep(1000)
    acks = await acknowledgements(ctx, changes)
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now()
      ctx.say(`${label}:   ${acks.filter((a) => a.at !== undefined).length}/${changes.length} acknowledged`)
    }
  }
  const observedUntil = Date.now()
  const lags = acks.map((a) => ((a.at ?? observedUntil) - a.change.committedAt!) / 1000)
  const acked = acks.filter((a) => a.at !== undefined)
  const countersAfter = ctx.sim.control.counters()
  const throttled = Object.keys(countersAfter).reduce(
    (n, k) => n + (countersAfter[k].throttledByQuota - (countersBefore[k]?.throttledByQuota ?? 0)),
    0
  )
  const calls = countCalls(ctx, mark)
  const seller = ctx.accountA.seller.sellerId
  const shows = changes.filter((c) => ctx.sim.control.getQuantity(c.sku.sku, seller) === c.quantity).length
  const result: LagResult = {
    label,
    rate_per_s: rate,
    changes: changes.length,
    achieved_rate_per_s: round(achieved, 1),
    acked: acked.length,
    p50_s: round(percentile(lags, 50), 1),
    p95_s: round(percentile(lags, 95), 1),
    max_s: round(Math.max(...lags), 1),
    censored: acked.length < changes.length,
    observed_for_s: round((observedUntil - lastCommitted) / 1000, 0),
    via: { patch: acked.filter((a) => a.via === "patch").length, feed: acked.filter((a) => a.via === "feed").length },
    amazon_shows_new_quantity: shows,
    calls,
    throttled_by_quota: throttled,
    feeds: calls["POST /feeds/2021-06-30/feeds"] ?? 0,
    generator_errors: errors,
  }
  ctx.say(
    `${label}: p50 ${result.p50_s} s, p95 ${result.censored ? "≥ " : ""}${result.p95_s} s; ${acked.length}/${changes.length} acknowledged ` +
      `(${result.via.patch} by patch, ${result.via.feed} in feeds); Amazon shows the new quantity for ${shows}`
  )
  return result
}

export async function runP1(ctx: BenchContext, opts: { p1bDurationS: number; p1bObserveS: number }) {
  // The plugin's push and feed-results jobs, on the cadence a merchant wanting low lag would set:
  // AMAZON_STOCK_PUSH_SCHEDULE="*/2 * * * * *", AMAZON_FEED_RESULTS_SCHEDULE="*/5 * * * * *".
  const push = new JobTicker(amazonPushStockJob, ctx.container, PUSH_EVERY_MS).start()
  const results = new JobTicker(amazonFeedResultsJob, ctx.container, FEED_RESULTS_EVERY_MS).start()
  try {
    const skus = ctx.accountA.skus
    const a = await measure(ctx, "P1a", skus.slice(0, 60), 1, 60, 30)
    const b = await measure(ctx, "P1b", skus.slice(100, 100 + 20 * opts.p1bDurationS), 20, opts.p1bDurationS, opts.p1bObserveS)
    return { a, b, push_runs: push.runs }
  } finally {
    await push.stop()
    await results.stop()
    // Changes still waiting (feed quota) must not leak into the next scenario's push runs.
    const knex = ctx.container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
    await knex.raw("delete from amazon_stock_outbox")
  }
}
