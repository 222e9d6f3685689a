/**
 * P2 runs in a process of its own (started by p2-reconcile.ts), so that
 *  - the memory figure is that of one Medusa process doing the reconcile (not mixed with the other
 *    scenarios' leftovers),
 *  - it can run while the quota-bound scenarios wait on Amazon's quotas (the whole benchmark has to fit in
 *    15 minutes, and the 100,000-SKU reconcile alone takes minutes), in a database of its own, since the
 *    stock outbox is global to a store: the other scenarios' push jobs must not drain its rows,
 *  - and it can be stopped at the deadline.
 *
 * It boots the demo stack (fresh database `<db>_p2`, migrations, simulator, Medusa with the plugin), writes
 * a 100,000-SKU catalogue with bulk SQL (not measured), then measures what the reconcile job does:
 * reconcileAmazonStockWorkflow, then pushAmazonStockWorkflow until the outbox is drained, the runs
 * RUN_GAP_MS apart (the pause is not counted in any time figure).
 * Progress goes to stdout ("P2: …"), the result as JSON to the file given with --result.
 */
import "../lib/env"
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { startStack } from "../../demo/stack"
import { pushAmazonStockWorkflow } from "../../src/workflows/stock-push/push-amazon-stock"
import { reconcileAmazonStockWorkflow } from "../../src/workflows/stock-push/reconcile-amazon-stock"
import { createBenchAccount, seedCatalog } from "../lib/catalog"
import { JOB_SCHEDULE_ENV, PARKED_CRON } from "../lib/env"
import { FetchRecorder } from "../lib/fetch-recorder"
import { RssSampler, round } from "../lib/stats"
import { StepTimer } from "../lib/step-timer"
import { freePort } from "../lib/boot"

/**
 * Pause between push runs, excluded from every time figure. The push job runs once a minute in
 * production, so its runs are never back to back; 20 s (a third of that) lets V8 collect one run's garbage
 * before the next starts, as it does between real runs. 0 = back to back (reported in details as well).
 */
const RUN_GAP_MS = Number(process.env.BENCH_P2_RUN_GAP_MS ?? 20_000)

const { values } = parseArgs({ options: { skus: { type: "string" }, result: { type: "string" }, db: { type: "string" } } })
const SKUS = Number(values.skus ?? 100_000)
const started = Date.now()
const say = (line: string) => process.stdout.write(`P2: ${line}\n`)

async function main() {
  const recorder = new FetchRecorder()
  recorder.install()
  const stack = await startStack({
    dbName: values.db ?? "medusa_amazon_bench_p2",
    port: await freePort(),
    admin: false,
    // Time scale 1; its feeds stay queued (processing 100,000 messages is not what P2 measures).
    simulator: { timeScale: 1, feedTiming: { queueMs: 6 * 3_600_000, processingMs: 60_000 } },
    env: { ...Object.fromEntries(JOB_SCHEDULE_ENV.map((k) => [k, PARKED_CRON])), LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
    log: (l) => say(`boot: ${l}`),
  })
  recorder.watch(stack.sim.url)
  const { container, sim } = stack
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  try {
    const {
      result: [location],
    } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "P2 warehouse" }] } })
    const { accountId, seller } = await createBenchAccount(container, sim, "P2", { stock_location_ids: [location.id] })
    const seedStarted = Date.now()
    await seedCatalog(container, {
      tag: "P2",
      count: SKUS,
      accountId,
      sellerId: seller.sellerId,
      locationId: location.id,
      inSync: false,
      seedSimulator: false,
      sim,
    })
    say(`seeded ${SKUS.toLocaleString("en")} mapped SKUs with bulk SQL in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s (not measured); reconciling …`)

    const timer = new StepTimer()
    const mark = recorder.mark()
    const rss = new RssSampler()
    const t0 = performance.now()
    const { result: queued } = await reconcileAmazonStockWorkflow(container).run({ input: { account_id: accountId }, events: timer.events() } as any)
    const timeline: { what: string; at_s: number; feeds?: number; outbox_left?: number }[] = [{ what: "reconcile queued every SKU", at_s: round((performance.now() - t0) / 1000, 1) }]
    say(`reconcile queued ${queued.enqueued} SKUs in ${timeline[0].at_s} s`)
    let runs = 0
    let left = Infinity
    let feedsSoFar = 0
    let idleMs = 0
    while (runs < 6) {
      runs++
      const { result } = await pushAmazonStockWorkflow(container).run({ input: {}, events: timer.events() } as any)
      const before = left
      left = Number((await knex("amazon_stock_outbox").count({ n: "*" }))[0].n)
      feedsSoFar += result.feeds.length
      timeline.push({ what: `push run ${runs}`, at_s: round((performance.now() - t0 - idleMs) / 1000, 1), feeds: feedsSoFar, outbox_left: left })
      say(`push run ${runs}: ${result.candidates} candidates, ${result.fed} in ${result.feeds.length} feed(s), ${result.patched} patched, ${result.deferred} deferred; ${left} left (${timeline[timeline.length - 1].at_s} s)`)
      if (left === 0 || result.outbox_completed === 0 || left >= before) break
      // The push job runs once a minute: the next run starts a little later (not counted as build time).
      const idle = performance.now()
      await new Promise((r) => setTimeout(r, RUN_GAP_MS))
      idleMs += performance.now() - idle
    }
    const wall = (performance.now() - t0 - idleMs) / 1000
    const mem = rss.stop()
    const http = recorder.since(mark)
    const httpS = http.reduce((s, c) => s + (c.end - c.start), 0) / 1000
    const feeds: { message_count: number }[] = await knex("amazon_feed").select("message_count").where({ account_id: accountId }).whereNotNull("submitted_at")
    const result = {
      skus: SKUS,
      wall_s: round(wall, 1),
      amazon_http_s: round(httpS, 2),
      local_s: round(wall - httpS, 1),
      gap_between_runs_s: RUN_GAP_MS / 1000,
      push_runs: runs,
      feeds: feeds.length,
      messages: feeds.reduce((s, f) => s + f.message_count, 0),
      outbox_left: left,
      rss: mem,
      steps: timer.summary(),
      timeline,
      process_s: round((Date.now() - started) / 1000, 0),
    }
    if (values.result) writeFileSync(values.result, JSON.stringify(result))
    say(`done: ${result.feeds} feeds, ${result.local_s} s local build time, RSS ${mem.baselineMb} → ${mem.peakMb} MB`)
  } finally {
    await stack.stop().catch(() => undefined)
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    process.stderr.write(`P2 failed: ${(e as Error)?.stack ?? String(e)}\n`)
    process.exit(1)
  })
