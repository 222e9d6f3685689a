import "../helpers/quiet-jobs"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import type { SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import type { AccountSettings } from "../../src/types/account-settings"
import { STOCK_PUSH_LOCK_KEY } from "../../src/workflows/stock-push/push-amazon-stock"
import { acquireAmazonLockStep } from "../../src/workflows/shared/steps/acquire-amazon-lock"
import { computeListingQuantitiesStep } from "../../src/workflows/stock-push/steps/compute-listing-quantities"
import { planStockPushStep } from "../../src/workflows/stock-push/steps/plan-stock-push"
import { readStockOutboxStep } from "../../src/workflows/stock-push/steps/read-stock-outbox"
import { releaseAmazonLockStep } from "../../src/workflows/shared/steps/release-amazon-lock"
import { resolveStockEventsStep } from "../../src/workflows/stock-push/steps/resolve-stock-events"
import { sendQuantityPatchesStep } from "../../src/workflows/stock-push/steps/send-quantity-patches"
import { submitQuantityFeedsStep } from "../../src/workflows/stock-push/steps/submit-quantity-feeds"
import { createTestProduct, seedTestStore, TestStore } from "../helpers/store-seed"
import {
  createSimAccount,
  mapListings,
  runPush,
  runReconcile,
  runResults,
  settleFeeds,
  startStockSimulator,
  waitForOutbox,
} from "../helpers/stock-push"

jest.setTimeout(240_000)


const MINUTE = 60_000

/**
 * A push that "crashes" after sending (no outbox completion): the same steps as pushAmazonStockWorkflow up
 * to the feed submission, then nothing.
 */
const pushThenCrashWorkflow = createWorkflow("test-amazon-push-then-crash", () => {
  const lock = acquireAmazonLockStep({ key: STOCK_PUSH_LOCK_KEY, ttl_seconds: 60, wait_seconds: 30 })
  resolveStockEventsStep({ lock })
  const rows = readStockOutboxStep({ lock })
  const computed = computeListingQuantitiesStep({ rows })
  const plan = planStockPushStep(computed)
  const patched = sendQuantityPatchesStep({ accounts: computed.accounts, patch: plan.patch })
  const fed = submitQuantityFeedsStep({
    accounts: computed.accounts,
    candidates: computed.candidates,
    feed_listing_ids: plan.feed_listing_ids,
    fallback: patched.fallback,
  })
  releaseAmazonLockStep(lock)
  return new WorkflowResponse(transform({ fed }, ({ fed }) => fed.feeds.length))
})

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    let sim: SimulatorHandle
    let store: TestStore

    beforeAll(async () => {
      sim = await startStockSimulator()
    })
    afterAll(async () => {
      await sim?.close()
    })
    beforeEach(async () => {
      store = await seedTestStore(getContainer())
      sim.control.clearFaults()
    })

    /** `count` variants with stock 1…count, each mapped to a simulator listing at quantity 0. */
    async function catalogue(count: number, settings: AccountSettings = {}, extra: { sku: string }[] = []) {
      const container = getContainer()
      const { account, sellerId } = await createSimAccount(container, sim, settings)
      const specs = Array.from({ length: count }, (_, i) => ({ sku: `F${i}`, stock: { [store.locationIds[0]]: i + 1 } }))
      const { variants } = await createTestProduct(container, store, "Faults", [...specs, ...extra.map((e) => ({ ...e, stock: { [store.locationIds[0]]: 3 } }))])
      sim.control.seedListings(specs.map((s) => ({ sellerId, sku: `AMZ-${s.sku}`, quantity: 0 })))
      const listings = await mapListings(container, account.id, [
        ...specs.map((s) => ({ variant_id: variants[s.sku].id, sku: `AMZ-${s.sku}` })),
        ...extra.map((e) => ({ variant_id: variants[e.sku].id, sku: `AMZ-${e.sku}` })),
      ])
      return { account, sellerId, variants, listings, specs }
    }

    it("retries a FATAL feed with backoff until Amazon has the right quantities", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const { account, sellerId, specs } = await catalogue(3, { push: { max_patches_per_run: 0 } })
      sim.control.injectFault({ type: "feed-fatal", count: 1 })

      await runReconcile(container)
      expect(await runPush(container)).toMatchObject({ fed: 3, feeds: [expect.anything()] })
      const results = await settleFeeds(container, sim)
      expect(results).toMatchObject({ reports: 1, accepted: 0, errors: 3, retried: 3 })

      // Nothing is recorded as accepted; every SKU carries the error and a retry time.
      const failed = await amazon.listAmazonListings({ account_id: account.id })
      for (const l of failed) {
        expect(l).toMatchObject({ push_status: "error", last_error_code: "FEED_FATAL", last_accepted_quantity: null, retry_count: 1 })
        expect(l.next_retry_at).not.toBeNull()
      }
      const [fatalFeed] = await amazon.listAmazonFeeds({ account_id: account.id })
      expect(fatalFeed).toMatchObject({ status: "processed", accepted_count: 0, error_count: 3 })
      const [log] = await amazon.listAmazonSyncLogs({ account_id: account.id, code: "FEED_FATAL" })
      expect(log.message).toMatch(/3 of 3 quantity update\(s\) not accepted; 3 will be retried/)
      expect(specs.map((s) => sim.control.getQuantity(`AMZ-${s.sku}`, sellerId))).toEqual([0, 0, 0])

      // Not before the backoff …
      expect(await runPush(container)).toMatchObject({ retries_enqueued: 0, outbox_rows: 0 })
      // … but after it, the retry goes out in a new feed and lands.
      const retry = await runPush(container, { now: new Date(Date.now() + 2 * MINUTE).toISOString() })
      expect(retry).toMatchObject({ retries_enqueued: 3, fed: 3 })
      expect(await settleFeeds(container, sim)).toMatchObject({ accepted: 3, errors: 0 })
      expect(specs.map((s) => sim.control.getQuantity(`AMZ-${s.sku}`, sellerId))).toEqual([1, 2, 3])
      for (const l of await amazon.listAmazonListings({ account_id: account.id })) {
        expect(l).toMatchObject({ push_status: "accepted", retry_count: 0, next_retry_at: null, last_error: null })
      }
    })

    it("keeps a per-message rejection visible on the listing and in the sync log, without retrying it blindly", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      // GHOST is mapped in the store but has no listing on Amazon: Amazon rejects that one message.
      const { account, sellerId, listings } = await catalogue(2, { push: { max_patches_per_run: 0 } }, [{ sku: "GHOST" }])

      await runReconcile(container)
      expect(await runPush(container)).toMatchObject({ fed: 3 })
      expect(await settleFeeds(container, sim)).toMatchObject({ accepted: 2, errors: 1, retried: 0 })

      expect(sim.control.getQuantity("AMZ-F0", sellerId)).toBe(1)
      expect(sim.control.getQuantity("AMZ-F1", sellerId)).toBe(2)
      const ghost = await amazon.retrieveAmazonListing(listings["AMZ-GHOST"].id)
      expect(ghost).toMatchObject({
        push_status: "error",
        last_error_code: "4000001",
        last_accepted_quantity: null,
        last_sent_quantity: 3,
        next_retry_at: null,
      })
      expect(ghost.last_error).toMatch(/AMZ-GHOST/)
      const messages = await amazon.listAmazonFeedMessages({ listing_id: ghost.id })
      expect(messages).toEqual([expect.objectContaining({ status: "error", quantity: 3 })])
      const [log] = await amazon.listAmazonSyncLogs({ account_id: account.id, code: "FEED_MESSAGES_REJECTED" })
      expect(log.context).toMatchObject({ rejected: [expect.objectContaining({ sku: "AMZ-GHOST", code: "4000001", retry: false })] })

      // A validation error is not resent on a timer (it would fail again and burn feed quota) …
      expect(await runPush(container, { now: new Date(Date.now() + 3 * 3600_000).toISOString() })).toMatchObject({ retries_enqueued: 0 })
      // … but any new change of the variant, or the daily reconcile, tries again.
      await runReconcile(container)
      expect(await runPush(container)).toMatchObject({ candidates: 3, skipped: 2, fed: 1 })
      expect(await settleFeeds(container, sim)).toMatchObject({ accepted: 0, errors: 1 })
      expect(await amazon.listAmazonSyncLogs({ account_id: account.id, code: "FEED_MESSAGES_REJECTED" })).toHaveLength(2)
    })

    it("survives a 429 storm: changes stay queued, nothing is dropped, and Amazon ends with the right numbers", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const { account, sellerId, variants, specs } = await catalogue(12)
      await runReconcile(container)
      await runPush(container)
      await settleFeeds(container, sim)
      expect(sim.control.getQuantity("AMZ-F11", sellerId)).toBe(12)

      // Two SKUs sell out (urgent → patches), ten others get more stock (→ feed).
      const inventory = container.resolve(Modules.INVENTORY)
      const levels = await inventory.listInventoryLevels({ inventory_item_id: specs.map((s) => variants[s.sku].inventoryItemId!) })
      const itemToSku = new Map(specs.map((s) => [variants[s.sku].inventoryItemId, s.sku]))
      const target = (sku: string) => (sku === "F0" || sku === "F1" ? 0 : Number(sku.slice(1)) + 11)
      await updateInventoryLevelsWorkflow(container).run({
        input: {
          updates: levels.map((l) => ({ inventory_item_id: l.inventory_item_id, location_id: l.location_id, stocked_quantity: target(itemToSku.get(l.inventory_item_id)!) })),
        },
      })
      await waitForOutbox(container, specs.map((s) => variants[s.sku].id))

      // Every SP-API call answers 429 for a while: the SP-API client retries (capped), then gives up for this run.
      sim.control.resetCounters()
      sim.control.injectFault({ type: "throttle", operation: "*", count: 10 })
      const stormy = await runPush(container)
      expect(stormy).toMatchObject({ candidates: 12, patched: 0, fed: 0, deferred: 12, outbox_completed: 0 })
      expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(12)
      const logs = await amazon.listAmazonSyncLogs({ account_id: account.id, stream: "stock_push", code: "QuotaExceeded" })
      expect(logs.map((l) => l.message).sort()).toEqual([
        expect.stringMatching(/^Could not submit a quantity feed of 12 SKU\(s\).*stay queued/),
        expect.stringMatching(/^patchListingsItem failed .*2 change\(s\) go to the feed instead/),
      ])
      const counters = sim.control.counters()
      expect(counters["listings-items-2021-08-01.patchListingsItem"].throttledByFault).toBe(5)
      expect(counters["feeds-2021-06-30.createFeedDocument"].throttledByFault).toBe(5)
      expect(counters["feeds-2021-06-30.createFeed"]).toBeUndefined()

      // The storm is over: the next run sends everything.
      const calm = await runPush(container)
      expect(calm).toMatchObject({ patched: 2, fed: 10, deferred: 0, outbox_completed: 12 })
      await settleFeeds(container, sim)
      for (const s of specs) {
        expect(sim.control.getQuantity(`AMZ-${s.sku}`, sellerId)).toBe(target(s.sku))
      }
      expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)
    })

    it("flags a feed stuck past the limit, then records it once Amazon finishes", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const { account, sellerId } = await catalogue(2, { push: { max_patches_per_run: 0, stuck_after_minutes: 30 } })
      sim.control.injectFault({ type: "feed-stuck", count: 1 })
      await runReconcile(container)
      await runPush(container)
      sim.control.advanceClock(MINUTE)

      expect(await runResults(container)).toMatchObject({ polled: 1, finished: 0, newly_stuck: 0 })
      const later = new Date(Date.now() + 31 * MINUTE).toISOString()
      expect(await runResults(container, { now: later })).toMatchObject({ newly_stuck: 1 })
      expect(await runResults(container, { now: later })).toMatchObject({ newly_stuck: 0 })
      const [feed] = await amazon.listAmazonFeeds({ account_id: account.id })
      expect(feed).toMatchObject({ stuck: true, status: "IN_PROGRESS" })
      const [log] = await amazon.listAmazonSyncLogs({ account_id: account.id, code: "FEED_STUCK" })
      expect(log.level).toBe("warn")
      // Still pending, never "accepted" while Amazon has not said so.
      for (const l of await amazon.listAmazonListings({ account_id: account.id })) {
        expect(l).toMatchObject({ push_status: "pending", last_accepted_quantity: null })
      }

      sim.control.releaseStuckFeeds()
      expect(await settleFeeds(container, sim)).toMatchObject({ accepted: 2 })
      expect(sim.control.getQuantity("AMZ-F1", sellerId)).toBe(2)
    })

    it("does not guess around unreadable rules or settings: the SKU or account waits, visibly", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const { account, sellerId, listings } = await catalogue(2)
      await amazon.updateAmazonListings({ id: listings["AMZ-F0"].id, rules: { percentage: "half" } as any })
      await runReconcile(container)
      expect(await runPush(container)).toMatchObject({ candidates: 1, patched: 1, outbox_completed: 2 })
      expect(sim.control.getQuantity("AMZ-F0", sellerId)).toBe(0)
      expect(sim.control.getQuantity("AMZ-F1", sellerId)).toBe(2)
      expect(await amazon.retrieveAmazonListing(listings["AMZ-F0"].id)).toMatchObject({ push_status: "error", last_error_code: "INVALID_RULES" })

      // Settings stored by an older version (or by hand) that no longer parse: the account's changes stay queued.
      await amazon.updateAmazonAccounts({ id: account.id, settings: { unmanaged_quantity: -1 } })
      await runReconcile(container)
      expect(await runPush(container)).toMatchObject({ candidates: 0, outbox_completed: 0 })
      expect(await runPush(container)).toMatchObject({ candidates: 0, outbox_completed: 0 })
      expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(2)
      expect(await amazon.listAmazonSyncLogs({ account_id: account.id, code: "INVALID_SETTINGS" })).toHaveLength(1)
    })

    it("lets one run at a time drain the outbox, and loses nothing when a run dies after sending", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const { sellerId, specs, variants } = await catalogue(3, { push: { max_patches_per_run: 0 } })
      await runReconcile(container)

      // Another instance holds the lock: this run does nothing and leaves the outbox alone.
      const locking = container.resolve(Modules.LOCKING)
      await locking.acquire(STOCK_PUSH_LOCK_KEY, { ownerId: "other-instance", expire: 60 })
      expect(await runPush(container, { wait_for_lock_seconds: 0 })).toMatchObject({ lock_acquired: false, outbox_rows: 0, amazon_calls: 0 })
      expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(3)
      await locking.release(STOCK_PUSH_LOCK_KEY, { ownerId: "other-instance" })

      // Two runs at once: the changes go out once.
      const [a, b] = await Promise.all([runPush(container, { wait_for_lock_seconds: 0 }), runPush(container, { wait_for_lock_seconds: 0 })])
      expect(a.fed + b.fed).toBe(3)
      expect(sim.control.listFeeds(sellerId)).toHaveLength(1)
      await settleFeeds(container, sim)

      // A run dies right after submitting its feed: the outbox rows are still there …
      const inventory = container.resolve(Modules.INVENTORY)
      const levels = await inventory.listInventoryLevels({})
      await updateInventoryLevelsWorkflow(container).run({
        input: { updates: levels.map((l) => ({ inventory_item_id: l.inventory_item_id, location_id: l.location_id, stocked_quantity: 40 })) },
      })
      await waitForOutbox(container, specs.map((s) => variants[s.sku].id))
      const { result: submitted } = await pushThenCrashWorkflow(container).run({ input: {} })
      expect(submitted).toBe(1)
      expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(3)
      // … and the next run sees the quantities in flight: no second feed, rows cleared.
      expect(await runPush(container)).toMatchObject({ skipped: 3, fed: 0, outbox_completed: 3 })
      expect(sim.control.listFeeds(sellerId)).toHaveLength(2)
      await settleFeeds(container, sim)
      expect(specs.map((s) => sim.control.getQuantity(`AMZ-${s.sku}`, sellerId))).toEqual([40, 40, 40])
    })
  },
})
