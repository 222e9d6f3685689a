import "../helpers/quiet-jobs"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { cancelOrderWorkflow, deleteProductVariantsWorkflow, updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import type { SimulatorHandle } from "../../simulator"
import amazonFeedResultsJob from "../../src/jobs/amazon-feed-results"
import amazonPushStockJob from "../../src/jobs/amazon-push-stock"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import {
  createTestInventoryItem,
  createTestProduct,
  placeStoreOrder,
  seedTestStore,
  TestStore,
} from "../helpers/store-seed"
import {
  createSimAccount,
  DE,
  mapListings,
  runPush,
  runReconcile,
  settleFeeds,
  simCalls,
  startStockSimulator,
  waitFor,
  waitForOutbox,
} from "../helpers/stock-push"
import { resolvePendingStockEvents } from "../../src/workflows/stock-push/steps/resolve-stock-events"

jest.setTimeout(240_000)


/** Prints a measured figure so it shows in the test output (for the issue report). */
function figure(name: string, value: unknown) {
  process.stdout.write(`[stock-push figure] ${name}: ${JSON.stringify(value)}\n`)
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    let sim: SimulatorHandle

    beforeAll(async () => {
      sim = await startStockSimulator()
    })
    afterAll(async () => {
      await sim?.close()
    })

    describe("store orders reach Amazon as absolute quantities", () => {
      let store: TestStore

      beforeEach(async () => {
        store = await seedTestStore(getContainer(), { locationNames: ["Berlin", "Hamburg"] })
      })

      it("lowers the Amazon quantity when an order is placed, restores it on cancel, and gets kits, locations and rules right", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const [berlin, hamburg] = store.locationIds
        const { account, sellerId } = await createSimAccount(container, sim, { unmanaged_quantity: 25 })

        // A kit of 2 × bolt + 1 × nut; bolts only in Berlin, nuts in both places.
        const bolt = await createTestInventoryItem(container, "BOLT", { [berlin]: 9 })
        const nut = await createTestInventoryItem(container, "NUT", { [berlin]: 5, [hamburg]: 4 })
        const { variants } = await createTestProduct(container, store, "Workshop", [
          { sku: "TEE", stock: { [berlin]: 10, [hamburg]: 3 } },
          {
            sku: "KIT",
            kit: [
              { inventory_item_id: bolt.id, required_quantity: 2 },
              { inventory_item_id: nut.id, required_quantity: 1 },
            ],
          },
          { sku: "RULED", stock: { [berlin]: 50 } },
          { sku: "FREE", manageInventory: false },
        ])

        sim.control.seedListings([
          { sellerId, sku: "AMZ-TEE", quantity: 0 },
          { sellerId, sku: "AMZ-KIT", quantity: 0 },
          { sellerId, sku: "AMZ-RULED", quantity: 0 },
          { sellerId, sku: "AMZ-FREE", quantity: 0 },
          { sellerId, sku: "AMZ-TEE-FBA", fulfillmentChannel: "AMAZON_EU" },
        ])
        const listings = await mapListings(container, account.id, [
          { variant_id: variants.TEE.id, sku: "AMZ-TEE" },
          { variant_id: variants.KIT.id, sku: "AMZ-KIT" },
          // 50 − 5 = 45 → 50 % = 22 → capped at 20
          { variant_id: variants.RULED.id, sku: "AMZ-RULED", rules: { buffer: 5, percentage: 50, max: 20 } },
          { variant_id: variants.FREE.id, sku: "AMZ-FREE" },
          { variant_id: variants.TEE.id, sku: "AMZ-TEE-FBA", fulfillment_channel: "AMAZON" },
        ])

        // First sync: the reconcile pass queues every mapped SKU; four changes are a small batch → patches.
        expect(await runReconcile(container)).toMatchObject({ listings: 4 })
        const first = await runPush(container)
        expect(first).toMatchObject({ candidates: 4, patched: 4, fed: 0, deferred: 0 })
        expect(sim.control.quantities(sellerId)).toEqual({
          "AMZ-TEE": 13, // Berlin 10 + Hamburg 3
          "AMZ-KIT": 4, // bolts 9 / 2 = 4, nuts 9 / 1 = 9
          "AMZ-RULED": 20,
          "AMZ-FREE": 25, // does not manage inventory: the account's default
          "AMZ-TEE-FBA": null, // Amazon-fulfilled: never pushed
        })
        const tee = await amazon.retrieveAmazonListing(listings["AMZ-TEE"].id)
        expect(tee).toMatchObject({ last_accepted_quantity: 13, push_status: "accepted" })
        const fba = await amazon.retrieveAmazonListing(listings["AMZ-TEE-FBA"].id)
        expect(fba.last_sent_quantity).toBeNull()
        expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)

        // A shopper buys 2 tees: the order's events queue the variant, the next push patches Amazon.
        const checkoutAt = Date.now()
        const orderId = await placeStoreOrder(container, store, [{ variant_id: variants.TEE.id, quantity: 2 }])
        const placedAt = Date.now()
        await waitForOutbox(container, [variants.TEE.id])
        const queuedAt = Date.now()
        const afterOrder = await runPush(container)
        expect(afterOrder).toMatchObject({ patched: 1, fed: 0 })
        expect(sim.control.getQuantity("AMZ-TEE", sellerId)).toBe(11)
        const acceptedAt = Date.now()
        figure("checkout (cart completion workflow), ms", placedAt - checkoutAt)
        figure("order placed → quantity accepted (push run right after the events), ms", acceptedAt - placedAt)
        figure("order placed → outbox row (events + subscriber), ms", queuedAt - placedAt)
        figure("push run (compute + patch), ms", acceptedAt - queuedAt)

        // Cancelling releases the reservation: the quantity goes back up (this time through the scheduled
        // job's own entry point).
        await cancelOrderWorkflow(container).run({ input: { order_id: orderId } })
        await waitForOutbox(container, [variants.TEE.id])
        await amazonPushStockJob(container)
        expect(sim.control.getQuantity("AMZ-TEE", sellerId)).toBe(13)
        expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)

        // One kit reserves 2 bolts and 1 nut: 7 bolts make 3 kits.
        await placeStoreOrder(container, store, [{ variant_id: variants.KIT.id, quantity: 1 }])
        await waitForOutbox(container, [variants.KIT.id])
        await runPush(container)
        expect(sim.control.getQuantity("AMZ-KIT", sellerId)).toBe(3)

        // An unchanged catalogue costs nothing: the reconcile pass recomputes everything and sends nothing.
        const before = simCalls(sim).calls
        await runReconcile(container)
        expect(await runPush(container)).toMatchObject({ candidates: 4, skipped: 4, patched: 0, fed: 0, amazon_calls: 0 })
        expect(simCalls(sim).calls).toBe(before)

        // Deleting a variant stops its listing: Amazon gets 0.
        await deleteProductVariantsWorkflow(container).run({ input: { ids: [variants.RULED.id] } })
        await waitForOutbox(container, [variants.RULED.id])
        await runPush(container)
        expect(sim.control.getQuantity("AMZ-RULED", sellerId)).toBe(0)
      })

      it("records a store event as one cheap row; the next push run resolves it into the outbox and deletes it", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const inventory = container.resolve(Modules.INVENTORY)
        const [berlin] = store.locationIds
        const { account, sellerId } = await createSimAccount(container, sim)
        const { variants } = await createTestProduct(container, store, "Events", [
          { sku: "EVT", stock: { [berlin]: 6 } },
          { sku: "EVT-OFF", stock: { [berlin]: 3 } }, // not sold on Amazon
        ])
        sim.control.seedListings([{ sellerId, sku: "AMZ-EVT", quantity: 0 }])
        await mapListings(container, account.id, [{ variant_id: variants.EVT.id, sku: "AMZ-EVT" }])
        await runReconcile(container)
        await runPush(container)
        expect(sim.control.getQuantity("AMZ-EVT", sellerId)).toBe(6)
        const [level] = await inventory.listInventoryLevels({ inventory_item_id: variants.EVT.inventoryItemId! })
        const [offLevel] = await inventory.listInventoryLevels({ inventory_item_id: variants["EVT-OFF"].inventoryItemId! })

        // The store changes stock: the subscriber records the raw event (no outbox row, no lookup yet).
        await updateInventoryLevelsWorkflow(container).run({
          input: {
            updates: [
              { inventory_item_id: level.inventory_item_id, location_id: berlin, stocked_quantity: 2 },
              { inventory_item_id: offLevel.inventory_item_id, location_id: berlin, stocked_quantity: 1 },
            ],
          },
        })
        const recorded = await waitFor("the recorded events", async () => {
          const rows = await amazon.listAmazonStockEvents({ ref_id: [level.id, offLevel.id] })
          return rows.length === 2 ? rows : undefined
        })
        expect(recorded).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ name: "inventory.inventory-level.updated", kind: "inventory_level", ref_id: level.id }),
            expect.objectContaining({ name: "inventory.inventory-level.updated", kind: "inventory_level", ref_id: offLevel.id }),
          ])
        )
        expect(await amazon.listAmazonStockOutboxes({ variant_id: [variants.EVT.id, variants["EVT-OFF"].id] })).toHaveLength(0)

        // The next push run resolves them first: Amazon gets the new quantity, both event rows are gone,
        // and the variant Amazon does not sell never reached the outbox.
        const pushed = await runPush(container)
        expect(pushed).toMatchObject({ candidates: 1, patched: 1 })
        expect(sim.control.getQuantity("AMZ-EVT", sellerId)).toBe(2)
        expect(await amazon.listAmazonStockEvents({ ref_id: [level.id, offLevel.id] })).toHaveLength(0)
        expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)

        // Resolving alone (the push's first step): the outbox row keeps the event's name and time.
        await updateInventoryLevelsWorkflow(container).run({
          input: { updates: [{ inventory_item_id: level.inventory_item_id, location_id: berlin, stocked_quantity: 4 }] },
        })
        const [event] = await waitFor("the recorded event", async () => {
          const rows = await amazon.listAmazonStockEvents({ ref_id: level.id })
          return rows.length ? rows : undefined
        })
        expect(await resolvePendingStockEvents(container)).toMatchObject({ enqueued: 1 })
        const [row] = await amazon.listAmazonStockOutboxes({ variant_id: variants.EVT.id })
        expect(row).toMatchObject({ reason: "inventory.inventory-level.updated", version: 1 })
        expect(new Date(row.first_enqueued_at).getTime()).toBe(new Date(event.created_at).getTime())
        expect(await amazon.listAmazonStockEvents({ ref_id: level.id })).toHaveLength(0)
        // Resolving again finds nothing; the push drains the row.
        expect(await resolvePendingStockEvents(container)).toMatchObject({ events: 0 })
        expect(await runPush(container)).toMatchObject({ patched: 1 })
        expect(sim.control.getQuantity("AMZ-EVT", sellerId)).toBe(4)
      })

      it("sends 1,000 changed SKUs as one feed (not 1,000 calls), and a run with no change makes no call", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const [berlin] = store.locationIds
        const { account, sellerId } = await createSimAccount(container, sim)

        const started = Date.now()
        const variantIds: string[] = []
        const itemIds: string[] = []
        const skus: string[] = []
        for (let p = 0; p < 10; p++) {
          const specs = Array.from({ length: 100 }, (_, i) => ({ sku: `K${p * 100 + i}`, stock: { [berlin]: 5 } }))
          const { variants } = await createTestProduct(container, store, `Bulk ${p}`, specs)
          for (const s of specs) {
            variantIds.push(variants[s.sku].id)
            itemIds.push(variants[s.sku].inventoryItemId!)
            skus.push(s.sku)
          }
        }
        sim.control.seedListings(skus.map((sku) => ({ sellerId, sku: `AMZ-${sku}`, quantity: 0 })))
        await mapListings(container, account.id, skus.map((sku, i) => ({ variant_id: variantIds[i], sku: `AMZ-${sku}` })))
        figure("seeding 1,000 variants + listings, ms", Date.now() - started)

        // Initial sync, with feeds capped at 400 messages to show the split (Amazon's cap is 25,000).
        await runReconcile(container)
        const initial = await runPush(container, { max_messages_per_feed: 400 })
        expect(initial).toMatchObject({ candidates: 1000, fed: 1000, patched: 0, deferred: 0 })
        expect(initial.feeds.map((f) => f.message_count)).toEqual([400, 400, 200])
        await settleFeeds(container, sim)
        expect(Object.values(sim.control.quantities(sellerId)).every((q) => q === 5)).toBe(true)

        // 1,000 SKUs change at once (a stock take), through Medusa's own workflow and events.
        sim.control.resetCounters()
        const changedAt = Date.now()
        const inventory = container.resolve(Modules.INVENTORY)
        const levels = await inventory.listInventoryLevels({ inventory_item_id: itemIds }, { take: 2000 })
        const { updateInventoryLevelsWorkflow } = await import("@medusajs/medusa/core-flows")
        await updateInventoryLevelsWorkflow(container).run({
          input: {
            updates: levels.map((l, i) => ({ inventory_item_id: l.inventory_item_id, location_id: l.location_id, stocked_quantity: 7 + (i % 3) })),
          },
        })
        await waitForOutbox(container, variantIds, 120_000)
        const queuedAt = Date.now()
        const pushed = await runPush(container)
        const pushedAt = Date.now()
        expect(pushed).toMatchObject({ outbox_rows: 1000, candidates: 1000, fed: 1000, patched: 0, deferred: 0 })
        expect(pushed.feeds).toHaveLength(1)
        const results = await settleFeeds(container, sim)
        const settledAt = Date.now()
        expect(results).toMatchObject({ accepted: 1000, errors: 0 })
        const expected = new Map(levels.map((l, i) => [l.inventory_item_id, 7 + (i % 3)]))
        const quantities = sim.control.quantities(sellerId)
        skus.forEach((sku, i) => expect(quantities[`AMZ-${sku}`]).toBe(expected.get(itemIds[i])))

        const { calls, counters } = simCalls(sim, (op) => op !== "lwa.token")
        expect(counters["listings-items-2021-08-01.patchListingsItem"]).toBeUndefined()
        expect(counters["feeds-2021-06-30.createFeed"].calls).toBe(1)
        expect(calls).toBeLessThanOrEqual(6)
        figure("SP-API calls for 1,000 changes (push + results)", { calls, plus_s3_put_and_get: 2, by_operation: Object.fromEntries(Object.entries(counters).map(([k, v]) => [k, v.calls])) })
        figure("1,000 changes: events → outbox, ms", queuedAt - changedAt)
        figure("1,000 changes: push run (compute, build, upload, submit), ms", pushedAt - queuedAt)
        figure("1,000 changes: feed processed + report recorded, ms", settledAt - pushedAt)

        // No change → no call: an empty outbox, and a full reconcile pass, both stay silent.
        sim.control.resetCounters()
        expect(await runPush(container)).toMatchObject({ outbox_rows: 0, amazon_calls: 0 })
        await runReconcile(container)
        expect(await runPush(container)).toMatchObject({ candidates: 1000, skipped: 1000, fed: 0, patched: 0, amazon_calls: 0 })
        expect(simCalls(sim).calls).toBe(0)
        expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)
      })

      it("sends a big batch as one feed and records each SKU's result from the processing report", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const [berlin] = store.locationIds
        const { account, sellerId } = await createSimAccount(container, sim)
        const specs = Array.from({ length: 12 }, (_, i) => ({ sku: `S${i}`, stock: { [berlin]: i + 1 } }))
        const { variants } = await createTestProduct(container, store, "Socks", specs)
        sim.control.seedListings(specs.map((s) => ({ sellerId, sku: `AMZ-${s.sku}`, quantity: 0 })))
        await mapListings(
          container,
          account.id,
          specs.map((s) => ({ variant_id: variants[s.sku].id, sku: `AMZ-${s.sku}` }))
        )
        await runReconcile(container)
        const pushed = await runPush(container)
        // 12 changes > 10 patches per run and none is urgent → one feed.
        expect(pushed).toMatchObject({ candidates: 12, patched: 0, fed: 12, deferred: 0 })
        expect(pushed.feeds).toHaveLength(1)

        // Until Amazon's report is read, nothing counts as accepted, and the outbox is already clear.
        const [pending] = await amazon.listAmazonListings({ seller_sku: "AMZ-S3" })
        expect(pending).toMatchObject({ push_status: "pending", last_sent_quantity: 4, last_accepted_quantity: null })
        expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)

        // While the feed is in flight, the same quantities are not sent again.
        await runReconcile(container)
        expect(await runPush(container)).toMatchObject({ skipped: 12, fed: 0, patched: 0 })

        // The results job polls the feed and reads its report.
        sim.control.advanceClock(60_000)
        await amazonFeedResultsJob(container)
        expect(await amazon.listAmazonFeeds({ status: "processed" })).toHaveLength(1)
        const [feed] = await amazon.listAmazonFeeds({ id: pushed.feeds[0].id }, { relations: ["messages"] })
        expect(feed).toMatchObject({ status: "processed", accepted_count: 12, error_count: 0, purpose: "reconcile" })
        expect(feed.messages.every((m) => m.status === "accepted")).toBe(true)
        const [accepted] = await amazon.listAmazonListings({ seller_sku: "AMZ-S3" })
        expect(accepted).toMatchObject({ push_status: "accepted", last_accepted_quantity: 4, pending_feed_id: null })
        for (let i = 0; i < 12; i++) {
          expect(sim.control.getQuantity(`AMZ-S${i}`, sellerId)).toBe(i + 1)
        }
        expect(sim.control.listFeeds(sellerId)[0].marketplaceIds).toEqual([DE])
      })
    })
  },
})
