/**
 * P7 (issue 19, Amazon notifications) in a process and database of its own: what Amazon's notifications over
 * SQS bring, with the consumer's shipped settings (long-poll wait 20 s, visibility 60 s: none of the
 * AMAZON_NOTIFICATIONS_* variables set) and nothing polling Amazon.
 *
 * It boots the demo stack (fresh database `<db>_p7`, migrations, Medusa with the plugin) with every scheduled
 * job of the plugin parked as in env.ts — the order import among them, so every order that arrives came by a
 * notification; the `amazon-notifications` job too: its only work is to start or restart the consumer loops
 * once a minute, and the set-up's `amazon.notifications_changed` event starts the loop at once (the scenario
 * also calls `ensureNotificationConsumers`, what that job calls). The push-soon trigger keeps its default (an
 * imported order's reservations are pushed as in production). The SP-API simulator, which also plays the SQS
 * queue, runs in another process (sim-process.ts), as Amazon and SQS are remote: its work is not on this
 * process's event loop, and the RSS is the plugin's process (with the scenario's sender).
 *
 * Set-up (not measured): a store (seedTestStore), account N with 20 order SKUs (seedProducts of P4) and 200
 * merchant-fulfilled SKUs in sync with Amazon (bulk SQL, `last_accepted_quantity` = the store's quantity),
 * 5 FBA SKUs at Amazon, an SQS queue at the simulator, the EventBridge rule to it
 * (routeEventBridgeToQueue), then the plugin's `setupAmazonNotificationsWorkflow` (SQS destination for
 * ORDER_CHANGE, FBA, feed and report notifications; EventBridge destination for
 * LISTINGS_ITEM_MFN_QUANTITY_CHANGE).
 *
 * Part A, lag (P7_p95_s): one UNSHIPPED merchant-fulfilled order seeded every 2 s for 60 s (30 orders,
 * `seedOrder`: Amazon publishes ORDER_CHANGE at once), and at 11, 23, 35, 47 and 59 s a buyer cancellation
 * of an earlier order (`requestBuyerCancellation(orderId, { cancelNow: true })`: a BuyerRequestedChange and an
 * OrderStatusChange to Canceled). Done, from the moment of the seed or cancellation call:
 *  - new order: its amazon_order row with the Medusa order id (written by the batch import's record step,
 *    after the Medusa order, its payment and its reservations), at the row's created_at;
 *  - cancellation: amazon_order.status = CANCELLED (recorded by applyAmazonOrderWorkflow after
 *    cancelOrderWorkflow) and the Medusa order `canceled`, at the record's updated_at; checked afterwards:
 *    no live reservation left on the order's line items.
 * Polled every 250 ms (the first-seen lags are in details too); observed until all are done or 60 s after
 * the last event (then censored with the observation time). getOrder calls and quota 429s from the
 * simulator's counters. Amazon's rule for polling (searchOrders shows an order 2 minutes after its last
 * change) is recorded as `polling_floor_s` = 120 (not measured).
 *
 * Part B, keep-up (P7_lost, P7_applied_twice, P7_keepup_lag_p95_s): 50 SQS messages/s for 60 s (3,000)
 * sent with @aws-sdk/client-sqs SendMessage to the simulator's queue from this process, paced every 20 ms:
 * 5 % exact duplicates of an earlier message (same body, same NotificationId), 10 malformed bodies (not JSON,
 * schema mismatches, an unknown type), 1 % FBA_INVENTORY_AVAILABILITY_CHANGES for 5 SKUs, the rest
 * LISTINGS_ITEM_MFN_QUANTITY_CHANGE in the EventBridge envelope for the 200 SKUs, each saying Amazon shows
 * what the plugin set (the cheap confirmation path; no Amazon call). Every body is checked with the
 * plugin's parser before it is sent (valid ones must parse, malformed ones must not). Then waited until
 * every sent key has its inbox row and none is still `received`, at most 120 s after the last send.
 *  - lost: keys sent without an amazon_notification row (the queue's remaining messages are in details);
 *  - applied twice: rows applied more than once (attempts > 1) + applications counted on the set-up beyond
 *    the rows applied (amazon_notification_setup.applied_count over the whole run, Parts A and B and what the
 *    stock pushes of Part A's orders brought, against every amazon_notification row `applied`);
 *  - keep-up lag: per distinct key, its first SendMessage → its row's received_at (the recording batch's
 *    time, this process's clock), p95.
 */
import "../lib/env"
import { randomUUID } from "node:crypto"
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { seedTestStore } from "../../integration-tests/helpers/store-seed"
import type { FbaStock, OrderSeed } from "../../simulator"
import { fbaInventoryChange, mfnQuantityChange } from "../../simulator/domain/notification-payloads"
import { parseNotification } from "../../src/lib/amazon/notifications/parse-notification"
import { ensureNotificationConsumers, notificationConsumers } from "../../src/workflows/notifications/consumer/notification-consumers"
import { consumerTiming } from "../../src/workflows/notifications/constants"
import { setupAmazonNotificationsWorkflow } from "../../src/workflows/notifications/setup-amazon-notifications"
import { bootBenchStack } from "../lib/boot"
import { createBenchAccount, DE, seedCatalog } from "../lib/catalog"
import type { BenchContext } from "../lib/context"
import { FetchRecorder } from "../lib/fetch-recorder"
import { startSimProcess } from "../lib/sim-process"
import { percentile, RssSampler, round, sleep } from "../lib/stats"
import { seedProducts } from "./p4-orders"

// The consumer's shipped timings: nothing the parent or the shell set leaks in.
for (const k of ["AMAZON_NOTIFICATIONS", "AMAZON_NOTIFICATIONS_WAIT_SECONDS", "AMAZON_NOTIFICATIONS_VISIBILITY_SECONDS", "AMAZON_NOTIFICATIONS_QUIET_MINUTES"]) delete process.env[k]

const { values } = parseArgs({
  options: {
    result: { type: "string" },
    db: { type: "string" },
    "order-seconds": { type: "string" },
    "keepup-seconds": { type: "string" },
    rate: { type: "string" },
  },
})
const ORDER_SECONDS = Number(values["order-seconds"] ?? 60)
const ORDER_EVERY_MS = 2_000
const CANCEL_AT_S = [11, 23, 35, 47, 59].filter((s) => s < ORDER_SECONDS)
const ORDER_OBSERVE_S = 60
const KEEPUP_SECONDS = Number(values["keepup-seconds"] ?? 60)
const RATE = Number(values.rate ?? 50)
const KEEPUP_DRAIN_S = 120
const MFN_SKUS = 200
const FBA_SKUS = 5
const EVENTBRIDGE_ACCOUNT = "210987654321"
const REGION = "eu-west-1"
export const POLLING_FLOOR_S = 120
const say = (line: string) => process.stdout.write(`P7: ${line}\n`)

const GET_ORDER = "orders-2026-01-01.getOrder"
const SEARCH_ORDERS = "orders-2026-01-01.searchOrders"

type Counters = Record<string, { calls: number; throttledByQuota: number }>
function delta(after: Counters, before: Counters) {
  const calls: Record<string, number> = {}
  const throttled: Record<string, number> = {}
  for (const [op, n] of Object.entries(after)) {
    const c = n.calls - (before[op]?.calls ?? 0)
    if (c) calls[op] = c
    const t = n.throttledByQuota - (before[op]?.throttledByQuota ?? 0)
    if (t) throttled[op] = t
  }
  return { calls, throttled }
}

function summary(lags: number[]) {
  return { n: lags.length, p50_s: round(percentile(lags, 50), 2), p95_s: round(percentile(lags, 95), 2), max_s: lags.length ? round(Math.max(...lags), 2) : null }
}

async function main() {
  const recorder = new FetchRecorder()
  recorder.install()
  const ext = await startSimProcess({ timeScale: 1 })
  say(`simulator (and its SQS endpoint) in its own process (pid ${ext.pid}) at ${ext.url}`)
  recorder.watch(ext.url)
  const stack = await bootBenchStack({ dbName: values.db ?? "medusa_amazon_bench_p7", simulator: { timeScale: 1 }, log: (l) => say(`boot: ${l}`) })
  const { container } = stack
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const counters = () => ext.control<Counters>("GET", "counters")
  let sqs: SQSClient | undefined
  try {
    // ── set-up (not measured) ──
    const store = await seedTestStore(container, { locationNames: ["P7 warehouse"] })
    const locationId = store.locationIds[0]
    const { accountId, seller } = await createBenchAccount(
      container,
      { url: ext.url, control: { seedSeller: (s) => ext.control("POST", "sellers", s) } },
      "N",
      { stock_location_ids: [locationId] }
    )
    const mfn = await seedCatalog(container, { tag: "N", count: MFN_SKUS, accountId, sellerId: seller.sellerId, locationId, inSync: true, seedSimulator: false })
    await ext.control("POST", "listings", mfn.map((s) => ({ sellerId: seller.sellerId, sku: s.sku, quantity: s.stock, productType: "PRODUCT" })))
    // seedProducts (P4's) seeds the simulator's listings synchronously: collect them and post them here
    const listingSeeds: unknown[] = []
    const fakeSim = { control: { seedListings: (l: unknown[]) => void listingSeeds.push(...l) } }
    const orderSkus = await seedProducts({ container, locationId } as unknown as BenchContext, fakeSim as never, [{ accountId, seller }], "P7")
    await ext.control("POST", "listings", listingSeeds)
    const fbaSkus = Array.from({ length: FBA_SKUS }, (_, i) => `P7-FBA-${i}`)
    // before the subscriptions exist, so these publish nothing
    await ext.control("POST", "fba-inventory", fbaSkus.map((sku, i) => ({ sellerId: seller.sellerId, marketplaceId: DE, sku, asin: `B0P7FBA00${i}`, fnSku: `X00P7FBA0${i}`, fulfillable: 10 + i })))
    const fbaStocks = await ext.control<FbaStock[]>("GET", `fba-inventory?sellerId=${seller.sellerId}`)

    const queue = await ext.control<{ queueUrl: string; queueArn: string; accessKeyId: string; secretAccessKey: string }>("POST", "sqs/queues", { name: "p7-notifications", region: REGION })
    await ext.control("POST", "notifications/eventbridge-routes", { awsAccountId: EVENTBRIDGE_ACCOUNT, region: REGION, queueArn: queue.queueArn })
    const { result: setup } = await setupAmazonNotificationsWorkflow(container).run({
      input: {
        account_id: accountId,
        queue_url: queue.queueUrl,
        aws_region: REGION,
        aws_access_key_id: queue.accessKeyId,
        aws_secret_access_key: queue.secretAccessKey,
        eventbridge_account_id: EVENTBRIDGE_ACCOUNT,
      },
    })
    await ensureNotificationConsumers(container)
    const t = Date.now()
    while (!notificationConsumers.state().some((c) => c.holding)) {
      if (Date.now() - t > 30_000) throw new Error("the notification consumer did not take its lock within 30 s")
      await sleep(100)
    }
    const [setupRow] = await knex("amazon_notification_setup").select("id", "status", "subscriptions").where({ account_id: accountId, status: "active" })
    if (!setupRow) throw new Error(`notifications not set up: ${JSON.stringify(setup)}`)
    const subscriptions = ((setupRow.subscriptions ?? []) as { notification_type: string; status: string }[]).map((s) => `${s.notification_type}:${s.status}`)
    const timing = consumerTiming()
    say(
      `seeded: a store, account N with ${orderSkus.length} order SKUs and ${MFN_SKUS} merchant SKUs in sync, ${FBA_SKUS} FBA SKUs; notifications set up ` +
        `(${subscriptions.join(", ")}); consumer holding its lock, long-poll wait ${timing.waitSeconds} s, visibility ${timing.visibilitySeconds} s`
    )

    // ── Part A: Amazon order created / buyer cancellation → Medusa ──
    say(`A: one order every ${ORDER_EVERY_MS / 1000} s for ${ORDER_SECONDS} s, buyer cancellations at ${CANCEL_AT_S.join(", ")} s; the order import is parked`)
    const before = await counters()
    const markA = recorder.mark()
    type Ev = { kind: "created" | "cancelled"; amazonOrderId: string; at: number; doneAt?: number; seenAt?: number; medusaOrderId?: string }
    const events: Ev[] = []
    const created: string[] = []
    const t0 = Date.now()
    let polling = true
    const poll = async () => {
      const pending = events.filter((e) => e.seenAt === undefined)
      if (!pending.length) return
      const rows: { amazon_order_id: string; order_id: string | null; status: string; created_at: Date; updated_at: Date; medusa_status: string | null }[] = (
        await knex.raw(
          `select ao.amazon_order_id, ao.order_id, ao.status, ao.created_at, ao.updated_at, o.status as medusa_status
             from amazon_order ao left join "order" o on o.id = ao.order_id
            where ao.amazon_order_id = any(?) and ao.deleted_at is null`,
          [[...new Set(pending.map((e) => e.amazonOrderId))]]
        )
      ).rows
      const byId = new Map(rows.map((r) => [r.amazon_order_id, r]))
      const now = Date.now()
      for (const e of pending) {
        const r = byId.get(e.amazonOrderId)
        if (!r?.order_id) continue
        if (e.kind === "created") {
          e.seenAt = now
          e.doneAt = new Date(r.created_at).getTime()
          e.medusaOrderId = r.order_id
        } else if (/CANCEL/i.test(r.status) && r.medusa_status === "canceled") {
          e.seenAt = now
          e.doneAt = new Date(r.updated_at).getTime()
          e.medusaOrderId = r.order_id
        }
      }
    }
    const poller = (async () => {
      while (polling) {
        await poll().catch((e) => say(`poll: ${(e as Error).message}`))
        await sleep(250)
      }
    })()
    const schedule: { atMs: number; run: () => Promise<void> }[] = []
    for (let i = 0; i * ORDER_EVERY_MS < ORDER_SECONDS * 1000; i++) {
      schedule.push({
        atMs: i * ORDER_EVERY_MS,
        run: async () => {
          const seed: OrderSeed = {
            sellerId: seller.sellerId,
            fulfillmentStatus: "UNSHIPPED",
            fulfilledBy: "MERCHANT",
            buyer: { buyerEmail: `p7-buyer${i}@marketplace.amazon.de`, buyerName: `Käufer ${i}` } as OrderSeed["buyer"],
            recipient: { deliveryAddress: { name: `Käufer ${i}`, addressLine1: `Hauptstr. ${1 + i}`, city: "München", postalCode: "80331", countryCode: "DE" } } as OrderSeed["recipient"],
            orderItems: [{ sellerSku: orderSkus[i % orderSkus.length], quantityOrdered: 1 + (i % 2), unitPrice: "19.90", shippingPrice: "3.90" }],
          }
          const at = Date.now()
          const [order] = await ext.control<{ orderId: string }[]>("POST", "orders", seed)
          created.push(order.orderId)
          events.push({ kind: "created", amazonOrderId: order.orderId, at })
        },
      })
    }
    CANCEL_AT_S.forEach((s, k) => {
      schedule.push({
        atMs: s * 1000,
        run: async () => {
          // an earlier order (imported by then, unless the import lags by more than ~10 s)
          const target = created[k * 5]
          const at = Date.now()
          await ext.control("POST", `orders/${target}/buyer-cancellation`, { reason: "Changed my mind", cancelNow: true })
          events.push({ kind: "cancelled", amazonOrderId: target, at })
        },
      })
    })
    schedule.sort((a, b) => a.atMs - b.atMs)
    for (const s of schedule) {
      const wait = t0 + s.atMs - Date.now()
      if (wait > 0) await sleep(wait)
      await s.run()
    }
    const lastEvent = Math.max(...events.map((e) => e.at))
    say(`A: ${created.length} orders and ${CANCEL_AT_S.length} cancellations made in ${round((lastEvent - t0) / 1000, 0)} s; waiting for the last (at most ${ORDER_OBSERVE_S} s) …`)
    while (events.some((e) => e.seenAt === undefined) && Date.now() < lastEvent + ORDER_OBSERVE_S * 1000) await sleep(250)
    polling = false
    await poller
    await poll()
    const observedUntil = Date.now()
    const lagOf = (e: Ev) => ((e.doneAt ?? observedUntil) - e.at) / 1000
    const seenLagOf = (e: Ev) => ((e.seenAt ?? observedUntil) - e.at) / 1000
    // reservations left on the cancelled orders' line items (Medusa's reservation_item ↔ order_item)
    const cancelledMedusa = events.filter((e) => e.kind === "cancelled" && e.medusaOrderId).map((e) => e.medusaOrderId!)
    const left = cancelledMedusa.length
      ? Number(
          (
            await knex.raw(
              `select count(*)::int as n from reservation_item r join order_item oi on oi.item_id = r.line_item_id
                where oi.order_id = any(?) and r.deleted_at is null and oi.deleted_at is null`,
              [cancelledMedusa]
            )
          ).rows[0].n
        )
      : null
    const reservedOnCreated = Number(
      (
        await knex.raw(
          `select count(distinct oi.order_id)::int as n from reservation_item r join order_item oi on oi.item_id = r.line_item_id
            where oi.order_id = any(?) and r.deleted_at is null and oi.deleted_at is null`,
          [events.filter((e) => e.kind === "created" && e.medusaOrderId && !cancelledMedusa.includes(e.medusaOrderId)).map((e) => e.medusaOrderId!)]
        )
      ).rows[0].n
    )
    const dupOrders = Number(
      (await knex.raw(`select (count(*) - count(distinct amazon_order_id))::int as n from amazon_order where deleted_at is null`)).rows[0].n
    )
    await notificationConsumers.idle()
    const orderRows: { status: string; n: number; max_attempts: number }[] = (
      await knex.raw(`select status, count(*)::int as n, max(attempts)::int as max_attempts from amazon_notification where notification_type = 'ORDER_CHANGE' group by status`)
    ).rows
    const afterA = await counters()
    const dA = delta(afterA, before)
    const sent = await ext.control<Record<string, { published: number; delivered: number }>>("GET", "notifications/sent")
    const all = events.map(lagOf)
    const partA = {
      orders: created.length,
      buyer_cancellations: CANCEL_AT_S.length,
      order_every_s: ORDER_EVERY_MS / 1000,
      done: events.filter((e) => e.doneAt !== undefined).length,
      censored: events.filter((e) => e.doneAt === undefined).length,
      observed_for_s: round((observedUntil - lastEvent) / 1000, 0),
      all: summary(all),
      created: summary(events.filter((e) => e.kind === "created").map(lagOf)),
      cancelled: summary(events.filter((e) => e.kind === "cancelled").map(lagOf)),
      first_seen_by_250ms_poll: summary(events.map(seenLagOf)),
      get_order_calls: dA.calls[GET_ORDER] ?? 0,
      search_orders_calls: dA.calls[SEARCH_ORDERS] ?? 0,
      quota_429: Object.values(dA.throttled).reduce((a, b) => a + b, 0),
      throttled_by_operation: dA.throttled,
      amazon_calls_by_operation: dA.calls,
      http_requests_recorded: recorder.since(markA).length,
      order_change_rows_by_status: Object.fromEntries(orderRows.map((r) => [r.status, r.n])),
      order_change_max_attempts: Math.max(0, ...orderRows.map((r) => r.max_attempts ?? 0)),
      notifications_published: sent,
      cancelled_reservations_left: left,
      created_orders_with_reservations: reservedOnCreated,
      duplicate_amazon_order_rows: dupOrders,
      per_event: events.map((e) => ({ kind: e.kind, amazon_order_id: e.amazonOrderId, at_s: round((e.at - t0) / 1000, 1), lag_s: e.doneAt !== undefined ? round(lagOf(e), 2) : null, seen_s: e.seenAt !== undefined ? round(seenLagOf(e), 2) : null })),
    }
    say(
      `A: ${partA.done}/${events.length} done; p50 ${partA.all.p50_s} s, p95 ${partA.all.p95_s} s, max ${partA.all.max_s} s (created p95 ${partA.created.p95_s} s, cancelled p95 ${partA.cancelled.p95_s} s); ` +
        `${partA.get_order_calls} getOrder, ${partA.search_orders_calls} searchOrders, ${partA.quota_429} 429s`
    )

    // ── Part B: keep-up at RATE messages/s ──
    const [{ applicationId }] = (await ext.control<{ applicationId: string; resource: { sqs?: unknown; eventBridge?: unknown } }[]>("GET", "notifications/destinations")).filter((d) => d.resource.eventBridge)
    const subs = await ext.control<{ notificationType: string; subscriptionId: string }[]>("GET", `notifications/subscriptions?sellerId=${seller.sellerId}`)
    const subOf = (type: string) => subs.find((s) => s.notificationType === type)?.subscriptionId ?? randomUUID()
    const metadata = (type: string) => ({ applicationId, subscriptionId: subOf(type), publishTime: Date.now(), notificationId: randomUUID() })
    const eventBridge = (type: string, detail: Record<string, unknown>) =>
      JSON.stringify({
        version: "0",
        id: randomUUID(),
        "detail-type": type,
        source: `aws.partner/sellingpartnerapi.amazon/${applicationId}`,
        account: EVENTBRIDGE_ACCOUNT,
        time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        region: REGION,
        resources: [],
        detail,
      })
    const total = RATE * KEEPUP_SECONDS
    // spread out, off the FBA slots (i % 100 = 50) and the duplicate slots (i % 20 = 19)
    const malformedAt = new Set(Array.from({ length: 10 }, (_, k) => Math.floor(((k + 0.5) * total) / 10) + 3))
    const malformed = (k: number): string => {
      const m = mfnQuantityChange(seller.sellerId, mfn[k % MFN_SKUS].sku, 1, Date.now())(metadata("LISTINGS_ITEM_MFN_QUANTITY_CHANGE"))
      switch (k % 5) {
        case 0:
          return `{ not json ${k} ${randomUUID()}`
        case 1: {
          delete (m.Payload as Record<string, unknown>).Quantity // schema mismatch, NotificationId readable
          return eventBridge("LISTINGS_ITEM_MFN_QUANTITY_CHANGE", m)
        }
        case 2:
          return JSON.stringify({ ...m, Payload: { ...(m.Payload as object), Quantity: "many" } })
        case 3:
          return JSON.stringify({ ...m, NotificationType: "ANY_OFFER_CHANGED" }) // a type the plugin does not use
        default:
          return JSON.stringify([k, "an array, not a notification"])
      }
    }
    type Sent = { key: string; body: string; firstAt: number; sends: number; kind: string }
    const byKey = new Map<string, Sent>()
    const order: Sent[] = []
    /** Valid messages sent so far (what a duplicate repeats). */
    const uniques: Sent[] = []
    const parserMismatch: string[] = []
    let fbaCount = 0
    let mfnCount = 0
    let dupCount = 0
    let malformedCount = 0
    let sendErrors = 0
    const errorSamples: string[] = []
    const setupBefore = (await knex("amazon_notification_setup").select("received_count", "applied_count", "duplicate_count", "invalid_count").where({ id: setupRow.id }))[0]
    const receivedBefore = notificationConsumers.state().reduce((n, c) => n + c.received, 0)
    const beforeB = await counters()
    const rowsBefore = Number((await knex.raw(`select count(*)::int as n from amazon_notification`)).rows[0].n)
    sqs = new SQSClient({ region: REGION, endpoint: ext.url, credentials: { accessKeyId: queue.accessKeyId, secretAccessKey: queue.secretAccessKey } })
    const client = sqs
    say(`B: ${total} messages at ${RATE}/s for ${KEEPUP_SECONDS} s (5 % duplicates, 10 malformed, 1 % FBA for ${FBA_SKUS} SKUs, the rest MFN quantity in the EventBridge envelope) …`)
    const rss = new RssSampler(100)
    const inFlight = new Set<Promise<void>>()
    const tb = Date.now()
    for (let i = 0; i < total; i++) {
      const wait = tb + (i * 1000) / RATE - Date.now()
      if (wait > 0) await sleep(wait)
      let body: string
      let kind: string
      if (malformedAt.has(i)) {
        body = malformed(malformedCount++)
        kind = "malformed"
      } else if (i % 20 === 19 && uniques.length) {
        body = uniques[Math.max(0, uniques.length - 1 - ((i * 7) % Math.min(uniques.length, 200)))].body
        kind = "duplicate"
        dupCount++
      } else if (i % 100 === 50) {
        const stock = { ...fbaStocks[fbaCount % fbaStocks.length] }
        stock.fulfillable = stock.fulfillable + (fbaCount % 3)
        body = JSON.stringify(fbaInventoryChange(stock, undefined, Date.now())(metadata("FBA_INVENTORY_AVAILABILITY_CHANGES")))
        kind = "fba"
        fbaCount++
      } else {
        const s = mfn[mfnCount % MFN_SKUS]
        body = eventBridge("LISTINGS_ITEM_MFN_QUANTITY_CHANGE", mfnQuantityChange(seller.sellerId, s.sku, s.stock, Date.now())(metadata("LISTINGS_ITEM_MFN_QUANTITY_CHANGE")))
        kind = "mfn"
        mfnCount++
      }
      const parsed = parseNotification(body)
      const key = parsed.ok ? parsed.notification.notification_id : parsed.key
      if (kind === "malformed" ? parsed.ok : !parsed.ok) parserMismatch.push(`${kind}: ${parsed.ok ? "parsed" : `${parsed.code} ${parsed.reason}`}`)
      const at = Date.now()
      const known = byKey.get(key)
      if (known) known.sends++
      else {
        const s: Sent = { key, body, firstAt: at, sends: 1, kind }
        byKey.set(key, s)
        order.push(s)
        if (kind !== "malformed") uniques.push(s)
      }
      const p = client
        .send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: body }))
        .then(() => undefined)
        .catch((e) => {
          sendErrors++
          if (errorSamples.length < 3) errorSamples.push(String((e as Error)?.message ?? e))
        })
      inFlight.add(p)
      void p.finally(() => inFlight.delete(p))
    }
    await Promise.all([...inFlight])
    const lastSend = Date.now()
    say(`B: sent ${total} in ${round((lastSend - tb) / 1000, 1)} s (${sendErrors} send errors); waiting until every message is recorded and applied (at most ${KEEPUP_DRAIN_S} s) …`)
    const keys = [...byKey.keys()]
    type Row = { notification_key: string; status: string; attempts: number; deliveries: number; received_at: Date; applied_at: Date | null }
    const readRows = async (): Promise<Row[]> =>
      (
        await knex.raw(
          `select notification_key, status, attempts, deliveries, received_at, applied_at from amazon_notification where notification_key = any(?) and deleted_at is null`,
          [keys]
        )
      ).rows
    let rows = await readRows()
    let lastReport = Date.now()
    let drainedAt: number | null = null
    while (Date.now() < lastSend + KEEPUP_DRAIN_S * 1000) {
      if (rows.length >= keys.length && !rows.some((r) => r.status === "received")) {
        // and nothing else on the queue or in the applier (late notifications of Part A's pushes)
        const q = await ext.control<Record<string, number>>("GET", `sqs/queues/p7-notifications`)
        if (!q.visible && !q.inFlight && !((notificationConsumers as any).applier_?.backlog > 0)) {
          drainedAt = Date.now()
          break
        }
      }
      await sleep(500)
      rows = await readRows()
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now()
        say(`  ${rows.length}/${keys.length} recorded, ${rows.filter((r) => r.status === "received").length} still to apply`)
      }
    }
    const mem = rss.stop()
    const queueAtEnd = await ext.control<Record<string, number>>("GET", `sqs/queues/${encodeURIComponent("p7-notifications")}`)
    const afterB = await counters()
    const dB = delta(afterB, beforeB)
    const setupAfter = (await knex("amazon_notification_setup").select("received_count", "applied_count", "duplicate_count", "invalid_count").where({ id: setupRow.id }))[0]
    const rowsAfter = Number((await knex.raw(`select count(*)::int as n from amazon_notification`)).rows[0].n)
    const receivedAfter = notificationConsumers.state().reduce((n, c) => n + c.received, 0)

    const rowOf = new Map(rows.map((r) => [r.notification_key, r]))
    const lost = keys.filter((k) => !rowOf.has(k))
    const attemptsOver1 = rows.filter((r) => r.attempts > 1).length
    const appliedRows = rows.filter((r) => r.status === "applied").length
    // every application counted on the set-up (the whole run: Part A's notifications, the ones its stock
    // pushes brought, Part B's) against the inbox rows applied: more applications than rows = a row applied twice
    const appliedCounted = Number(setupAfter.applied_count) - Number(setupBefore.applied_count)
    const allApplied = (await knex.raw(`select count(*)::int as n from amazon_notification where status = 'applied' and deleted_at is null`)).rows[0].n as number
    const appliedBeyondRows = Math.max(0, Number(setupAfter.applied_count) - allApplied)
    const redelivered = rows.filter((r) => r.deliveries > (byKey.get(r.notification_key)?.sends ?? 1)).length
    const deliveriesMissing = rows.filter((r) => r.deliveries < (byKey.get(r.notification_key)?.sends ?? 1)).length
    const lags = order.filter((s) => rowOf.has(s.key)).map((s) => (new Date(rowOf.get(s.key)!.received_at).getTime() - s.firstAt) / 1000)
    const receivedTimes = rows.map((r) => new Date(r.received_at).getTime())
    const lastReceived = receivedTimes.length ? Math.max(...receivedTimes) : lastSend
    const appliedTimes = rows.filter((r) => r.applied_at).map((r) => new Date(r.applied_at!).getTime())
    const lastApplied = appliedTimes.length ? Math.max(...appliedTimes) : null
    const byStatus: Record<string, number> = {}
    for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1
    const invalidRows = rows.filter((r) => r.status === "invalid").length
    const otherRows: { notification_type: string; status: string; n: number }[] = (
      await knex.raw(
        `select notification_type, status, count(*)::int as n from amazon_notification where not (notification_key = any(?)) and received_at >= ? group by 1, 2 order by 1, 2`,
        [keys, new Date(tb)]
      )
    ).rows
    const partB = {
      rate_per_s: RATE,
      seconds: KEEPUP_SECONDS,
      messages_sent: total,
      send_errors: sendErrors,
      send_error_samples: errorSamples,
      send_s: round((lastSend - tb) / 1000, 1),
      mix: { mfn_eventbridge: mfnCount, fba: fbaCount, duplicates: dupCount, malformed: malformedCount, distinct_keys: keys.length },
      parser_check: parserMismatch.length ? { mismatches: parserMismatch.length, samples: parserMismatch.slice(0, 5) } : "every valid body parsed, every malformed one refused",
      lost: lost.length,
      lost_samples: lost.slice(0, 5),
      applied_twice: attemptsOver1 + appliedBeyondRows,
      rows_with_attempts_over_1: attemptsOver1,
      applications_counted_beyond_rows: appliedBeyondRows,
      setup_applied_count_delta: appliedCounted,
      rows_applied_of_part_b: appliedRows,
      setup_applied_count_total: Number(setupAfter.applied_count),
      rows_applied_total: allApplied,
      rows_by_status: byStatus,
      invalid_rows: invalidRows,
      invalid_expected: malformedCount,
      duplicates_counted_on_setup: Number(setupAfter.duplicate_count) - Number(setupBefore.duplicate_count),
      rows_redelivered_by_sqs: redelivered,
      rows_with_fewer_deliveries_than_sends: deliveriesMissing,
      keepup_lag: summary(lags),
      recorded_per_s: round(rows.length / Math.max(0.001, (lastReceived - tb) / 1000), 1),
      last_recorded_after_last_send_s: round((lastReceived - lastSend) / 1000, 1),
      applied_per_s: lastApplied ? round(appliedTimes.length / Math.max(0.001, (lastApplied - tb) / 1000), 1) : null,
      last_applied_after_last_send_s: lastApplied ? round((lastApplied - lastSend) / 1000, 1) : null,
      drained: drainedAt !== null,
      drained_after_last_send_s: drainedAt !== null ? round((drainedAt - lastSend) / 1000, 1) : null,
      consumer_received: receivedAfter - receivedBefore,
      setup_received_count_delta: Number(setupAfter.received_count) - Number(setupBefore.received_count),
      inbox_rows_added: rowsAfter - rowsBefore,
      other_notifications_meanwhile: otherRows,
      queue_at_end: queueAtEnd,
      backlog_at_end: { queue_visible: queueAtEnd.visible ?? null, queue_in_flight: queueAtEnd.inFlight ?? null, rows_not_applied: byStatus.received ?? 0, applier_backlog: (notificationConsumers as any).applier_?.backlog ?? null },
      sqs_calls: Object.fromEntries(Object.entries(dB.calls).filter(([k]) => k.startsWith("sqs."))),
      amazon_calls_by_operation: Object.fromEntries(Object.entries(dB.calls).filter(([k]) => !k.startsWith("sqs."))),
      quota_429: Object.values(dB.throttled).reduce((a, b) => a + b, 0),
      rss: mem,
    }
    say(
      `B: ${rows.length}/${keys.length} keys recorded (lost ${lost.length}), applied twice ${partB.applied_twice}; lag p50 ${partB.keepup_lag.p50_s} s, p95 ${partB.keepup_lag.p95_s} s, max ${partB.keepup_lag.max_s} s; ` +
        `recorded ${partB.recorded_per_s}/s, invalid ${invalidRows}/${malformedCount}; queue at end ${JSON.stringify(queueAtEnd)}; RSS ${mem.baselineMb} → ${mem.peakMb} MB`
    )

    const result = {
      settings: { ...timing, order_import_job: "parked (no polling)", notifications_job: "parked; the set-up's event and ensureNotificationConsumers start the loop", applier_concurrency: 4 },
      polling_floor_s: POLLING_FLOOR_S,
      subscriptions,
      A: partA,
      B: partB,
    }
    if (values.result) writeFileSync(values.result, JSON.stringify(result))
  } finally {
    sqs?.destroy()
    await notificationConsumers.stopAll().catch(() => undefined)
    await stack.stop().catch(() => undefined)
    await ext.close().catch(() => undefined)
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    process.stderr.write(`P7 failed: ${(e as Error)?.stack ?? String(e)}\n`)
    process.exit(1)
  })
