/**
 * P6: a backlog of 1,000 shipment confirmations sent to Amazon.
 *
 * The backlog: a merchant ships 1,000 merchant-fulfilled (FBM) Amazon orders in Medusa in one go (a
 * morning's packing, or the plugin's job was down). Amazon must learn each shipment with its tracking
 * number; confirmShipment alone (2/s, burst 10) would need (1,000 − 10) / 2 = 495 s, so the plugin sends
 * a backlog larger than a minute of calls as one POST_ORDER_FULFILLMENT_DATA feed and reads the per-order
 * outcome from the feed's XML processing report.
 *
 * Set-up (not measured): 1,000 UNSHIPPED FBM orders (one line each on 20 mapped SKUs) seeded into the
 * stack's simulator (time scale 1: Amazon's real quotas; feeds wait 10 s in queue and take 20 s) and
 * imported by the plugin's own import (importAmazonOrders, 10 pages within searchOrders' burst).
 * Each order is then shipped in Medusa the way staff do it: Medusa's createOrderFulfillmentWorkflow (all
 * units, from the warehouse) and createOrderShipmentWorkflow with a label carrying a tracking number
 * (P6-TRK-nnnnnn), four orders at a time. Medusa's `shipment.created` event reaches the plugin's
 * subscriber, which records one amazon_order_action (confirm_shipment) per fulfillment; the scenario
 * waits until all 1,000 are recorded.
 *
 * Measured: the send job (the default export of src/jobs/amazon-send-order-actions.ts, what Medusa's
 * scheduler calls) run every 10 s (= AMAZON_ORDER_ACTIONS_SCHEDULE="*\/10 * * * * *"; the default is once
 * a minute) from its first run until every row is done or failed (at most 5 minutes). Time = the last
 * row's done_at − the first run's start. Calls: every HTTP request the plugin made to the simulator
 * meanwhile (FetchRecorder: SP-API operations, the feed document's upload and download, the LWA token),
 * by operation; quota 429s from the simulator's counters.
 *
 * Checked per order: its action row is `done` (recorded as confirmed), and at the simulator the order is
 * SHIPPED with exactly one package whose packageReferenceId is the plugin's reference for the Medusa
 * fulfillment and whose tracking number is the one on the Medusa label. Duplicates: action rows beyond one
 * per fulfillment, packages at Amazon beyond one per order or per package reference.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createOrderFulfillmentWorkflow, createOrderShipmentWorkflow } from "@medusajs/medusa/core-flows"
import type { OrderSeed } from "../../simulator"
import amazonSendOrderActionsJob from "../../src/jobs/amazon-send-order-actions"
import { packageReferenceFor } from "../../src/lib/amazon/order-actions/plan-shipment"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import { createBenchAccount, type BenchSeller } from "../lib/catalog"
import type { BenchContext } from "../lib/context"
import type { RecordedCall } from "../lib/fetch-recorder"
import { JobTicker } from "../lib/job-ticker"
import { mean, percentile, round, sleep } from "../lib/stats"
import { seedProducts } from "./p4-orders"

/** confirmShipment's usage plan (FACTS §3): what the call path alone would need for the backlog. */
const CONFIRM_SHIPMENT = { rate: 2, burst: 10 }
export const SEND_EVERY_MS = 10_000
const SEND_BOX_MS = 300_000
const SHIP_CONCURRENCY = 4

/** The operation a recorded HTTP call of the plugin is (paths of the simulator, like Amazon's). */
export function operationOf(c: Pick<RecordedCall, "method" | "path">): string {
  const p = c.path
  if (p === "/auth/o2/token") return "lwa.token"
  if (p.startsWith("/_s3/upload/")) return "feed document upload (PUT)"
  if (p.startsWith("/_s3/download/")) return "feed report download (GET)"
  if (p === "/feeds/2021-06-30/documents") return "feeds.createFeedDocument"
  if (p.startsWith("/feeds/2021-06-30/documents/")) return "feeds.getFeedDocument"
  if (p === "/feeds/2021-06-30/feeds") return c.method === "POST" ? "feeds.createFeed" : "feeds.getFeeds"
  if (p.startsWith("/feeds/2021-06-30/feeds/")) return c.method === "DELETE" ? "feeds.cancelFeed" : "feeds.getFeed"
  if (/^\/orders\/v0\/orders\/[^/]+\/shipmentConfirmation$/.test(p)) return "orders-v0.confirmShipment"
  if (p === "/orders/2026-01-01/orders") return "orders.searchOrders"
  if (p.startsWith("/orders/2026-01-01/orders/")) return "orders.getOrder"
  return `${c.method} ${p.replace(/\/[^/]*\d[^/]*/g, "/:id")}`
}

function backlog(seller: BenchSeller, skus: string[], count: number, now: number): OrderSeed[] {
  const span = 3 * 3_600_000
  return Array.from({ length: count }, (_, i) => {
    const created = now - 10 * 60_000 - span + Math.floor((span * i) / count)
    const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")
    return {
      sellerId: seller.sellerId,
      createdTime: at(created),
      lastUpdatedTime: at(created + 60_000),
      fulfillmentStatus: "UNSHIPPED" as const,
      fulfilledBy: "MERCHANT" as const,
      buyer: { buyerEmail: `p6-buyer${i}@marketplace.amazon.de`, buyerName: `Käufer ${i}` } as OrderSeed["buyer"],
      recipient: {
        deliveryAddress: { name: `Käufer ${i}`, addressLine1: `Hauptstr. ${1 + (i % 200)}`, city: "München", postalCode: "80331", countryCode: "DE" },
      } as OrderSeed["recipient"],
      orderItems: [{ sellerSku: skus[i % skus.length], quantityOrdered: 1 + (i % 3 === 0 ? 1 : 0), unitPrice: "19.90", shippingPrice: "3.90" }],
    }
  })
}

async function query<T>(container: MedusaContainer, sql: string, bindings: unknown[] = []): Promise<T[]> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as { raw: (s: string, b: unknown[]) => Promise<{ rows: T[] }> }
  return (await knex.raw(sql, bindings)).rows
}

interface Shipped {
  orderId: string
  amazonOrderId: string
  fulfillmentId: string
  tracking: string
}

/** Staff ship each order in Medusa: all its units in one fulfillment, then a shipment with a tracking label. */
async function shipAll(ctx: BenchContext, orders: { order_id: string; amazon_order_id: string }[]) {
  const { container } = ctx
  const graph = container.resolve(ContainerRegistrationKeys.QUERY)
  const items = new Map<string, { id: string; quantity: number }[]>()
  for (let i = 0; i < orders.length; i += 200) {
    const { data } = await graph.graph({
      entity: "order",
      // a line's quantity lives on the order's item detail (order_item); `items.quantity` is not filled by query
      fields: ["id", "items.id", "items.detail.quantity"],
      filters: { id: orders.slice(i, i + 200).map((o) => o.order_id) },
    })
    for (const o of data as any[]) items.set(o.id, o.items.map((it: any) => ({ id: it.id as string, quantity: Number(it.detail?.quantity) })))
  }
  const shipped: Shipped[] = []
  const failures: string[] = []
  const perOrderMs: number[] = []
  const queue = orders.map((o, i) => ({ ...o, tracking: `P6-TRK-${String(i).padStart(6, "0")}` }))
  let next = 0
  await Promise.all(
    Array.from({ length: SHIP_CONCURRENCY }, async () => {
      for (let o = queue[next++]; o !== undefined; o = queue[next++]) {
        const t = performance.now()
        try {
          const lines = items.get(o.order_id) ?? []
          const { result: fulfillment } = await createOrderFulfillmentWorkflow(container).run({
            input: { order_id: o.order_id, items: lines, location_id: ctx.locationId },
          })
          await createOrderShipmentWorkflow(container).run({
            input: {
              order_id: o.order_id,
              fulfillment_id: fulfillment.id,
              items: lines,
              labels: [{ tracking_number: o.tracking, tracking_url: `https://tracking.example/${o.tracking}`, label_url: "https://labels.example/p6.pdf" }],
            },
          })
          shipped.push({ orderId: o.order_id, amazonOrderId: o.amazon_order_id, fulfillmentId: fulfillment.id, tracking: o.tracking })
        } catch (e) {
          failures.push(`${o.amazon_order_id}: ${(e as Error)?.message ?? e}`)
          if (process.env.BENCH_DEBUG && failures.length === 1) ctx.say(`P6 debug: ${JSON.stringify(items.get(o.order_id))} ${(e as Error)?.stack ?? e}`)
        }
        perOrderMs.push(performance.now() - t)
      }
    })
  )
  return { shipped, failures, perOrderMs }
}

export async function runP6(ctx: BenchContext, opts: { orders: number }) {
  const { container, say, sim } = ctx
  const account = await createBenchAccount(container, sim, "S", {
    stock_location_ids: [ctx.locationId],
    // Medusa's manual provider (the plugin's Amazon shipping option) ships with DHL.
    carriers: { manual_manual: { code: "DHL", shipping_method: "Paket" } },
  })
  const skus = await seedProducts(ctx, sim, [account], "P6")

  // --- set-up: import the orders with the plugin, ship them in Medusa
  let t = Date.now()
  sim.control.seedOrders(backlog(account.seller, skus, opts.orders, sim.control.now()))
  let importRuns = 0
  let lastImport: Awaited<ReturnType<typeof importAmazonOrders>> | undefined
  for (let status = ""; status !== "done" && importRuns < 10; importRuns++) {
    lastImport = await importAmazonOrders(container, { account_id: account.accountId })
    status = lastImport.marketplaces[0]?.status ?? "done"
  }
  const imported = await query<{ order_id: string; amazon_order_id: string }>(
    container,
    `select order_id, amazon_order_id from amazon_order where account_id = ? and order_id is not null and deleted_at is null order by amazon_order_id`,
    [account.accountId]
  )
  const importS = (Date.now() - t) / 1000
  say(`P6: ${imported.length} of ${opts.orders} FBM orders imported by the plugin in ${importS.toFixed(0)} s (${importRuns} import run(s)); shipping each in Medusa …`)
  if (imported.length !== opts.orders) {
    const why = lastImport && !lastImport.ran ? ` (the last import did not run: ${lastImport.reason})` : ` (last import: ${JSON.stringify(lastImport?.marketplaces ?? [])})`
    throw new Error(`P6: only ${imported.length} of ${opts.orders} orders were imported${why}`)
  }

  t = Date.now()
  const ship = await shipAll(ctx, imported)
  const shipS = (Date.now() - t) / 1000
  say(`P6: ${ship.shipped.length} orders fulfilled and shipped with Medusa's workflows in ${shipS.toFixed(0)} s (${ship.failures.length} failed); waiting for the subscriber to record them …`)
  if (ship.failures.length) say(`P6: first shipping failure: ${ship.failures[0]}`)
  t = Date.now()
  let recorded = 0
  while (Date.now() - t < 120_000) {
    recorded = (await query<{ n: number }>(container, `select count(*)::int as n from amazon_order_action where account_id = ? and kind = 'confirm_shipment'`, [account.accountId]))[0].n
    if (recorded >= ship.shipped.length) break
    await sleep(500)
  }
  const recordS = (Date.now() - t) / 1000
  const recordedAtStart = await query<{ status: string; n: number }>(
    container,
    `select status, count(*)::int as n from amazon_order_action where account_id = ? group by status`,
    [account.accountId]
  )
  if (!recorded) throw new Error(`P6: no shipment confirmation was recorded (${ship.failures[0] ?? "no shipment"})`)
  say(`P6: ${recorded} confirmations recorded by the subscriber (${JSON.stringify(Object.fromEntries(recordedAtStart.map((r) => [r.status, r.n])))}); running the send job every ${SEND_EVERY_MS / 1000} s …`)

  // --- measured: the send job until every row is done or failed
  const origin = new URL(sim.url).origin
  const countersBefore = sim.control.counters()
  const mark = ctx.recorder.mark()
  const started = Date.now()
  const ticker = new JobTicker(amazonSendOrderActionsJob, container, SEND_EVERY_MS).start()
  let states: Record<string, number> = {}
  try {
    for (;;) {
      const rows = await query<{ status: string; n: number }>(
        container,
        `select status, count(*)::int as n from amazon_order_action where account_id = ? and kind = 'confirm_shipment' and deleted_at is null group by status`,
        [account.accountId]
      )
      states = Object.fromEntries(rows.map((r) => [r.status, r.n]))
      if ((states.done ?? 0) + (states.failed ?? 0) >= recorded || Date.now() - started > SEND_BOX_MS) break
      await sleep(1000)
    }
  } finally {
    await ticker.stop()
  }
  const lastDone = (await query<{ last: Date | null; first_sent: Date | null }>(
    container,
    `select max(done_at) as last, min(sent_at) as first_sent from amazon_order_action where account_id = ? and kind = 'confirm_shipment' and status = 'done'`,
    [account.accountId]
  ))[0]
  const finished = states.done === recorded && recorded === opts.orders
  // Not finished: the time box is a lower bound of the time to confirm everything.
  const timeS = finished && lastDone.last ? (new Date(lastDone.last).getTime() - started) / 1000 : (Date.now() - started) / 1000

  // Calls the plugin made meanwhile, by operation; quota 429s from the simulator's counters.
  const calls = ctx.recorder.since(mark, (c) => c.origin === origin)
  const byOperation: Record<string, number> = {}
  for (const c of calls) byOperation[operationOf(c)] = (byOperation[operationOf(c)] ?? 0) + 1
  const statuses: Record<string, number> = {}
  for (const c of calls) statuses[String(c.status)] = (statuses[String(c.status)] ?? 0) + 1
  const countersAfter = sim.control.counters()
  let throttledByQuota = 0
  const counterDelta: Record<string, number> = {}
  for (const [op, after] of Object.entries(countersAfter)) {
    const before = countersBefore[op]
    const n = after.calls - (before?.calls ?? 0)
    if (n) counterDelta[op] = n
    throttledByQuota += after.throttledByQuota - (before?.throttledByQuota ?? 0)
  }
  const feedRows = await query<{ feed_id: string; n: number }>(
    container,
    `select feed_id, count(*)::int as n from amazon_order_action where account_id = ? and feed_id is not null group by feed_id order by feed_id`,
    [account.accountId]
  )
  const feeds = feedRows.map((f) => {
    const feed = sim.control.getFeed(f.feed_id)
    return { feed_id: f.feed_id, feed_type: feed?.feedType ?? null, status: feed?.processingStatus ?? null, messages: f.n }
  })

  // --- checks: each action recorded as confirmed, each order SHIPPED at Amazon with its package and tracking
  const actionRows = await query<{ fulfillment_id: string; status: string; channel: string | null; n: number }>(
    container,
    `select fulfillment_id, min(status) as status, min(channel) as channel, count(*)::int as n from amazon_order_action
      where account_id = ? and kind = 'confirm_shipment' and deleted_at is null group by fulfillment_id`,
    [account.accountId]
  )
  const actionOf = new Map(actionRows.map((r) => [r.fulfillment_id, r]))
  const duplicateRows = actionRows.reduce((s, r) => s + r.n - 1, 0)
  const shipments = sim.control.listShipments(account.seller.sellerId)
  const packagesByOrder = new Map<string, typeof shipments>()
  const perReference = new Map<string, number>()
  for (const s of shipments) {
    packagesByOrder.set(s.orderId, [...(packagesByOrder.get(s.orderId) ?? []), s])
    perReference.set(s.packageReferenceId, (perReference.get(s.packageReferenceId) ?? 0) + 1)
  }
  const duplicatePackages =
    [...packagesByOrder.values()].reduce((s, list) => s + Math.max(0, list.length - 1), 0) +
    [...perReference.values()].reduce((s, n) => s + Math.max(0, n - 1), 0)
  const problems: Record<string, number> = {}
  const examples: string[] = []
  const problem = (what: string, example: string) => {
    problems[what] = (problems[what] ?? 0) + 1
    if (examples.length < 5) examples.push(example)
  }
  let confirmed = 0
  for (const s of ship.shipped) {
    const action = actionOf.get(s.fulfillmentId)
    const atAmazon = sim.control.getOrder(s.amazonOrderId)
    const packages = packagesByOrder.get(s.amazonOrderId) ?? []
    const ok = [
      [action?.status === "done", "action not done", `${s.amazonOrderId}: action ${action?.status ?? "missing"}`],
      [atAmazon?.fulfillment?.fulfillmentStatus === "SHIPPED", "not SHIPPED at Amazon", `${s.amazonOrderId}: ${atAmazon?.fulfillment?.fulfillmentStatus}`],
      [
        packages.length === 1 && packages[0].packageReferenceId === packageReferenceFor(s.fulfillmentId) && packages[0].trackingNumber === s.tracking,
        "package or tracking wrong",
        `${s.amazonOrderId}: packages ${JSON.stringify(packages.map((p) => [p.packageReferenceId, p.trackingNumber]))}, expected ${s.tracking}`,
      ],
    ] as const
    let all = true
    for (const [pass, what, example] of ok) {
      if (!pass) {
        all = false
        problem(what, example)
      }
    }
    if (all) confirmed++
  }
  const unconfirmed = opts.orders - confirmed
  const callMinimumS = Math.max(0, opts.orders - CONFIRM_SHIPMENT.burst) / CONFIRM_SHIPMENT.rate
  say(
    `P6: ${confirmed}/${opts.orders} confirmed in ${timeS.toFixed(1)} s (${finished ? "all rows done" : `rows ${JSON.stringify(states)}`}); ` +
      `${calls.length} HTTP calls ${JSON.stringify(byOperation)}; ${feeds.length} feed(s); ${throttledByQuota} quota 429s`
  )
  await query(container, "delete from amazon_stock_outbox")

  return {
    P6_time_s: round(timeS, 1),
    P6_unconfirmed: unconfirmed,
    P6_duplicates: duplicateRows + duplicatePackages,
    P6_calls: calls.length,
    P6_429: throttledByQuota,
    details: {
      status: finished ? "measured: every confirmation done" : `not finished within ${SEND_BOX_MS / 1000} s (time is a lower bound): rows ${JSON.stringify(states)}`,
      censored: !finished,
      orders: opts.orders,
      time_scale: 1,
      send_job_every_s: SEND_EVERY_MS / 1000,
      schedule_equivalent: 'AMAZON_ORDER_ACTIONS_SCHEDULE="*/10 * * * * *" (default: once a minute)',
      simulator_feed_timing: "10 s in queue + 20 s processing",
      send_job_runs: ticker.runs,
      time_s: round(timeS, 1),
      time_note: "last amazon_order_action.done_at − start of the first send run",
      first_claim_after_s: lastDone.first_sent ? round((new Date(lastDone.first_sent).getTime() - started) / 1000, 1) : null,
      confirm_shipment_only_minimum_s: callMinimumS,
      confirm_shipment_only_formula: "(orders − burst 10) / 2 per s",
      confirmed,
      unconfirmed,
      problems,
      problem_examples: examples,
      action_rows: actionRows.length,
      action_states: states,
      action_channels: actionRows.reduce<Record<string, number>>((m, r) => ({ ...m, [r.channel ?? "none"]: (m[r.channel ?? "none"] ?? 0) + 1 }), {}),
      duplicate_action_rows: duplicateRows,
      amazon_packages: shipments.length,
      duplicate_packages: duplicatePackages,
      feeds_submitted: feeds.length,
      feeds,
      http_calls: calls.length,
      http_calls_by_operation: byOperation,
      http_statuses: statuses,
      simulator_counters: counterDelta,
      quota_429s: throttledByQuota,
      setup: {
        import_s: round(importS, 1),
        import_runs: importRuns,
        ship_s: round(shipS, 1),
        ship_concurrency: SHIP_CONCURRENCY,
        ship_ms_per_order_p50: round(percentile(ship.perOrderMs, 50), 0),
        ship_ms_per_order_mean: round(mean(ship.perOrderMs), 0),
        ship_failures: ship.failures.length,
        ship_failure_examples: ship.failures.slice(0, 3),
        recorded_by_subscriber: recorded,
        record_wait_s: round(recordS, 1),
        note: "fulfillment + shipment per order via createOrderFulfillmentWorkflow / createOrderShipmentWorkflow; the subscriber records on shipment.created",
      },
    },
  }
}
