/**
 * The dashboard as a control room (issue 17): one verdict per account in its three states, problems grouped
 * by cause and account in plain words that close themselves when the cause goes away and can be marked
 * handled a whole cause at a time, a FATAL feed that reads "failed", orders in "needs attention" with their
 * ship-by time, Seller Central link and the listing to map, and the syncs started from the admin.
 */
import "../helpers/quiet-jobs"

import { updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { SimulatorHandle } from "../../simulator"
import { listingKey } from "../../simulator/state"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import type { AdminAmazonStatus } from "../../src/types/http"
import { recordAmazonStatusSampleWorkflow } from "../../src/workflows/admin/record-amazon-status-sample"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import { createAdminUser } from "../helpers/admin"
import { createSimAccount, DE, mapListings, runPush, runReconcile, settleFeeds, startStockSimulator, waitForOutbox } from "../helpers/stock-push"
import { createTestProduct, seedTestStore } from "../helpers/store-seed"
import { call, waitFor } from "./admin-support"

jest.setTimeout(240_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let sim: SimulatorHandle
    let headers: Record<string, string>
    let userId: string

    beforeAll(async () => {
      sim = await startStockSimulator()
    })
    afterAll(async () => {
      await sim?.close()
    })
    beforeEach(async () => {
      const admin = await createAdminUser(getContainer())
      headers = admin.headers
      userId = admin.user.id
      sim.control.clearFaults()
    })

    const status = async (accountId: string): Promise<AdminAmazonStatus> => {
      const res = await call(api, "get", `/admin/amazon/status?account_id=${accountId}`, undefined, headers)
      expect(res.status).toBe(200)
      return res.data.status
    }
    const settle = () => recordAmazonStatusSampleWorkflow(getContainer()).run({ input: {} })

    it("gives each account one verdict, groups problems by cause, closes them when the cause goes away, and reads a FATAL feed as failed", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const store = await seedTestStore(container, { locationNames: ["Control room"] })
      const [warehouse] = store.locationIds
      const { account, sellerId } = await createSimAccount(container, sim, { stock_location_ids: [warehouse] })
      const { variants } = await createTestProduct(container, store, "Verdict tee", [{ sku: "VT", stock: { [warehouse]: 6 } }])
      sim.control.seedListings([{ sellerId, sku: "AMZ-VT", quantity: 0 }])
      const { "AMZ-VT": listing } = await mapListings(container, account.id, [{ variant_id: variants.VT.id, sku: "AMZ-VT" }])
      const setStock = async (stocked: number) => {
        await updateInventoryLevelsWorkflow(container).run({
          input: { updates: [{ inventory_item_id: variants.VT.inventoryItemId!, location_id: warehouse, stocked_quantity: stocked }] },
        })
        await waitForOutbox(container, [variants.VT.id])
      }

      // Healthy: the first push went through.
      await runReconcile(container)
      expect(await runPush(container)).toMatchObject({ patched: 1, rejected: 0 })
      let s = await status(account.id)
      expect(s.verdicts).toEqual([expect.objectContaining({ account_id: account.id, state: "healthy", code: "OK", next_step: "Nothing to do." })])
      expect(s.verdicts[0].reason).toMatch(/^Stock and orders are in sync \(last push (\d+ s|just now)/)
      expect(s.errors.groups).toEqual([])

      // Delayed: a change has waited longer than the push allows (3 intervals, 5 minutes at least, an hour at
      // most: the tests' jobs run once a day).
      await setStock(5)
      const [row] = await amazon.listAmazonStockOutboxes({ variant_id: variants.VT.id })
      await amazon.updateAmazonStockOutboxes({ id: row.id, first_enqueued_at: new Date(Date.now() - 2 * 3_600_000) })
      s = await status(account.id)
      expect(s.verdicts[0]).toMatchObject({ state: "delayed", code: "PUSH_LAG", reason: "A stock change has waited 2 h to reach Amazon." })

      // Action needed: Amazon refuses the SKU, twice (two pushes): one problem, counted twice, in plain words.
      sim.state.listings.delete(listingKey(sellerId, "AMZ-VT"))
      expect(await runPush(container)).toMatchObject({ rejected: 1 })
      await setStock(4)
      expect(await runPush(container)).toMatchObject({ rejected: 1 })
      s = await status(account.id)
      expect(s.verdicts[0]).toMatchObject({ state: "action_needed", code: "SKU_ERRORS", reason: "Amazon refused the quantity of 1 SKU.", action: "listings" })
      const refused = s.errors.groups.filter((g) => g.title === "Amazon refused a quantity")
      expect(refused).toHaveLength(1)
      expect(refused[0]).toMatchObject({ account_id: account.id, stream: "stock_push", count: 2, level: "error", examples: ["AMZ-VT"], action: "listings" })
      expect(refused[0].latest_message).toContain("AMZ-VT")
      const refusedIds = (await amazon.listAmazonSyncLogs({ account_id: [account.id], stream: "stock_push", resolved_at: null })).map((l) => l.id)
      expect(refusedIds).toHaveLength(2)
      expect(new Set((await amazon.listAmazonSyncLogs({ id: refusedIds })).map((l) => l.subject_id))).toEqual(new Set([listing.id]))

      // Settling before the cause went away closes nothing.
      await settle()
      expect(await amazon.listAmazonSyncLogs({ id: refusedIds, resolved_at: null })).toHaveLength(2)

      // The SKU is back and accepted: the next settle closes both entries itself, the verdict is healthy again.
      sim.control.seedListing({ sellerId, sku: "AMZ-VT", quantity: 0 })
      await setStock(3)
      expect(await runPush(container)).toMatchObject({ patched: 1, rejected: 0 })
      await settle()
      const closed = await amazon.listAmazonSyncLogs({ id: refusedIds })
      expect(closed.map((l) => [l.resolved_by, !!l.resolved_at])).toEqual([
        ["auto", true],
        ["auto", true],
      ])
      s = await status(account.id)
      expect(s.verdicts[0].state).toBe("healthy")
      expect(s.errors.groups.filter((g) => g.stream === "stock_push")).toEqual([])

      // A feed Amazon ends FATAL reads as failed (list and detail), not "processed"; its problem is named.
      sim.control.injectFault({ type: "feed-fatal", count: 1 })
      await amazon.updateAmazonAccounts({ id: account.id, settings: { stock_location_ids: [warehouse], push: { max_patches_per_run: 0 } } })
      await setStock(2)
      expect(await runPush(container)).toMatchObject({ fed: 1 })
      await settleFeeds(container, sim)
      const feeds = (await call(api, "get", `/admin/amazon/feeds?account_id=${account.id}`, undefined, headers)).data.feeds
      expect(feeds[0]).toMatchObject({ status: "processed", outcome: "failed", summary: expect.objectContaining({ processing_status: "FATAL" }) })
      expect((await call(api, "get", `/admin/amazon/feeds/${feeds[0].id}`, undefined, headers)).data.feed.outcome).toBe("failed")
      s = await status(account.id)
      const fatal = s.errors.groups.find((g) => g.code === "FEED_FATAL")
      expect(fatal).toMatchObject({ title: "Amazon failed a whole quantity feed", account_id: account.id, action: "feeds" })

      // Marked handled as a whole cause by the admin: gone from the list, kept in the log with who did it.
      const bad = await call(api, "post", "/admin/amazon/sync-logs/resolve", { groups: ["not a key"] }, headers)
      expect(bad.status).toBe(400)
      expect((await call(api, "post", "/admin/amazon/sync-logs/resolve", {}, headers)).status).toBe(400)
      const keys = s.errors.groups.map((g) => g.key)
      const handled = await call(api, "post", "/admin/amazon/sync-logs/resolve", { groups: keys }, headers)
      expect(handled.status).toBe(200)
      expect(handled.data.resolved.length).toBe(s.errors.groups.reduce((n, g) => n + g.count, 0))
      const byAdmin = await amazon.listAmazonSyncLogs({ id: handled.data.resolved })
      expect(new Set(byAdmin.map((l) => l.resolved_by))).toEqual(new Set([userId]))
      expect((await status(account.id)).errors.groups).toEqual([])
    })

    it("shows what an order waiting for an unknown SKU needs, imports it once the SKU is mapped, and lists the sync that did it", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const store = await seedTestStore(container, { locationNames: ["Attention"] })
      const [warehouse] = store.locationIds
      const { account, sellerId } = await createSimAccount(container, sim, { stock_location_ids: [warehouse] })
      const { variants } = await createTestProduct(container, store, "Attention mug", [{ sku: "AM", stock: { [warehouse]: 9 } }])
      const [listing] = await amazon.createAmazonListings([{ account_id: account.id, marketplace_id: DE, seller_sku: "AMZ-AM" }])
      const placed = new Date(sim.control.now() - 30 * 60_000)
      const shipBy = new Date(placed.getTime() + 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z")
      const order = sim.control.seedOrder({
        sellerId,
        createdTime: placed.toISOString(),
        lastUpdatedTime: placed.toISOString(),
        fulfillmentStatus: "UNSHIPPED",
        shipByWindow: { latestDateTime: shipBy },
        orderItems: [{ sellerSku: "AMZ-AM", quantityOrdered: 1, unitPrice: "9.50" }],
      } as any)
      await importAmazonOrders(container, { account_id: account.id })

      const waiting = await call(api, "get", "/admin/amazon/orders?import_status=needs_attention", undefined, headers)
      const mine = waiting.data.orders.find((o: any) => o.amazon_order_id === order.orderId)
      expect(mine).toMatchObject({
        attention_code: "UNKNOWN_SKU",
        seller_central_url: `https://sellercentral.amazon.de/orders-v3/order/${order.orderId}`,
        attention: { ship_by: new Date(shipBy).toISOString(), placed_at: expect.any(String), skus: [{ seller_sku: "AMZ-AM", listing_id: listing.id, linked: false }] },
      })
      expect(mine.payload).toBeUndefined()
      let s = await status(account.id)
      expect(s.verdicts[0]).toMatchObject({ state: "action_needed", code: "ORDERS_NEED_ATTENTION", action: "orders" })
      expect(s.errors.groups).toEqual([expect.objectContaining({ stream: "orders", code: "UNKNOWN_SKU", examples: [order.orderId] })])

      // "Map SKU…" links the listing; the admin starts the import, which imports the order by itself.
      expect((await call(api, "post", `/admin/amazon/listings/${listing.id}/link`, { variant_id: variants.AM.id }, headers)).status).toBe(200)
      expect((await call(api, "post", "/admin/amazon/sync", { stream: "orders", account_id: account.id }, headers)).status).toBe(202)
      await waitFor("the order imported", async () => {
        const [r] = await amazon.listAmazonOrders({ amazon_order_id: order.orderId })
        return r?.import_status === "imported"
      })
      // the sync shows as started from the admin, by whom, with its result
      const activity = await waitFor("the finished sync", async () => {
        const res = await call(api, "get", "/admin/amazon/sync", undefined, headers)
        return res.data.recent.find((r: any) => r.stream === "orders" && r.account_id === account.id) ? res.data : null
      })
      expect(activity.recent.find((r: any) => r.stream === "orders")).toMatchObject({ ok: true, requested_by: userId, requested_by_email: "admin@medusa.test" })
      expect(activity.running.filter((r: any) => r.account_id === account.id)).toEqual([])

      // The problem closes itself with the next settle; the verdict no longer asks for anything about orders.
      await settle()
      s = await status(account.id)
      expect(s.errors.groups.filter((g) => g.code === "UNKNOWN_SKU")).toEqual([])
      expect(s.verdicts[0].code).not.toBe("ORDERS_NEED_ATTENTION")
      const [log] = await amazon.listAmazonSyncLogs({ account_id: [account.id], code: "UNKNOWN_SKU" })
      expect(log).toMatchObject({ resolved_by: "auto" })
    })
  },
})
