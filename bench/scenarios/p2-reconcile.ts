/**
 * P2: a full reconcile of a 100,000-SKU catalogue: feeds used, local build time, peak memory (RSS).
 *
 * The catalogue (100,000 mapped merchant-fulfilled SKUs with stock at one location) is written with bulk
 * SQL (not measured). Nothing was ever sent to Amazon for it (a first full sync after connecting a large
 * catalogue), so every SKU has to go out: the worst case of the daily reconcile. What is measured is what
 * the reconcile job does — reconcileAmazonStockWorkflow (queue every mapped SKU) then pushAmazonStockWorkflow
 * — with the push repeated back to back until the outbox is drained (in production the next runs of the
 * push job would pick up the rest, one minute apart; that waiting is not counted).
 *
 * It runs against a simulator of its own (a separate seller, time scale 1) whose feeds stay queued, so
 * the 100,000 messages are not processed inside this process while the next scenarios are measured.
 *
 * Guard: at this scale a super-linear step would tie PostgreSQL up for many minutes (a query that cannot
 * be cancelled), so the path is first probed with 2,000 and 4,000 SKUs and the feed-submission step's
 * growth is extrapolated; if the full run would take far longer than the budget, it is not started and
 * the probe's measurements and the projection are reported instead.
 */
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { pushAmazonStockWorkflow } from "../../src/workflows/stock-push/push-amazon-stock"
import { reconcileAmazonStockWorkflow } from "../../src/workflows/stock-push/reconcile-amazon-stock"
import { startSimulator, type SimulatorHandle } from "../../simulator"
import { createBenchAccount, seedCatalog } from "../lib/catalog"
import type { BenchContext } from "../lib/context"
import { RssSampler, round } from "../lib/stats"
import { StepTimer } from "../lib/step-timer"

export const P2_SKUS = 100_000
const SUBMIT_STEP = "amazon-submit-quantity-feeds"

interface ReconcileRun {
  skus: number
  wall_s: number
  /** Time spent inside HTTP calls to the simulator (Amazon's side). */
  amazon_http_s: number
  local_s: number
  push_runs: number
  feeds: number
  messages: number
  outbox_left: number
  rss: { baselineMb: number; peakMb: number; increaseMb: number }
  steps: { step: string; ms: number; count: number }[]
  reconcile: { listings: number; enqueued: number }
}

async function reconcile(ctx: BenchContext, sim: SimulatorHandle, tag: string, skus: number): Promise<ReconcileRun> {
  const { container } = ctx
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const { accountId, seller } = await createBenchAccount(container, sim, tag, { stock_location_ids: [ctx.locationId] })
  await seedCatalog(container, {
    tag,
    count: skus,
    accountId,
    sellerId: seller.sellerId,
    locationId: ctx.locationId,
    inSync: false,
    seedSimulator: false,
    sim,
  })
  await knex.raw("delete from amazon_stock_outbox")
  // Give the collector a clean start, so the baseline is the app's, not the seeding's garbage.
  ;(global as any).gc?.()

  const timer = new StepTimer()
  const mark = ctx.recorder.mark()
  const rss = new RssSampler()
  const started = performance.now()
  const { result: queued } = await reconcileAmazonStockWorkflow(container).run({ input: { account_id: accountId }, events: timer.events() } as any)
  let runs = 0
  let left = Infinity
  for (; runs < 6; ) {
    runs++
    const { result } = await pushAmazonStockWorkflow(container).run({ input: {}, events: timer.events() } as any)
    const [{ n }] = await knex("amazon_stock_outbox").count({ n: "*" })
    const before = left
    left = Number(n)
    if (left === 0 || result.outbox_completed === 0 || left >= before) break
  }
  const wall = (performance.now() - started) / 1000
  const mem = rss.stop()
  const http = ctx.recorder.since(mark, (c) => c.origin === new URL(sim.url).origin)
  const httpS = http.reduce((s, c) => s + (c.end - c.start), 0) / 1000
  const feeds: { id: string; message_count: number }[] = await knex("amazon_feed")
    .select("id", "message_count")
    .where({ account_id: accountId })
    .whereNotNull("submitted_at")
  return {
    skus,
    wall_s: round(wall, 2),
    amazon_http_s: round(httpS, 2),
    local_s: round(wall - httpS, 2),
    push_runs: runs,
    feeds: feeds.length,
    messages: feeds.reduce((s, f) => s + f.message_count, 0),
    outbox_left: left,
    rss: mem,
    steps: timer.summary(),
    reconcile: queued as { listings: number; enqueued: number },
  }
}

function stepMs(run: ReconcileRun, step: string) {
  return run.steps.find((s) => s.step === step)?.ms ?? 0
}

export async function runP2(ctx: BenchContext, opts: { budgetS: number }) {
  const { say } = ctx
  const sim = await startSimulator({ timeScale: 1, feedTiming: { queueMs: 6 * 3_600_000, processingMs: 60_000 } })
  ctx.extraSims.push(sim)
  ctx.recorder.watch(sim.url)

  say("P2: probing the reconcile path with 2,000 and 4,000 SKUs …")
  const small = await reconcile(ctx, sim, "P2S", 2_000)
  const large = await reconcile(ctx, sim, "P2L", 4_000)
  const s1 = Math.max(stepMs(small, SUBMIT_STEP), 1)
  const s2 = Math.max(stepMs(large, SUBMIT_STEP), 1)
  // Growth exponent of one feed's submission with its size; at least linear, at most cubic.
  const k = Math.min(3, Math.max(1, Math.log2(s2 / s1)))
  const feedsFor100k = Math.ceil(P2_SKUS / 25_000)
  const projectedSubmitS = (feedsFor100k * s2 * (25_000 / 4_000) ** k) / 1000
  const projectedOtherS = ((large.wall_s * 1000 - s2) * (P2_SKUS / 4_000)) / 1000
  const projectedS = projectedSubmitS + projectedOtherS
  say(
    `P2: probe: 2,000 SKUs ${small.wall_s} s, 4,000 SKUs ${large.wall_s} s; feed submission step ${s1} → ${s2} ms (growth ~n^${k.toFixed(2)}); ` +
      `projected for 100,000: ${projectedS.toFixed(0)} s`
  )
  const probe = {
    sku_2000: small,
    sku_4000: large,
    submit_step_growth_exponent: round(k, 2),
    projected_100k_s: round(projectedS, 0),
    projection: `${feedsFor100k} feeds × submit(4,000) × (25,000/4,000)^k + the other steps × 25 (linear)`,
  }

  const budget = Math.min(opts.budgetS, ctx.remainingS() - 60)
  if (projectedS > budget) {
    say(`P2: NOT running the 100,000-SKU reconcile: the projection (${projectedS.toFixed(0)} s) is beyond the ${budget.toFixed(0)} s left for it`)
    return {
      ran: false,
      P2_feeds: null as number | null,
      P2_build_s: round(projectedS, 0),
      P2_rss_mb: null as number | null,
      details: { status: "not run (projected)", probe, budget_s: round(budget, 0) },
    }
  }

  say(`P2: full reconcile of ${P2_SKUS.toLocaleString("en")} SKUs (seeding with bulk SQL, not measured) …`)
  const full = await reconcile(ctx, sim, "P2", P2_SKUS)
  say(
    `P2: ${full.feeds} feeds (${full.messages} messages), ${full.wall_s} s wall (${full.local_s} s local, ${full.amazon_http_s} s in calls to the simulator), ` +
      `${full.push_runs} push run(s), RSS ${full.rss.baselineMb} → peak ${full.rss.peakMb} MB (+${full.rss.increaseMb} MB)`
  )
  return {
    ran: true,
    P2_feeds: full.feeds,
    P2_build_s: full.local_s,
    P2_rss_mb: full.rss.increaseMb,
    details: { status: full.outbox_left === 0 ? "measured" : `measured, ${full.outbox_left} outbox rows left`, full, probe },
  }
}
