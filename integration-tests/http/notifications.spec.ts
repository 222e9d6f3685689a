/**
 * Amazon notifications over SQS (issue 19): set-up and removal from the admin, the consumer (record before
 * delete, idempotent by NotificationId), the work each type starts, and polling healing what a notification
 * did not bring. The simulator plays Amazon's Notifications API and the merchant's SQS queue.
 */
import "../helpers/quiet-jobs"
// the store helpers load Medusa's core flows, which the plugin's link definitions need loaded first
import { createTestProduct, seedTestStore } from "../helpers/store-seed"
import { createSimAccount, mapListings, runPush, runReconcile } from "../helpers/stock-push"

import type { MedusaContainer } from "@medusajs/framework/types"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs"
import { startSimulator, type OrderSeed, type SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { runDriftCheck } from "../../src/workflows/drift-check/run-drift-check"
import { ConsumerCrash, ensureNotificationConsumers, NotificationConsumers, notificationConsumers } from "../../src/workflows/notifications/consumer/notification-consumers"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import { pruneAmazonPushHistoryWorkflow } from "../../src/workflows/retention/prune-amazon-push-history"
import { createAdminUser } from "../helpers/admin"
import { call, DE, waitFor } from "./admin-support"

jest.setTimeout(240_000)

const SEARCH_ORDERS = "orders-2026-01-01.searchOrders"
const GET_ORDER = "orders-2026-01-01.getOrder"
const figures: Record<string, unknown> = {}

let sim: SimulatorHandle

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: 1 })
  // a responsive consumer: it stops within a second when a test ends
  process.env.AMAZON_NOTIFICATIONS_WAIT_SECONDS = "1"
})
afterAll(async () => {
  await notificationConsumers.stopAll()
  await sim?.close()
  process.stdout.write(`\nNotification figures: ${JSON.stringify(figures)}\n`)
})

interface Store {
  accountId: string
  sellerId: string
  skus: Record<string, { variantId: string; listingId: string }>
}

/** A store selling `skus` on Amazon.de (10 units each), mapped to MERCHANT listings. */
async function seedStore(container: MedusaContainer, skus: string[], settings: Record<string, unknown> = {}): Promise<Store> {
  sim.control.reset()
  const store = await seedTestStore(container)
  const { account, sellerId } = await createSimAccount(container, sim, settings)
  sim.control.seedListings(skus.map((sku) => ({ sellerId, sku, quantity: 10, price: { amount: "19.90" } })))
  const { variants } = await createTestProduct(container, store, "Notified", skus.map((sku) => ({ sku, stock: { [store.locationIds[0]]: 10 } })))
  const listings = await mapListings(container, account.id, skus.map((sku) => ({ variant_id: variants[sku].id, sku })))
  return {
    accountId: account.id,
    sellerId,
    skus: Object.fromEntries(skus.map((sku) => [sku, { variantId: variants[sku].id, listingId: listings[sku].id }])),
  }
}

function seedOrder(store: Store, seed: Omit<OrderSeed, "sellerId">) {
  return sim.control.seedOrder({ sellerId: store.sellerId, fulfillmentStatus: "UNSHIPPED", ...seed })
}

async function importedOrder(container: MedusaContainer, amazonOrderId: string) {
  const [row] = await container.resolve<AmazonModuleService>(AMAZON_MODULE).listAmazonOrders({ amazon_order_id: amazonOrderId }, { take: 1 })
  return row?.order_id ? row : undefined
}

function calls(operation: string): number {
  return sim.control.counters()[operation]?.calls ?? 0
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>

    beforeEach(async () => {
      headers = (await createAdminUser(getContainer())).headers
    })
    afterEach(async () => {
      await notificationConsumers.stopAll()
      notificationConsumers.hooks = {}
    })

    it("is set up from the admin, brings new orders long before a poll could, shrugs off duplicates, reordering and garbage, and is removed cleanly", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const store = await seedStore(container, ["NOTE-A", "NOTE-B"])
      const queue = sim.control.createSqsQueue({ name: "amazon-notes" })
      const path = `/admin/amazon/accounts/${store.accountId}/notifications`
      const body = { queue_url: queue.queueUrl, aws_region: "eu-west-1", aws_access_key_id: queue.accessKeyId, aws_secret_access_key: queue.secretAccessKey }

      // bad input: a clear 4xx and nothing written, at Amazon or here
      const fifo = await call(api, "post", path, { ...body, queue_url: queue.queueUrl.replace("amazon-notes", "amazon-notes.fifo") }, headers)
      expect(fifo.status).toBe(400)
      expect(fifo.data.message).toMatch(/standard queues/)
      const wrongKey = await call(api, "post", path, { ...body, aws_access_key_id: "AKIAWRONGWRONGWRONG1" }, headers)
      expect(wrongKey.status).toBe(400)
      expect(wrongKey.data.message).toMatch(/AWS key/)
      const elsewhere = await call(api, "post", path, { ...body, queue_url: "https://queues.example.com/123456789012/amazon-notes" }, headers)
      expect(elsewhere.status).toBe(400)
      expect((await call(api, "post", path, { ...body, aws_region: "mars" }, headers)).status).toBe(400)
      expect((await call(api, "post", path, { ...body, extra: 1 }, headers)).status).toBe(400)
      expect((await call(api, "get", path, undefined, headers)).data.notifications).toBeNull()
      expect(sim.control.listDestinations()).toHaveLength(0)
      expect(sim.control.listSubscriptions(store.sellerId)).toHaveLength(0)

      // set up: destination (grantless) + subscriptions, secret write-only
      const set = await call(api, "post", path, body, headers)
      expect(set.status).toBe(200)
      const view = set.data.notifications
      expect(view).toMatchObject({ status: "active", queue_arn: queue.queueArn, has_aws_secret: true, aws_access_key_id_hint: expect.stringMatching(/•+.{4}$/) })
      expect(JSON.stringify(set.data)).not.toContain(queue.secretAccessKey)
      expect(JSON.stringify(set.data)).not.toContain(queue.accessKeyId)
      expect(view.subscriptions.map((s: any) => [s.notification_type, s.status]).sort()).toEqual([
        ["FBA_INVENTORY_AVAILABILITY_CHANGES", "active"],
        ["FEED_PROCESSING_FINISHED", "active"],
        ["FULFILLMENT_ORDER_STATUS", "active"],
        ["LISTINGS_ITEM_MFN_QUANTITY_CHANGE", "skipped"],
        ["ORDER_CHANGE", "active"],
        ["REPORT_PROCESSING_FINISHED", "active"],
      ])
      expect(sim.control.listDestinations()).toHaveLength(1)
      expect(sim.control.listSubscriptions(store.sellerId)).toHaveLength(5)
      // setting up again (the same queue) changes nothing at Amazon
      expect((await call(api, "post", path, body, headers)).status).toBe(200)
      expect(sim.control.listDestinations()).toHaveLength(1)
      expect(sim.control.listSubscriptions(store.sellerId)).toHaveLength(5)

      // the subscriber started the consumer; nothing polls in this test
      await waitFor("the consumer", async () => notificationConsumers.state().some((c) => c.holding), 20_000)
      const searchesBefore = calls(SEARCH_ORDERS)
      const created = Date.now()
      const first = seedOrder(store, { orderItems: [{ sellerSku: "NOTE-A", quantityOrdered: 2, unitPrice: "19.90" }] })
      await waitFor("the notified order", () => importedOrder(container, first.orderId), 30_000)
      figures.order_created_to_medusa_order_ms = Date.now() - created
      expect(calls(SEARCH_ORDERS)).toBe(searchesBefore)

      // a duplicate delivery changes nothing
      sim.control.injectFault({ type: "notification-duplicate", notificationType: "ORDER_CHANGE" })
      const second = seedOrder(store, { orderItems: [{ sellerSku: "NOTE-B", quantityOrdered: 1, unitPrice: "19.90" }] })
      await waitFor("the second order", () => importedOrder(container, second.orderId), 30_000)
      await waitFor("the duplicate seen", async () => {
        const [setup] = await amazon.listAmazonNotificationSetups({ account_id: store.accountId })
        return setup.duplicate_count >= 1
      })
      expect(await amazon.listAmazonOrders({ amazon_order_id: second.orderId })).toHaveLength(1)
      const [delivered] = await amazon.listAmazonNotifications({ subject: second.orderId })
      expect(delivered).toMatchObject({ deliveries: 2, attempts: 1 })

      // reordered: a buyer's cancellation request and a new order delivered the other way round
      sim.control.injectFault({ type: "notification-reorder", notificationType: "ORDER_CHANGE" })
      // Amazon's lastUpdatedTime has whole seconds: a change within the second of the last one is the same version
      sim.control.advanceClock(1_000)
      sim.control.requestBuyerCancellation(second.orderId, { reason: "Changed my mind" })
      const third = seedOrder(store, { orderItems: [{ sellerSku: "NOTE-A", quantityOrdered: 1, unitPrice: "19.90" }] })
      await waitFor("the third order", () => importedOrder(container, third.orderId), 30_000)
      await waitFor("the buyer's request on the order", async () => {
        const [row] = await amazon.listAmazonOrders({ amazon_order_id: second.orderId })
        return (await amazon.listAmazonSyncLogs({ code: "BUYER_CANCELLATION_REQUESTED", subject_id: row.id })).length > 0
      }, 30_000)

      // garbage in the queue is kept for review and stops nothing
      const sqs = new SQSClient({ region: "eu-west-1", endpoint: sim.url, credentials: { accessKeyId: queue.accessKeyId, secretAccessKey: queue.secretAccessKey } })
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: "{ not json" }))
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: JSON.stringify({ NotificationType: "ORDER_CHANGE", Payload: {}, NotificationMetadata: { NotificationId: "broken-1" } }) }))
      sqs.destroy()
      await waitFor("the invalid messages kept", async () => (await amazon.listAmazonNotifications({ status: "invalid" })).length === 2)
      const fourth = seedOrder(store, { orderItems: [{ sellerSku: "NOTE-B", quantityOrdered: 1, unitPrice: "19.90" }] })
      await waitFor("an order after the garbage", () => importedOrder(container, fourth.orderId), 30_000)

      // a lost notification: polling brings the order anyway
      sim.control.injectFault({ type: "notification-drop", notificationType: "ORDER_CHANGE" })
      const lost = seedOrder(store, { orderItems: [{ sellerSku: "NOTE-A", quantityOrdered: 1, unitPrice: "19.90" }] })
      await new Promise((r) => setTimeout(r, 2_500))
      expect(await importedOrder(container, lost.orderId)).toBeUndefined()
      sim.control.advanceClock(130_000) // Amazon serves an order to searchOrders two minutes after its last change
      await importAmazonOrders(container, { account_id: store.accountId, wait_for_quota: true })
      expect(await importedOrder(container, lost.orderId)).toBeTruthy()

      // every order exactly once, and each notification applied at most once
      for (const o of [first, second, third, fourth, lost]) {
        expect(await amazon.listAmazonOrders({ amazon_order_id: o.orderId })).toHaveLength(1)
      }
      await notificationConsumers.idle()
      const rows = await amazon.listAmazonNotifications({ account_id: store.accountId, notification_type: "ORDER_CHANGE", status: { $ne: "invalid" } })
      expect(rows.length).toBeGreaterThanOrEqual(5)
      expect(rows.every((r) => r.attempts === 1 && ["applied", "ignored"].includes(r.status))).toBe(true)
      figures.get_order_calls = calls(GET_ORDER)
      figures.order_notifications = rows.length

      // the admin's views: the list has no payload, the set-up its counts and health
      const list = await call(api, "get", `/admin/amazon/notifications?account_id=${store.accountId}&limit=100`, undefined, headers)
      expect(list.status).toBe(200)
      expect(list.data.count).toBeGreaterThanOrEqual(rows.length + 2)
      expect(list.data.notifications[0]).not.toHaveProperty("payload")
      expect(JSON.stringify(list.data)).not.toContain("DestinationPostalCode")
      expect((await call(api, "get", "/admin/amazon/notifications?status=bogus", undefined, headers)).status).toBe(400)
      const after = (await call(api, "get", path, undefined, headers)).data.notifications
      expect(after).toMatchObject({ health: "live", invalid_count: 2, last_24h: { invalid: 2 } })
      expect(after.received_count).toBeGreaterThanOrEqual(rows.length + 3)

      // removal: subscriptions and destination gone at Amazon, secret wiped, consumer stopped
      const removed = await call(api, "delete", path, undefined, headers)
      expect(removed.status).toBe(200)
      expect(removed.data.notifications).toMatchObject({ status: "removed", has_aws_secret: false, health: "off" })
      expect(sim.control.listSubscriptions(store.sellerId)).toHaveLength(0)
      expect(sim.control.listDestinations()).toHaveLength(0)
      await waitFor("the consumer stopped", async () => notificationConsumers.state().length === 0)
      expect((await call(api, "delete", path, undefined, headers)).status).toBe(404)

      // retention: received notifications (their payloads hold postal codes) go after 30 days
      const before = (await amazon.listAmazonNotifications({})).length
      const kept = await pruneAmazonPushHistoryWorkflow(container).run({ input: { now: new Date(Date.now() + 29 * 86_400_000).toISOString() } })
      expect(kept.result.notifications).toMatchObject({ retention_days: 30, pruned: 0 })
      const pruned = await pruneAmazonPushHistoryWorkflow(container).run({ input: { now: new Date(Date.now() + 31 * 86_400_000).toISOString() } })
      expect(pruned.result.notifications.pruned).toBe(before)
      expect(await amazon.listAmazonNotifications({})).toHaveLength(0)
    })

    it("loses nothing when the consumer dies between receiving and recording, or between recording and deleting", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const store = await seedStore(container, ["KILL-A"])
      const queue = sim.control.createSqsQueue({ name: "amazon-kill" })
      const path = `/admin/amazon/accounts/${store.accountId}/notifications`
      let crashes = 0
      notificationConsumers.hooks = {
        beforeRecord: () => {
          if (crashes === 0) {
            crashes += 1
            throw new ConsumerCrash("killed before recording")
          }
        },
        beforeDelete: () => {
          if (crashes === 1) {
            crashes += 1
            throw new ConsumerCrash("killed before deleting")
          }
        },
      }
      expect((await call(api, "post", path, { queue_url: queue.queueUrl, aws_region: "eu-west-1", aws_access_key_id: queue.accessKeyId, aws_secret_access_key: queue.secretAccessKey }, headers)).status).toBe(200)
      const order = seedOrder(store, { orderItems: [{ sellerSku: "KILL-A", quantityOrdered: 1, unitPrice: "19.90" }] })

      // killed after receiving: nothing recorded, the message stays in the queue (in flight)
      await waitFor("the first crash", async () => crashes === 1 && notificationConsumers.state().every((c) => !c.holding || c.received > 0))
      expect(await amazon.listAmazonNotifications({ subject: order.orderId })).toHaveLength(0)
      expect(sim.control.sqsQueueState("amazon-kill")).toMatchObject({ inFlight: 1, deleted: 0 })

      // the visibility timeout passes, the job starts a new loop: recorded, then killed before the delete
      sim.control.advanceClock(61_000)
      await ensureNotificationConsumers(container)
      await waitFor("the second crash", async () => crashes === 2)
      expect(await amazon.listAmazonNotifications({ subject: order.orderId })).toHaveLength(1)
      expect(sim.control.sqsQueueState("amazon-kill")).toMatchObject({ deleted: 0 })

      // and once more: the redelivery is a duplicate of what was recorded; the order is applied once
      sim.control.advanceClock(61_000)
      await ensureNotificationConsumers(container)
      await waitFor("the order", () => importedOrder(container, order.orderId), 30_000)
      await waitFor("the queue empty", async () => sim.control.sqsQueueState("amazon-kill").deleted >= 1)
      await notificationConsumers.idle()
      const [row] = await amazon.listAmazonNotifications({ subject: order.orderId })
      expect(row).toMatchObject({ status: "applied", deliveries: 2, attempts: 1 })
      expect(await amazon.listAmazonOrders({ amazon_order_id: order.orderId })).toHaveLength(1)
      expect(sim.control.sqsQueueState("amazon-kill")).toMatchObject({ visible: 0, inFlight: 0 })
    })

    it("reads FBA stock, what Amazon shows for a merchant SKU (through EventBridge), feed results and listings reports as soon as Amazon says so; one reader per cluster", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      // feeds only (no single-SKU patches), so the push's result comes with FEED_PROCESSING_FINISHED
      const store = await seedStore(container, ["MFN-A", "FEED-A"], { push: { max_patches_per_run: 0 } })
      const queue = sim.control.createSqsQueue({ name: "amazon-stock" })
      sim.control.routeEventBridgeToQueue({ awsAccountId: "210987654321", region: "eu-west-1" }, queue.queueArn)
      const set = await call(
        api,
        "post",
        `/admin/amazon/accounts/${store.accountId}/notifications`,
        { queue_url: queue.queueUrl, aws_region: "eu-west-1", aws_access_key_id: queue.accessKeyId, aws_secret_access_key: queue.secretAccessKey, eventbridge_account_id: "210987654321" },
        headers
      )
      expect(set.status).toBe(200)
      expect(set.data.notifications.subscriptions.find((s: any) => s.notification_type === "LISTINGS_ITEM_MFN_QUANTITY_CHANGE")).toMatchObject({ status: "active" })
      expect(sim.control.listDestinations()).toHaveLength(2)
      await waitFor("the consumer", async () => notificationConsumers.state().some((c) => c.holding), 20_000)
      // a second instance of the worker starts its own loop, which finds the set-up's lock taken and waits
      const otherInstance = new NotificationConsumers()
      await otherInstance.sync(container)
      await new Promise((r) => setTimeout(r, 1_500))
      expect(otherInstance.state()).toEqual([expect.objectContaining({ holding: false, received: 0 })])
      await otherInstance.stopAll()

      // the plugin last set 10; someone sets 77 in Seller Central: the notification contradicts, the SKU is queued again
      await amazon.updateAmazonListings({ id: store.skus["MFN-A"].listingId, last_accepted_quantity: 10, push_status: "accepted", last_accepted_at: new Date() })
      sim.control.setQuantity("MFN-A", 77, { sellerId: store.sellerId })
      const listing = await waitFor("Amazon's quantity read", async () => {
        const l = await amazon.retrieveAmazonListing(store.skus["MFN-A"].listingId)
        return l.amazon_quantity_source === "notification" ? l : undefined
      }, 30_000)
      expect(listing).toMatchObject({ amazon_quantity: 77, last_accepted_quantity: 77 })
      const outbox = await amazon.listAmazonStockOutboxes({ variant_id: store.skus["MFN-A"].variantId })
      expect(outbox).toHaveLength(1)

      // FBA stock: the FBA location reads it without waiting for the 15-minute job
      sim.control.setFbaStock({ sellerId: store.sellerId, sku: "FBA-NOTE", fulfillable: 12 })
      await waitFor("the FBA snapshot", async () => {
        const [row] = await amazon.listAmazonFbaStocks({ account_id: store.accountId, seller_sku: "FBA-NOTE" })
        return row?.fulfillable === 12
      }, 30_000)

      // a feed's results are read when Amazon announces them, not by the feed-results job (parked here)
      sim.control.setFeedTiming({ queueMs: 200, processingMs: 300 })
      await runReconcile(container)
      expect((await runPush(container)).feeds).toHaveLength(1)
      const accepted = await waitFor("the feed's results", async () => {
        const l = await amazon.retrieveAmazonListing(store.skus["FEED-A"].listingId)
        return l.push_status === "accepted" ? l : undefined
      }, 30_000)
      expect(accepted).toMatchObject({ last_accepted_quantity: 10 })

      // a comparison with Amazon polling its report every 10 minutes is woken by REPORT_PROCESSING_FINISHED
      process.env.AMAZON_DRIFT_REPORT_POLL_MS = "600000"
      sim.control.setReportTiming({ queueMs: 200, processingMs: 500 })
      try {
        const started = Date.now()
        const check = await runDriftCheck(container, { account_id: store.accountId, marketplace_id: DE, trigger: "admin" })
        expect(check).toMatchObject({ status: "done" })
        figures.drift_check_woken_ms = Date.now() - started
        expect(Date.now() - started).toBeLessThan(60_000)
      } finally {
        delete process.env.AMAZON_DRIFT_REPORT_POLL_MS
      }

      await notificationConsumers.idle()
      const rows = await amazon.listAmazonNotifications({ account_id: store.accountId })
      expect(rows.map((r) => r.notification_type).sort()).toEqual(
        expect.arrayContaining(["FBA_INVENTORY_AVAILABILITY_CHANGES", "LISTINGS_ITEM_MFN_QUANTITY_CHANGE", "FEED_PROCESSING_FINISHED", "REPORT_PROCESSING_FINISHED"])
      )
      expect(rows.filter((r) => r.notification_type === "FEED_PROCESSING_FINISHED" && r.status === "applied")).toHaveLength(1)
      expect(rows.filter((r) => r.notification_type === "REPORT_PROCESSING_FINISHED" && r.status === "applied")).toHaveLength(1)
      expect(rows.filter((r) => r.status === "failed")).toEqual([])
    })
  },
})
