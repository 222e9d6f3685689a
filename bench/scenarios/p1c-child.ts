/**
 * P1c / P1d (issue 18, the closed loop) in a process of its own, with the plugin's shipped stock settings:
 * the stock push job every minute, the feed-results job every minute, the push-soon trigger (a push ~1 s
 * after store stock events stop arriving, at most 5 s after the first) and the read-backs of accepted
 * quantities at 5 s, 30 s, 2 min, 10 min. A job reads its schedule when Medusa loads it, and the
 * benchmark's own process has every job parked (env.ts), so this child boots its own stack (fresh database
 * `<db>_p1c`, migrations, the simulator at time scale 1 with the stack's feed timing: 10 s in queue, 20 s
 * processing, Medusa with the plugin) without any of those variables set (env-stock-defaults.ts). The
 * plugin's other jobs (orders, FBA, status samples, buyer data, order actions, the daily reconcile) are
 * parked as in the other phases. Nothing here runs a job or workflow of the plugin: the scenario only
 * changes store stock and watches the plugin's records.
 *
 * One change per second for 60 s (`updateInventoryLevelsWorkflow`, a different mapped SKU each time), then
 * observed until every change is confirmed or `--observe` seconds (120) after the last change. Per change,
 * from the moment its store change committed:
 *  - acknowledged (P1c, as P1a): amazon_listing.last_accepted_at with the new quantity (patch ACCEPTED), or
 *    amazon_feed.submitted_at of the first feed carrying it, whichever first;
 *  - confirmed (P1d): amazon_listing.confirm_status = 'confirmed' with amazon_quantity = the new quantity,
 *    at the row's updated_at of that write (PostgreSQL now() of the confirmation's transaction; each SKU
 *    changes once, so nothing writes the row after it). Recorded the first time it is seen (polled every 0.5 s).
 * Not acknowledged / confirmed within the window: counted with the observation time (censored).
 */
import "../lib/env-stock-defaults"
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { seedTestStore } from "../../integration-tests/helpers/store-seed"
import { startStack } from "../../demo/stack"
import { PARKED_CRON } from "../lib/env"
import { PARKED_JOB_ENV, STOCK_DEFAULT_ENV } from "../lib/env-stock-defaults"
import { createBenchAccount, seedCatalog } from "../lib/catalog"
import { FetchRecorder } from "../lib/fetch-recorder"
import { percentile, round, sleep } from "../lib/stats"
import { acknowledgements, generate, type Change } from "./p1-lag"
import { freePort } from "../lib/boot"

const { values } = parseArgs({
  options: {
    result: { type: "string" },
    db: { type: "string" },
    seconds: { type: "string" },
    observe: { type: "string" },
  },
})
const SECONDS = Number(values.seconds ?? 60)
const OBSERVE_S = Number(values.observe ?? 120)
const say = (line: string) => process.stdout.write(`P1C: ${line}\n`)

function summary(lags: number[], done: number, total: number) {
  return {
    p50_s: round(percentile(lags, 50), 1),
    p95_s: round(percentile(lags, 95), 1),
    max_s: round(Math.max(...lags), 1),
    done,
    censored: total - done,
  }
}

async function main() {
  const recorder = new FetchRecorder()
  recorder.install()
  const stack = await startStack({
    dbName: values.db ?? "medusa_amazon_bench_p1c",
    port: await freePort(),
    admin: false,
    // The same simulator as the main stack: time scale 1, feeds 10 s in queue and 20 s processing.
    simulator: { timeScale: 1, feedTiming: { queueMs: 10_000, processingMs: 20_000 } },
    env: { ...Object.fromEntries(PARKED_JOB_ENV.map((k) => [k, PARKED_CRON])), LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
    log: (l) => say(`boot: ${l}`),
  })
  recorder.watch(stack.sim.url)
  const { container, sim } = stack
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  try {
    // What the plugin runs with, read from its own modules now that Medusa loaded them.
    const pushJob = require("../../src/jobs/amazon-push-stock")
    const resultsJob = require("../../src/jobs/amazon-feed-results")
    const pushSoon = require("../../src/workflows/stock-push/utils/push-soon")
    const confirmation = require("../../src/lib/stock/confirmation")
    const settings = {
      push_job_schedule: pushJob.config.schedule as string,
      feed_results_job_schedule: resultsJob.config.schedule as string,
      push_soon: pushSoon.pushSoonSettings(),
      confirm_delays_ms: confirmation.confirmDelays() as number[],
      env_set: Object.fromEntries(STOCK_DEFAULT_ENV.map((k) => [k, process.env[k] ?? null])),
    }
    say(
      `defaults: push job "${settings.push_job_schedule}", feed results "${settings.feed_results_job_schedule}", push-soon ` +
        `${settings.push_soon.enabled ? `${settings.push_soon.debounceMs} ms / max ${settings.push_soon.maxDelayMs} ms` : "off"}, read-backs ${settings.confirm_delays_ms.join(", ")} ms`
    )

    const store = await seedTestStore(container, { locationNames: ["P1C warehouse"] })
    const locationId = store.locationIds[0]
    const { accountId, seller } = await createBenchAccount(container, sim, "C", { stock_location_ids: [locationId] })
    const skus = await seedCatalog(container, { tag: "C", count: 200, accountId, sellerId: seller.sellerId, locationId, inSync: true, sim })
    say(`seeded: a store, account C with 200 mapped SKUs in sync with Amazon; ${SECONDS} changes at 1/s …`)

    const mark = recorder.mark()
    const countersBefore = sim.control.counters()
    const confirmedAt = new Map<string, number>()
    const readBackAt = new Map<string, number>()
    let changes: Change[] = []
    let polling = true
    const poll = async (list: Change[]) => {
      const rows: { id: string; confirm_status: string | null; amazon_quantity: number | null; amazon_quantity_at: Date | null; updated_at: Date }[] = await knex("amazon_listing")
        .select("id", "confirm_status", "amazon_quantity", "amazon_quantity_at", "updated_at")
        .whereIn(
          "id",
          list.map((c) => c.sku.listingId)
        )
      const byId = new Map(rows.map((r) => [r.id, r]))
      for (const c of list) {
        const r = byId.get(c.sku.listingId)
        if (!r || confirmedAt.has(c.sku.listingId)) continue
        if (r.confirm_status === "confirmed" && r.amazon_quantity === c.quantity) {
          confirmedAt.set(c.sku.listingId, new Date(r.updated_at).getTime())
          if (r.amazon_quantity_at) readBackAt.set(c.sku.listingId, new Date(r.amazon_quantity_at).getTime())
        }
      }
    }
    // Polls while the changes are made too, so a confirmation's row is read soon after its write.
    const planned = skus.slice(0, SECONDS)
    // the quantities generate() sets (p1-lag.ts): 1-3 units fewer, never 0
    const expected = planned.map((sku, i) => ({ sku, quantity: Math.max(1, sku.stock - 1 - (i % 3)), plannedAt: 0 }))
    const poller = (async () => {
      while (polling) {
        await sleep(500)
        await poll(expected).catch(() => undefined)
      }
    })()
    const t0 = Date.now()
    changes = (await generate({ container, locationId }, planned, 1, SECONDS)).filter((c) => c.committedAt !== undefined)
    const errors = planned.length - changes.length
    const lastCommitted = Math.max(...changes.map((c) => c.committedAt!))
    say(`${changes.length} changes committed in ${round((lastCommitted - t0) / 1000, 0)} s; waiting until Amazon shows them (at most ${OBSERVE_S} s) …`)

    const until = lastCommitted + OBSERVE_S * 1000
    let acks = await acknowledgements({ container }, changes)
    let lastReport = Date.now()
    while (Date.now() < until && (confirmedAt.size < changes.length || acks.some((a) => a.at === undefined))) {
      await sleep(1000)
      acks = await acknowledgements({ container }, changes)
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now()
        say(`  ${acks.filter((a) => a.at !== undefined).length}/${changes.length} acknowledged, ${confirmedAt.size} confirmed`)
      }
    }
    polling = false
    await poller
    await poll(changes)
    const observedUntil = Date.now()
    const pushRuns = pushSoon.currentStockPushTrigger()?.runs ?? 0

    const perChange = changes.map((c, i) => {
      const ack = acks[i]
      const conf = confirmedAt.get(c.sku.listingId)
      return {
        sku: c.sku.sku,
        quantity: c.quantity,
        committed_s: round((c.committedAt! - t0) / 1000, 1),
        ack_s: ack.at !== undefined ? round((ack.at - c.committedAt!) / 1000, 1) : null,
        via: ack.at !== undefined ? ack.via : null,
        confirmed_s: conf !== undefined ? round((conf - c.committedAt!) / 1000, 1) : null,
        read_back_started_s: readBackAt.has(c.sku.listingId) ? round((readBackAt.get(c.sku.listingId)! - c.committedAt!) / 1000, 1) : null,
      }
    })
    const cap = (at: number | undefined, c: Change) => ((at ?? observedUntil) - c.committedAt!) / 1000
    const ackLags = changes.map((c, i) => cap(acks[i].at, c))
    const confLags = changes.map((c) => cap(confirmedAt.get(c.sku.listingId), c))
    const acked = acks.filter((a) => a.at !== undefined).length

    const countersAfter = sim.control.counters()
    const throttled: Record<string, number> = {}
    const amazonCalls: Record<string, number> = {}
    for (const [op, n] of Object.entries(countersAfter)) {
      const t = n.throttledByQuota - (countersBefore[op]?.throttledByQuota ?? 0)
      if (t) throttled[op] = t
      const calls = n.calls - (countersBefore[op]?.calls ?? 0)
      if (calls) amazonCalls[op] = calls
    }
    const shows = changes.filter((c) => sim.control.getQuantity(c.sku.sku, seller.sellerId) === c.quantity).length
    const feeds = recorder.since(mark, (c) => c.method === "POST" && c.path === "/feeds/2021-06-30/feeds").length
    const result = {
      settings,
      time_scale: 1,
      simulator_feed_timing: { queue_s: 10, processing_s: 20 },
      changes: changes.length,
      generator_errors: errors,
      observed_for_s: round((observedUntil - lastCommitted) / 1000, 0),
      P1c: { ...summary(ackLags, acked, changes.length), via: { patch: acks.filter((a) => a.at !== undefined && a.via === "patch").length, feed: acks.filter((a) => a.at !== undefined && a.via === "feed").length } },
      P1d: summary(confLags, confirmedAt.size, changes.length),
      amazon_shows_new_quantity: shows,
      push_soon_runs: pushRuns,
      feeds_submitted: feeds,
      amazon_calls_by_operation: amazonCalls,
      throttled_by_quota: throttled,
      per_change: perChange,
    }
    if (values.result) writeFileSync(values.result, JSON.stringify(result))
    say(
      `acknowledged ${acked}/${changes.length}: p50 ${result.P1c.p50_s} s, p95 ${result.P1c.p95_s} s; confirmed ${confirmedAt.size}/${changes.length}: ` +
        `p50 ${result.P1d.p50_s} s, p95 ${result.P1d.p95_s} s; ${pushRuns} push-soon runs, ${feeds} feeds`
    )
  } finally {
    await stack.stop().catch(() => undefined)
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    process.stderr.write(`P1C failed: ${(e as Error)?.stack ?? String(e)}\n`)
    process.exit(1)
  })
