/**
 * P3: quota use with a backlog, at Amazon's real quotas (time scale 1).
 *
 * The backlog: a store sells out of 250 SKUs at once (a flash sale ends, or a stock take finds the shelf
 * empty) — one `updateInventoryLevelsWorkflow` sets their stock to 0. Every one is an urgent zero-out
 * (Amazon keeps selling until it learns), so the plugin sends them through patchListingsItem, whose
 * usage plan is 5 requests per second with a burst of 5 per seller. The account allows the whole
 * backlog as patches in one run (settings.push.max_patches_per_run = 300; the default of 10 would send
 * the rest in a feed, which is P1b's subject), and the plugin's push job runs once.
 *
 * Quota use = patch calls made ÷ the most Amazon's bucket allows over the same interval:
 * burst + rate × (last call − first call) = 5 + 5 × T (the bucket is full at the first call: a fresh
 * seller). 429s beyond the burst = the simulator's throttledByQuota for patchListingsItem in the phase.
 */
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import amazonPushStockJob from "../../src/jobs/amazon-push-stock"
import { pushSoonSettings } from "../../src/workflows/stock-push/utils/push-soon"
import { createBenchAccount, seedCatalog } from "../lib/catalog"
import type { BenchContext } from "../lib/context"
import { round, sleep } from "../lib/stats"

export const P3_BACKLOG = 250
const PATCH = { rate: 5, burst: 5 }
const PATCH_KEY = "listings-items-2021-08-01.patchListingsItem"

export async function runP3(ctx: BenchContext) {
  const { container, say } = ctx
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const { accountId, seller } = await createBenchAccount(container, ctx.sim, "C", {
    stock_location_ids: [ctx.locationId],
    push: { max_patches_per_run: 300 },
  })
  const skus = await seedCatalog(container, {
    tag: "C",
    count: P3_BACKLOG,
    accountId,
    sellerId: seller.sellerId,
    locationId: ctx.locationId,
    inSync: true,
    stockOf: (i) => 1 + (i % 4),
    sim: ctx.sim,
  })

  say(`P3: ${P3_BACKLOG} SKUs sell out at once; waiting for the subscriber to queue them …`)
  await updateInventoryLevelsWorkflow(container).run({
    input: { updates: skus.map((s) => ({ inventory_item_id: s.inventoryItemId, location_id: ctx.locationId, stocked_quantity: 0 })) },
  })
  // The subscriber records one amazon_stock_event per inventory level; only the push resolves them into the
  // outbox (the push-soon trigger is off here): wait until all 250 are recorded, at most 10 s.
  const queueStarted = Date.now()
  let recorded = 0
  for (let i = 0; i < 100; i++) {
    const [{ n }] = (await knex.raw(`select count(*)::int as n from amazon_stock_event where kind = 'inventory_level'`)).rows
    recorded = Number(n)
    if (recorded >= P3_BACKLOG) break
    await sleep(100)
  }
  const queueWaitS = (Date.now() - queueStarted) / 1000

  const before = ctx.sim.control.counters()[PATCH_KEY] ?? { calls: 0, throttledByQuota: 0, throttled: 0, succeeded: 0 }
  const mark = ctx.recorder.mark()
  const started = Date.now()
  say(`P3: the push job drains the backlog through patchListingsItem (5/s, burst 5) …`)
  await amazonPushStockJob(container)
  const wall = (Date.now() - started) / 1000
  const after = ctx.sim.control.counters()[PATCH_KEY]
  const patchPath = `/listings/2021-08-01/items/${seller.sellerId}/`
  const calls = ctx.recorder.since(mark, (c) => c.path.startsWith(patchPath))
  const first = Math.min(...calls.map((c) => c.start))
  const last = Math.max(...calls.map((c) => c.start))
  const elapsed = (last - first) / 1000
  const optimum = PATCH.burst + PATCH.rate * elapsed
  const accepted: { n: string }[] = await knex("amazon_listing")
    .count({ n: "*" })
    .where({ account_id: accountId, last_accepted_quantity: 0 })
  const zeroOnAmazon = skus.filter((s) => ctx.sim.control.getQuantity(s.sku, seller.sellerId) === 0).length
  const result = {
    P3_quota_use: round(calls.length / optimum, 3),
    P3_429_beyond_burst: after.throttledByQuota - before.throttledByQuota,
    details: {
      backlog: `${P3_BACKLOG} urgent zero-outs (stock → 0 in one updateInventoryLevelsWorkflow), one push job run, settings.push.max_patches_per_run = 300`,
      usage_plan: "patchListingsItem: rate 5/s, burst 5 (Amazon's documented plan; simulator at time scale 1)",
      calls: calls.length,
      simulator_calls: after.calls - before.calls,
      first_to_last_call_s: round(elapsed, 2),
      optimum_calls: round(optimum, 1),
      optimum_formula: "burst + rate × (last call start − first call start) = 5 + 5 × T",
      achieved_rate_per_s: round((calls.length - PATCH.burst) / elapsed, 3),
      throttled_total: after.throttled - before.throttled,
      push_run_wall_s: round(wall, 1),
      queued_before_push: recorded,
      queue_wait_s: round(queueWaitS, 1),
      // the main stack runs with the trigger off (bench/run.ts): its runs would hold the push lock
      push_soon_trigger: pushSoonSettings().enabled ? "on" : "off",
      accepted_in_plugin_records: Number(accepted[0]?.n ?? 0),
      amazon_shows_zero: zeroOnAmazon,
      why_below_1: "the SP-API client paces each operation at its rate ÷ 1.03 (3 % safety margin against clock skew), so the ceiling is ≈ 0.97",
    },
  }
  say(
    `P3: ${calls.length} patch calls in ${elapsed.toFixed(1)} s (optimum ${optimum.toFixed(0)}) → quota use ${result.P3_quota_use}; ` +
      `${result.P3_429_beyond_burst} quota 429s; Amazon shows 0 for ${zeroOnAmazon}/${P3_BACKLOG}`
  )
  await knex.raw("delete from amazon_stock_outbox")
  return result
}
