/**
 * P5: time the plugin's stock subscriber spends per store event. The subscriber's default export is called
 * directly (the function Medusa's event bus calls), with the container of the running app and payloads
 * recorded from real store actions:
 *  - inventory change: `inventory.inventory-level.updated` { id } of a mapped SKU's level;
 *  - order placed: every event a real checkout (completeCartWorkflow) emitted that the subscriber listens
 *    to (order.placed, reservation-item.created, inventory-level.updated …), handled together as the bus
 *    delivers them (concurrently), timed until the last handler call resolves.
 * Each call is timed from the call to its promise resolving. The handler resolves once the event row is
 * committed (amazon_stock_event, one insert; no batching window). The work it no longer does — resolving
 * events to variants and upserting the outbox — happens at the start of the next push run; that step
 * (resolvePendingStockEvents) is timed too, for one event and for the whole backlog the scenario leaves,
 * and so is the enqueue workflow alone (what the subscriber used to run per batch), for comparison.
 */
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createTestProduct, placeStoreOrder } from "../../integration-tests/helpers/store-seed"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import amazonStockChangesHandler from "../../src/subscribers/amazon-stock-changes"
import { enqueueAmazonStockChangesWorkflow } from "../../src/workflows/stock-push/enqueue-amazon-stock-changes"
import { resolvePendingStockEvents } from "../../src/workflows/stock-push/steps/resolve-stock-events"
import { STOCK_CHANGE_EVENTS } from "../../src/workflows/stock-push/utils/stock-events"
import { DE } from "../lib/catalog"
import type { BenchContext } from "../lib/context"
import { mean, percentile, round, sleep } from "../lib/stats"

type Ev = { name: string; data: unknown }

export interface P5Result {
  P5_p95_ms: number
  details: Record<string, unknown>
}

async function timeCall(ctx: BenchContext, events: Ev[]): Promise<number> {
  const started = performance.now()
  await Promise.all(
    events.map((event) => amazonStockChangesHandler({ event: { ...event, metadata: {} } as any, container: ctx.container, pluginOptions: {} } as any))
  )
  return performance.now() - started
}

export async function runP5(ctx: BenchContext): Promise<P5Result> {
  const { container, say } = ctx
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const eventBus = container.resolve(Modules.EVENT_BUS)
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any

  // The previous scenario's store events (P4's hundreds of imported orders) are still being delivered to
  // subscribers for a while: wait until no stock event has been recorded for 2 s (at most 60 s), so that
  // the figure is the subscriber's own cost, not a queue behind the last phase.
  const settleStarted = Date.now()
  let quietSince = Date.now()
  let last = -1
  while (Date.now() - quietSince < 2_000 && Date.now() - settleStarted < 60_000) {
    const n = Number((await knex.raw("select count(*) as n from amazon_stock_event")).rows[0].n)
    if (n !== last) quietSince = Date.now()
    last = n
    await sleep(250)
  }
  const settledAfterMs = Date.now() - settleStarted

  // A real product the shopper can buy, sold on Amazon under account A.
  const skus = ["P5-SHIRT-S", "P5-SHIRT-M", "P5-SHIRT-L", "P5-MUG"]
  const product = await createTestProduct(
    container,
    ctx.store,
    "P5 products",
    skus.map((sku) => ({ sku, stock: { [ctx.locationId]: 10_000 } }))
  )
  for (const sku of skus) {
    const [listing] = await amazon.createAmazonListings([
      { account_id: ctx.accountA.accountId, marketplace_id: DE, seller_sku: sku, fulfillment_channel: "MERCHANT" },
    ])
    await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: product.variants[sku].id } })
  }
  ctx.sim.control.seedListings(skus.map((sku) => ({ sellerId: ctx.accountA.seller.sellerId, sku, quantity: 10_000 })))

  // Record what a real checkout emits (the payloads the subscriber gets).
  let recording: Ev[] | undefined
  const recorder = async (e: { name: string; data: unknown }) => {
    recording?.push({ name: e.name, data: e.data })
  }
  for (const name of STOCK_CHANGE_EVENTS) eventBus.subscribe(name, recorder as any, { subscriberId: `bench-p5-recorder-${name}` })
  const orderGroups: Ev[][] = []
  for (let i = 0; i < 6; i++) {
    recording = []
    await placeStoreOrder(container, ctx.store, [
      { variant_id: product.variants[skus[i % 3]].id, quantity: 1 },
      ...(i % 2 ? [{ variant_id: product.variants["P5-MUG"].id, quantity: 2 }] : []),
    ])
    await sleep(300) // the bus delivers after the workflow's events are released
    orderGroups.push(recording)
  }
  recording = undefined
  for (const name of STOCK_CHANGE_EVENTS) eventBus.unsubscribe(name, recorder as any, { subscriberId: `bench-p5-recorder-${name}` })
  await sleep(500) // let the real subscriber's own calls (from the checkouts) finish
  const eventsPerOrder = orderGroups.map((g) => g.length)
  say(`P5: recorded the events of ${orderGroups.length} real checkouts (${eventsPerOrder.join(", ")} subscriber events each)`)

  // 1) inventory change: one level event at a time (a store where changes trickle in).
  const levelSkus = ctx.accountA.skus.slice(900, 960)
  const inventory: number[] = []
  for (const s of levelSkus) {
    inventory.push(await timeCall(ctx, [{ name: "inventory.inventory-level.updated", data: { id: s.levelId } }]))
    await sleep(20)
  }
  // 2) order placed: all events of one checkout together.
  const orders: number[] = []
  for (let r = 0; r < 10; r++) {
    for (const group of orderGroups) {
      orders.push(await timeCall(ctx, group))
      await sleep(20)
    }
  }
  // 3) a burst: a stock take of 500 SKUs emits 500 level events at once.
  const burstSkus = ctx.accountA.skus.slice(400, 900)
  const burstStarted = performance.now()
  const burstCalls = await Promise.all(
    burstSkus.map(async (s) => {
      const t = performance.now()
      await amazonStockChangesHandler({ event: { name: "inventory.inventory-level.updated", data: { id: s.levelId }, metadata: {} } as any, container, pluginOptions: {} } as any)
      return performance.now() - t
    })
  )
  const burstTotal = performance.now() - burstStarted
  // 4) the deferred work: what the push's first step does with the recorded events. First the whole
  // backlog of 1) – 3) (and the checkouts' own events), then one event at a time.
  const pendingBefore = Number((await knex.raw("select count(*) as n from amazon_stock_event")).rows[0].n)
  const backlogStarted = performance.now()
  const backlog = await resolvePendingStockEvents(container)
  const backlogMs = performance.now() - backlogStarted
  const pendingAfter = Number((await knex.raw("select count(*) as n from amazon_stock_event")).rows[0].n)
  const levelVariants = Number(
    (await knex("amazon_stock_outbox").whereIn("variant_id", levelSkus.map((s) => s.variantId)).count("* as n"))[0].n
  )
  const work: number[] = []
  for (const s of levelSkus.slice(0, 30)) {
    await amazonStockChangesHandler({ event: { name: "inventory.inventory-level.updated", data: { id: s.levelId }, metadata: {} } as any, container, pluginOptions: {} } as any)
    const t = performance.now()
    await resolvePendingStockEvents(container)
    work.push(performance.now() - t)
  }

  // 5) for comparison with earlier runs: the enqueue workflow the subscriber used to run per batch (still
  // there for callers that want outbox rows at once), run directly for one event.
  const enqueueWork: number[] = []
  for (const s of levelSkus.slice(0, 30)) {
    const t = performance.now()
    await enqueueAmazonStockChangesWorkflow(container).run({ input: { events: [{ name: "inventory.inventory-level.updated", data: { id: s.levelId } }] } })
    enqueueWork.push(performance.now() - t)
  }

  // Leave no outbox rows behind for the next scenario (nothing changed; this is housekeeping).
  await knex.raw("delete from amazon_stock_outbox")
  await knex.raw("delete from amazon_stock_event")

  const inv95 = percentile(inventory, 95)
  const ord95 = percentile(orders, 95)
  return {
    P5_p95_ms: round(Math.max(inv95, ord95), 1),
    details: {
      what: "handler call → promise resolved, awaited (the handler resolves when its event row is committed; the push resolves rows into the outbox)",
      waited_for_previous_phase_events_ms: settledAfterMs,
      inventory_change: { samples: inventory.length, p50_ms: round(percentile(inventory, 50), 1), p95_ms: round(inv95, 1) },
      order_placed: {
        samples: orders.length,
        subscriber_events_per_checkout: eventsPerOrder,
        event_names: [...new Set(orderGroups.flat().map((e) => e.name))],
        p50_ms: round(percentile(orders, 50), 1),
        p95_ms: round(ord95, 1),
      },
      burst_500_level_events: {
        total_ms: round(burstTotal, 0),
        per_event_amortized_ms: round(burstTotal / burstSkus.length, 2),
        per_call_p95_ms: round(percentile(burstCalls, 95), 1),
      },
      resolve_step_one_event: { samples: work.length, p50_ms: round(percentile(work, 50), 1), p95_ms: round(percentile(work, 95), 1), mean_ms: round(mean(work), 1) },
      enqueue_workflow_alone_one_event: {
        samples: enqueueWork.length,
        p50_ms: round(percentile(enqueueWork, 50), 1),
        p95_ms: round(percentile(enqueueWork, 95), 1),
        mean_ms: round(mean(enqueueWork), 1),
      },
      resolve_step_backlog: {
        event_rows: pendingBefore,
        resolved: backlog.events,
        outbox_rows_upserted: backlog.enqueued,
        left_pending: pendingAfter,
        inventory_change_variants_in_outbox: `${levelVariants} of ${levelSkus.length}`,
        total_ms: round(backlogMs, 0),
        per_event_ms: round(backlogMs / Math.max(1, backlog.events), 2),
      },
      batch_window_ms: 0,
    },
  }
}
