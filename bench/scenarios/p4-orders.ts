/**
 * P4: importing a 10,000-order backlog from Amazon.
 *
 * The backlog: a seller connects the plugin (or it was down for a day) while 10,000 orders were placed or
 * updated in the last 20 hours — 70 % UNSHIPPED, 20 % SHIPPED, 5 % PENDING, 5 % CANCELLED, one or two
 * lines each on 20 mapped SKUs. They are seeded straight into a simulator of their own (seedOrders),
 * whose clock runs `timeScale` times faster than real time, so searchOrders' usage plan (burst 20, then
 * 0.0056 requests/s) is compressed by the same factor.
 *
 * The import runs as the plugin's job runs it — importAmazonOrders, no waiting for quota —
 * started again as soon as a run ends (a schedule so frequent that only the quota and the import's own
 * speed limit it), one page per run (max_pages: 1) so that the bench can stop between pages.
 *
 * Quota-limited minimum: 10,000 orders / 100 per page = 100 searchOrders calls; the first 20 use the
 * burst, the other 80 each wait one token: (100 − 20) / (0.0056 × timeScale) seconds.
 * Ratio = time to import everything ÷ that minimum. The import is given 1.5 × that minimum as its time
 * box; when it cannot import everything in it (a page is only started if it can end in time), the time
 * for the whole backlog is projected from the measured import rate (and flagged as projected).
 * Duplicates: amazon_order rows minus distinct Amazon order ids, plus Medusa orders beyond one per
 * Amazon order id (order.metadata.amazon_order_id).
 *
 * Where the time goes: 12 orders of a second seller are applied with applyAmazonOrderWorkflow directly
 * (the workflow the import runs for updates and for what a batch hands back) with per-step timing, and 12
 * more four at a time; a third seller's page of 100 new orders is applied with
 * applyAmazonOrderBatchWorkflow (what the import runs for a page's new orders), timed with its steps.
 */
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import type { IInventoryService } from "@medusajs/framework/types"
import { startSimulator, type OrderSeed, type SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { ORDER_INCLUDED_DATA } from "../../src/lib/amazon/orders"
import { applyAmazonOrderWorkflow } from "../../src/workflows/order-import/apply-amazon-order"
import { applyAmazonOrderBatchWorkflow } from "../../src/workflows/order-import/apply-amazon-order-batch"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import { createBenchAccount, DE, type BenchSeller } from "../lib/catalog"
import type { BenchContext } from "../lib/context"
import { mean, percentile, round, sleep } from "../lib/stats"
import { StepTimer } from "../lib/step-timer"

const SEARCH_ORDERS = { rate: 0.0056, burst: 20, pageSize: 100 }
const SEARCH_KEY = "orders-2026-01-01.searchOrders"

function seededRandom(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function backlog(seller: BenchSeller, skus: string[], count: number, now: number, seed: number): OrderSeed[] {
  const rnd = seededRandom(count + seed)
  const span = 20 * 3_600_000
  const seeds: OrderSeed[] = []
  for (let i = 0; i < count; i++) {
    const created = now - 10 * 60_000 - span + Math.floor((span * i) / count)
    const r = rnd()
    const status = r < 0.7 ? "UNSHIPPED" : r < 0.9 ? "SHIPPED" : r < 0.95 ? "PENDING" : "CANCELLED"
    const lines = rnd() < 0.7 ? 1 : 2
    const first = Math.floor(rnd() * skus.length)
    seeds.push({
      sellerId: seller.sellerId,
      createdTime: new Date(created).toISOString().replace(/\.\d{3}Z$/, "Z"),
      lastUpdatedTime: new Date(created + 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      fulfillmentStatus: status as OrderSeed["fulfillmentStatus"],
      buyer: { buyerEmail: `buyer${i}@marketplace.amazon.de`, buyerName: `Käufer ${i}` } as any,
      recipient: {
        deliveryAddress: { name: `Käufer ${i}`, addressLine1: `Hauptstr. ${1 + (i % 200)}`, city: "München", postalCode: "80331", countryCode: "DE" },
      } as any,
      orderItems: Array.from({ length: lines }, (_, k) => ({
        sellerSku: skus[(first + k * 7) % skus.length],
        quantityOrdered: 1 + Math.floor(rnd() * 2),
        unitPrice: (9.9 + ((first + k) % 10) * 2).toFixed(2),
        shippingPrice: "3.90",
      })),
    })
  }
  return seeds
}

/**
 * Products sold on Amazon: 20 published variants with plenty of stock, mapped to each account's listings
 * (SKUs `<prefix>-SKU-00` … `-19`; P6 seeds its own with another prefix).
 */
export async function seedProducts(ctx: BenchContext, sim: SimulatorHandle, accounts: { accountId: string; seller: BenchSeller }[], prefix = "P4") {
  const { container } = ctx
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  const skus = Array.from({ length: 20 }, (_, i) => `${prefix}-SKU-${String(i).padStart(2, "0")}`)
  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: skus.map((sku) => ({
        title: `${prefix} ${sku}`,
        status: "published" as const,
        options: [{ title: "Size", values: ["One"] }],
        variants: [{ title: "One", sku, manage_inventory: true, options: { Size: "One" }, prices: [{ currency_code: "eur", amount: 25 }] }],
      })),
    },
  })
  const variantIds = products.map((p) => p.variants[0].id)
  const { data } = await query.graph({ entity: "product_variant", fields: ["id", "sku", "inventory_items.inventory_item_id"], filters: { id: variantIds } })
  await inventory.createInventoryLevels(
    (data as any[]).map((v) => ({ inventory_item_id: v.inventory_items[0].inventory_item_id, location_id: ctx.locationId, stocked_quantity: 1_000_000 }))
  )
  const bySku = new Map((data as any[]).map((v) => [v.sku as string, v.id as string]))
  for (const a of accounts) {
    const listings = await amazon.createAmazonListings(skus.map((sku) => ({ account_id: a.accountId, marketplace_id: DE, seller_sku: sku, fulfillment_channel: "MERCHANT" as const })))
    await link.create(listings.map((l) => ({ [AMAZON_MODULE]: { amazon_listing_id: l.id }, [Modules.PRODUCT]: { product_variant_id: bySku.get(l.seller_sku)! } })))
    sim.control.seedListings(skus.map((sku) => ({ sellerId: a.seller.sellerId, sku, quantity: 1000, price: { amount: "19.90" } })))
  }
  return skus
}

/** The raw orders of a seller as searchOrders returns them (what the import hands to applyAmazonOrderWorkflow). */
async function fetchRawOrders(sim: SimulatorHandle, seller: BenchSeller): Promise<unknown[]> {
  const tokenRes = await fetch(`${sim.url}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: seller.refreshToken, client_id: seller.clientId, client_secret: seller.clientSecret }),
  })
  const { access_token } = (await tokenRes.json()) as { access_token: string }
  const after = new Date(sim.control.now() - 23 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z")
  const url = `${sim.url}/orders/2026-01-01/orders?lastUpdatedAfter=${after}&marketplaceIds=${DE}&maxResultsPerPage=100&includedData=${ORDER_INCLUDED_DATA.join(",")}`
  const res = await fetch(url, { headers: { "x-amz-access-token": access_token } })
  const body = (await res.json()) as { orders: unknown[] }
  return body.orders
}

async function profileApply(ctx: BenchContext, sim: SimulatorHandle, account: { accountId: string; seller: BenchSeller }, skus: string[]) {
  sim.control.seedOrders(backlog(account.seller, skus, 24, sim.control.now(), 5).map((s) => ({ ...s, fulfillmentStatus: "UNSHIPPED" as const })))
  const orders = await fetchRawOrders(sim, account.seller)
  const timer = new StepTimer()
  const sequential: number[] = []
  const outcomes: Record<string, number> = {}
  const apply = async (order: unknown, events?: ReturnType<StepTimer["events"]>) => {
    const t = performance.now()
    const { result } = await applyAmazonOrderWorkflow(ctx.container).run({
      input: { account_id: account.accountId, marketplace_id: DE, order },
      throwOnError: false,
      ...(events ? { events } : {}),
    } as any)
    outcomes[(result as any)?.outcome ?? "failed"] = (outcomes[(result as any)?.outcome ?? "failed"] ?? 0) + 1
    return performance.now() - t
  }
  for (const order of orders.slice(0, 12)) sequential.push(await apply(order, timer.events()))
  const rest = orders.slice(12, 24)
  const started = performance.now()
  const queue = [...rest]
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let o = queue.shift(); o !== undefined; o = queue.shift()) await apply(o)
    })
  )
  const concurrentMs = performance.now() - started
  const steps = timer.summary()
  const total = steps.reduce((s, x) => s + x.ms, 0)
  return {
    orders_sequential: sequential.length,
    ms_per_order_p50: round(percentile(sequential, 50), 0),
    ms_per_order_mean: round(mean(sequential), 0),
    orders_per_s_sequential: round(1000 / mean(sequential), 2),
    orders_per_s_4_at_a_time: round((rest.length * 1000) / concurrentMs, 2),
    outcomes,
    top_steps: steps.slice(0, 10).map((s) => ({ step: s.step, ms_per_order: round(s.ms / sequential.length, 1), share: `${Math.round((100 * s.ms) / total)} %` })),
  }
}

async function profileBatch(ctx: BenchContext, sim: SimulatorHandle, account: { accountId: string; seller: BenchSeller }, skus: string[]) {
  sim.control.seedOrders(backlog(account.seller, skus, SEARCH_ORDERS.pageSize, sim.control.now(), 7))
  const orders = await fetchRawOrders(sim, account.seller)
  const timer = new StepTimer()
  const t = performance.now()
  const { result } = await applyAmazonOrderBatchWorkflow(ctx.container).run({
    input: { account_id: account.accountId, marketplace_id: DE, orders },
    events: timer.events(),
  } as any)
  const ms = performance.now() - t
  const steps = timer.summary()
  const total = steps.reduce((sum, x) => sum + x.ms, 0)
  return {
    orders: orders.length,
    applied: result.applied.length,
    handed_back: result.fallback.length,
    ms_per_page: round(ms, 0),
    orders_per_s: round((orders.length * 1000) / ms, 1),
    top_steps: steps.slice(0, 8).map((s) => ({ step: s.step, ms: round(s.ms, 0), share: `${Math.round((100 * s.ms) / total)} %` })),
  }
}

export async function runP4(ctx: BenchContext, opts: { orders: number; timeScale: number }) {
  const { container, say } = ctx
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const sim = await startSimulator({ timeScale: opts.timeScale })
  ctx.extraSims.push(sim)
  ctx.recorder.watch(sim.url)
  const main = await createBenchAccount(container, sim, "D", { stock_location_ids: [ctx.locationId] })
  const prof = await createBenchAccount(container, sim, "E", { stock_location_ids: [ctx.locationId] })
  const batchProf = await createBenchAccount(container, sim, "F", { stock_location_ids: [ctx.locationId] })
  const skus = await seedProducts(ctx, sim, [main, prof, batchProf])

  say("P4: where an order's time goes: 12 orders applied one by one with per-step timing, 12 four at a time …")
  const profile = await profileApply(ctx, sim, prof, skus)
  say(
    `P4: applyAmazonOrderWorkflow ${profile.ms_per_order_p50} ms/order (p50) → ${profile.orders_per_s_sequential} orders/s one at a time, ` +
      `${profile.orders_per_s_4_at_a_time} orders/s four at a time; top step: ${profile.top_steps[0]?.step} ${profile.top_steps[0]?.share}`
  )
  const batchProfile = await profileBatch(ctx, sim, batchProf, skus)
  say(
    `P4: applyAmazonOrderBatchWorkflow ${batchProfile.ms_per_page} ms per page of ${batchProfile.orders} new orders → ` +
      `${batchProfile.orders_per_s} orders/s; top step: ${batchProfile.top_steps[0]?.step} ${batchProfile.top_steps[0]?.share}`
  )

  sim.control.seedOrders(backlog(main.seller, skus, opts.orders, sim.control.now(), 2))
  const pages = Math.ceil(opts.orders / SEARCH_ORDERS.pageSize)
  const minimumS = Math.max(0, pages - SEARCH_ORDERS.burst) / (SEARCH_ORDERS.rate * opts.timeScale)
  // The import gets half again the time the quota needs for the whole backlog (at least 60 s): enough to
  // measure an import that keeps up with the quota, a bound on the bench's time when it does not.
  const box = Math.max(60, 1.5 * minimumS)
  say(
    `P4: ${opts.orders.toLocaleString("en")} orders seeded; time scale ×${opts.timeScale}; quota-limited minimum ${minimumS.toFixed(0)} s ` +
      `(${pages} pages: ${SEARCH_ORDERS.burst} burst + ${Math.max(0, pages - SEARCH_ORDERS.burst)} at 0.0056×${opts.timeScale}/s); the import gets up to 1.5 × that`
  )

  const before = sim.control.counters()[SEARCH_KEY] ?? { calls: 0, throttledByQuota: 0 }
  const mark = ctx.recorder.mark()
  const totals = { runs: 0, pages: 0, calls: 0, orders: 0, imported: 0, pending: 0, skipped: 0, needs_attention: 0, failed: 0 }
  const started = Date.now()
  let done = false
  let lastPageEnded = started
  let pageS = batchProfile.ms_per_page / 1000
  const progress: { t_s: number; orders_recorded: number }[] = []
  const countRecorded = async () =>
    Number((await knex("amazon_order").count({ n: "*" }).where({ account_id: main.accountId }))[0].n)
  const poller = setInterval(() => {
    void countRecorded().then((n) => {
      const t = (Date.now() - started) / 1000
      progress.push({ t_s: round(t, 0), orders_recorded: n })
      say(`P4:   ${t.toFixed(0)} s: ${n} orders recorded`)
    })
  }, 20_000)
  try {
    // One page per run, so that the bench can stop between pages; a page is started only when it can
    // end within the time box (its length estimated from the last page, or from the profile).
    while (!done && (totals.runs === 0 || Date.now() - started + pageS * 1000 <= box * 1000)) {
      const t = Date.now()
      const result = await importAmazonOrders(container, { account_id: main.accountId, max_pages: 1 })
      totals.runs++
      const m = result.marketplaces[0]
      if (process.env.BENCH_DEBUG) say(`P4 debug: run ${totals.runs}: ${JSON.stringify(m ?? result)}`)
      if (m) {
        for (const k of ["pages", "calls", "orders", "imported", "pending", "skipped", "needs_attention", "failed"] as const) totals[k] += m[k]
        done = m.status === "done"
        if (m.pages > 0) {
          pageS = (Date.now() - t) / 1000 / m.pages
          lastPageEnded = Date.now()
        }
      }
      if (!m || m.pages === 0) await sleep(250)
    }
  } finally {
    clearInterval(poller)
  }
  const elapsed = (lastPageEnded - started) / 1000
  const after = sim.control.counters()[SEARCH_KEY]
  const expiredTokenRetries = ctx.recorder.since(mark, (c) => c.path === "/orders/2026-01-01/orders" && c.status === 403).length

  // Duplicates: our records per Amazon order id, and Medusa orders per Amazon order id.
  const [{ rows, distinct }] = (await knex.raw(
    `select count(*)::int as rows, count(distinct amazon_order_id)::int as distinct from amazon_order where account_id = ? and deleted_at is null`,
    [main.accountId]
  )).rows
  const dupOrders = (await knex.raw(
    `select coalesce(sum(n - 1), 0)::int as extra from (
       select count(*) as n from "order" o
       where o.deleted_at is null and o.metadata->>'amazon_order_id' in (select amazon_order_id from amazon_order where account_id = ?)
       group by o.metadata->>'amazon_order_id') x`,
    [main.accountId]
  )).rows[0].extra as number
  const medusaOrders = (await knex.raw(
    `select count(*)::int as n from "order" o where o.deleted_at is null and o.metadata->>'amazon_order_id' in (select amazon_order_id from amazon_order where account_id = ?)`,
    [main.accountId]
  )).rows[0].n as number

  const rate = totals.orders / Math.max(elapsed, 1e-9)
  // Medusa-bound: the rest would take as long per order as the measured part (never less than the quota allows).
  const projected = done ? elapsed : Math.max(minimumS, opts.orders / Math.max(rate, 1e-9))
  const ratio = projected / minimumS
  const realMinimum = Math.max(0, pages - SEARCH_ORDERS.burst) / SEARCH_ORDERS.rate
  const realProjected = Math.max(realMinimum, opts.orders / Math.max(rate, 1e-9)) + SEARCH_ORDERS.pageSize / Math.max(rate, 1e-9)
  const quotaOrdersPerS = SEARCH_ORDERS.rate * opts.timeScale * SEARCH_ORDERS.pageSize
  const bottleneck = done && ratio <= 1.2 ? "the searchOrders quota" : rate < quotaOrdersPerS ? "Medusa-side order creation (the import applies orders slower than the quota delivers them)" : "the searchOrders quota"
  await knex.raw("delete from amazon_stock_outbox")
  return {
    P4_ratio: round(ratio, 2),
    P4_duplicates: rows - distinct + dupOrders,
    details: {
      status: done
        ? "measured: every order imported"
        : `projected: ${totals.orders} of ${opts.orders} orders imported in ${round(elapsed, 0)} s (the quota-limited minimum for all of them is ${round(minimumS, 0)} s); the rest at the measured rate`,
      time_scale: opts.timeScale,
      orders: opts.orders,
      pages_needed: pages,
      quota_minimum_s: round(minimumS, 1),
      quota_minimum_formula: "(pages − burst 20) / (0.0056/s × time scale)",
      elapsed_s: round(elapsed, 1),
      time_to_import_all_s: round(projected, 0),
      orders_read: totals.orders,
      imported: totals.imported,
      pending: totals.pending,
      skipped: totals.skipped,
      needs_attention: totals.needs_attention,
      failed: totals.failed,
      import_runs: totals.runs,
      search_orders_calls: after.calls - before.calls,
      search_orders_403_expired_token_retries: expiredTokenRetries,
      runs_note: "importAmazonOrders(container, { account_id, max_pages: 1 }) back to back (the job passes no max_pages: 20 pages per run); same per-order work, the bench can stop between pages",
      search_orders_429_by_quota: after.throttledByQuota - before.throttledByQuota,
      orders_per_s: round(rate, 2),
      quota_orders_per_s_after_burst: round(SEARCH_ORDERS.rate * opts.timeScale * SEARCH_ORDERS.pageSize, 2),
      bottleneck,
      amazon_order_rows: rows,
      distinct_amazon_order_ids: distinct,
      medusa_orders: medusaOrders,
      extra_medusa_orders_per_amazon_id: dupOrders,
      at_real_quota_projected: {
        quota_minimum_s: round(realMinimum, 0),
        time_s: round(realProjected, 0),
        ratio: round(realProjected / realMinimum, 3),
        note: "same measured import rate, Amazon's unscaled plan: one page per ~179 s after the burst",
      },
      progress,
      profile,
      batch_profile: batchProfile,
    },
  }
}
