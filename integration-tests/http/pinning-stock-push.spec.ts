/**
 * Pinning tests for the stock push (issue 15): what the push does today, one level above the pure
 * functions, so that a refactor of the workflow and its steps keeps it. Each case names the behaviour it
 * pins; quantities are asserted as Amazon (the simulator) holds them, failures where the admin reads them
 * (amazon_sync_log, amazon_feed, amazon_feed_message, amazon_listing).
 */
import "../helpers/quiet-jobs"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import type { SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import type { AccountSettings } from "../../src/types/account-settings"
import { createAmazonAccountWorkflow } from "../../src/workflows/admin/create-amazon-account"
import { createAmazonAccountsStepId } from "../../src/workflows/admin/steps/create-amazon-accounts"
import { mergeAmazonAccountSettingsStepId } from "../../src/workflows/admin/steps/merge-amazon-account-settings"
import { updateAmazonAccountStepId } from "../../src/workflows/admin/steps/update-amazon-account"
import { updateAmazonAccountWorkflow } from "../../src/workflows/admin/update-amazon-account"
import { runFbaStockSync } from "../../src/workflows/fba-stock/run-fba-stock-sync"
import { createTestProduct, placeStoreOrder, seedTestStore, TestStore } from "../helpers/store-seed"
import {
  createSimAccount,
  DE,
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

/** A step handler injected into a workflow (Medusa's own tests inject failures this way). */
type Handler = { invoke: (...args: any[]) => Promise<unknown> }
type Editable = {
  insertActionAfter(existing: string, action: string, handler: Handler): unknown
  appendAction(action: string, to: string, handler: Handler): unknown
}

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
      store = await seedTestStore(getContainer(), { locationNames: ["Berlin", "Hamburg"] })
      sim.control.clearFaults()
      sim.control.setFeedTiming({ queueMs: 500, processingMs: 1000 })
    })

    /** `count` variants with stock 1…count at Berlin, each mapped to a simulator listing at quantity 0. */
    async function catalogue(count: number, settings: AccountSettings = {}) {
      const container = getContainer()
      const { account, sellerId } = await createSimAccount(container, sim, settings)
      const specs = Array.from({ length: count }, (_, i) => ({ sku: `P${i}`, stock: { [store.locationIds[0]]: i + 1 } }))
      const { variants } = await createTestProduct(container, store, "Pinned", specs)
      sim.control.seedListings(specs.map((s) => ({ sellerId, sku: `AMZ-${s.sku}`, quantity: 0 })))
      const listings = await mapListings(
        container,
        account.id,
        specs.map((s) => ({ variant_id: variants[s.sku].id, sku: `AMZ-${s.sku}` }))
      )
      const skus = specs.map((s) => `AMZ-${s.sku}`)
      return { account, sellerId, variants, listings, skus }
    }

    /** What a disconnect leaves (wipeAccountSecrets): the account stays, its secrets are gone. */
    async function wipeSecrets(accountId: string) {
      const amazon = getContainer().resolve<AmazonModuleService>(AMAZON_MODULE)
      await amazon.wipeAccountSecrets(accountId)
    }

    /** The merchant enters the secrets again (the ones createSimAccount derived from the seller id). */
    async function restoreSecrets(accountId: string, sellerId: string) {
      const amazon = getContainer().resolve<AmazonModuleService>(AMAZON_MODULE)
      const suffix = sellerId.slice(1)
      await amazon.updateAccount({ id: accountId, lwa_client_secret: `secret-${suffix}`, refresh_token: `Atzr|${suffix}` })
    }

    async function logsOf(accountId: string, code: string) {
      const amazon = getContainer().resolve<AmazonModuleService>(AMAZON_MODULE)
      return amazon.listAmazonSyncLogs({ account_id: accountId, code }, { order: { created_at: "ASC" } })
    }

    describe("quantities", () => {
      it("applies the account-level rules (buffer, percentage, max, min), merged field by field with a listing's own rules, to every SKU Amazon gets", async () => {
        const container = getContainer()
        const [berlin, hamburg] = store.locationIds
        const { account, sellerId } = await createSimAccount(container, sim, {
          rules: { buffer: 2, percentage: 50, max: 12, min: 2 },
          unmanaged_quantity: 40,
        })
        const { variants } = await createTestProduct(container, store, "Ruled", [
          { sku: "R-A", stock: { [berlin]: 10 } },
          { sku: "R-B", stock: { [berlin]: 40 } },
          { sku: "R-C", stock: { [berlin]: 2 } },
          { sku: "R-D", stock: { [berlin]: 5 } },
          { sku: "R-E", stock: { [berlin]: 20, [hamburg]: 5 } },
          { sku: "R-F", stock: { [berlin]: 40 } },
          { sku: "R-G", stock: { [berlin]: 10 } },
          { sku: "R-H", stock: { [berlin]: 7 } },
          { sku: "R-FREE", manageInventory: false },
        ])
        const skus = Object.keys(variants)
        sim.control.seedListings(skus.map((sku) => ({ sellerId, sku: `AMZ-${sku}`, quantity: 0 })))
        const own: Record<string, Record<string, number>> = {
          "R-F": { max: 30 },
          "R-G": { buffer: 0, min: 0 },
          "R-H": { percentage: 100 },
        }
        await mapListings(
          container,
          account.id,
          skus.map((sku) => ({ variant_id: variants[sku].id, sku: `AMZ-${sku}`, rules: own[sku] }))
        )

        await runReconcile(container)
        expect(await runPush(container)).toMatchObject({ candidates: 9, patched: 9, fed: 0, deferred: 0 })
        expect(sim.control.quantities(sellerId)).toEqual({
          "AMZ-R-A": 4, // 10 − 2 = 8 → 50 % = 4
          "AMZ-R-B": 12, // 40 − 2 = 38 → 19 → max 12
          "AMZ-R-C": 0, // 2 − 2 = 0
          "AMZ-R-D": 0, // 5 − 2 = 3 → 1 (floored) → below min 2 → 0
          "AMZ-R-E": 11, // Berlin 20 + Hamburg 5 = 25 − 2 = 23 → 11 (floored)
          "AMZ-R-F": 19, // own max 30, account buffer and percentage: 38 → 19
          "AMZ-R-G": 5, // own buffer 0 and min 0, account percentage: 10 → 5
          "AMZ-R-H": 5, // own percentage 100: 7 − 2 = 5
          "AMZ-R-FREE": 12, // unmanaged: the account's 40 → 38 → 19 → max 12
        })

        // A store order: the reservation counts first, then the rules (10 − 2 reserved = 8 − 2 = 6 → 3).
        await placeStoreOrder(container, store, [{ variant_id: variants["R-A"].id, quantity: 2 }])
        await waitForOutbox(container, [variants["R-A"].id])
        expect(await runPush(container)).toMatchObject({ candidates: 1, patched: 1 })
        expect(sim.control.getQuantity("AMZ-R-A", sellerId)).toBe(3)
      })

      it("never counts stock at an FBA location as merchant stock: default settings (every location counts), FBA sync turned on", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const inventory = container.resolve(Modules.INVENTORY)
        const [berlin, hamburg] = store.locationIds
        // Default settings: no stock_location_ids, so every location counts — except the FBA ones.
        const { account, sellerId } = await createSimAccount(container, sim)
        expect(account.settings ?? {}).toEqual({})
        const { variants } = await createTestProduct(container, store, "Shared", [
          { sku: "TEE", stock: { [berlin]: 6, [hamburg]: 2 } },
          { sku: "MUG", stock: { [berlin]: 4 } },
        ])
        sim.control.seedListings([
          { sellerId, sku: "AMZ-TEE", quantity: 0 },
          { sellerId, sku: "AMZ-MUG", quantity: 0 },
          { sellerId, sku: "FBA-TEE", fulfillmentChannel: "AMAZON_EU" },
          { sellerId, sku: "FBA-MUG", fulfillmentChannel: "AMAZON_EU" },
        ])
        await mapListings(container, account.id, [
          { variant_id: variants.TEE.id, sku: "AMZ-TEE" },
          { variant_id: variants.MUG.id, sku: "AMZ-MUG" },
          { variant_id: variants.TEE.id, sku: "FBA-TEE", fulfillment_channel: "AMAZON" },
          { variant_id: variants.MUG.id, sku: "FBA-MUG", fulfillment_channel: "AMAZON" },
        ])
        await runReconcile(container)
        await runPush(container)
        expect(sim.control.quantities(sellerId)).toMatchObject({ "AMZ-TEE": 8, "AMZ-MUG": 4 })

        // The merchant turns on the FBA sync: Amazon's warehouse stock lands on the same inventory items,
        // at the plugin's "Amazon FBA (DE)" location.
        sim.control.setFbaInventory([
          { sellerId, sku: "FBA-TEE", fulfillable: 30 },
          { sellerId, sku: "FBA-MUG", fulfillable: 12 },
        ])
        const fba = await runFbaStockSync(container, { account_id: account.id, marketplace_id: DE, mode: "full", lock_timeout_seconds: 60 })
        expect(fba).toMatchObject({ status: "done" })
        const fbaLocationId = ((await amazon.retrieveAmazonAccount(account.id)).settings as any).fba_location_ids[DE]
        expect(fbaLocationId).toEqual(expect.any(String))
        const atFba = await inventory.listInventoryLevels({ location_id: fbaLocationId })
        expect(Object.fromEntries(atFba.map((l: any) => [l.inventory_item_id, Number(l.stocked_quantity)]))).toEqual({
          [variants.TEE.inventoryItemId!]: 30,
          [variants.MUG.inventoryItemId!]: 12,
        })

        // Recomputed, nothing changes: Amazon keeps the merchant's own stock only.
        await runReconcile(container)
        expect(await runPush(container)).toMatchObject({ candidates: 2, skipped: 2, patched: 0, fed: 0 })
        expect(sim.control.quantities(sellerId)).toMatchObject({ "AMZ-TEE": 8, "AMZ-MUG": 4, "FBA-TEE": null, "FBA-MUG": null })

        // A merchant stock change still goes out, still without the FBA units (9 + 2, not 41).
        await updateInventoryLevelsWorkflow(container).run({
          input: { updates: [{ inventory_item_id: variants.TEE.inventoryItemId!, location_id: berlin, stocked_quantity: 9 }] },
        })
        await waitForOutbox(container, [variants.TEE.id])
        expect(await runPush(container)).toMatchObject({ candidates: 1, patched: 1 })
        expect(sim.control.getQuantity("AMZ-TEE", sellerId)).toBe(11)

        // Another account (default settings) selling the same mug: the first account's FBA location does
        // not count for it either — also once that account is disabled.
        const other = await createSimAccount(container, sim)
        sim.control.seedListings([{ sellerId: other.sellerId, sku: "B-MUG", quantity: 0 }])
        await mapListings(container, other.account.id, [{ variant_id: variants.MUG.id, sku: "B-MUG" }])
        await runReconcile(container)
        await runPush(container)
        expect(sim.control.getQuantity("B-MUG", other.sellerId)).toBe(4)
        await amazon.updateAmazonAccounts({ id: account.id, enabled: false })
        await runReconcile(container)
        expect(await runPush(container)).toMatchObject({ candidates: 1, skipped: 1, patched: 0 })
        expect(sim.control.getQuantity("B-MUG", other.sellerId)).toBe(4)
      })
    })

    describe("failure records", () => {
      it("patchListingsItem failing: Amazon's code in the sync log and the changes go by feed; a SKU the builder refuses is PATCH_FAILED, then kept in error", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const { account, sellerId, skus } = await catalogue(3)

        // Amazon answers 500 to every attempt (the SP-API client tries 5 times).
        sim.control.injectFault({ type: "server-error", operation: "patchListingsItem", count: 5 })
        await runReconcile(container)
        expect(await runPush(container)).toMatchObject({ candidates: 3, patched: 0, fed: 3, deferred: 0, outbox_completed: 3 })
        const [failed] = await logsOf(account.id, "InternalFailure")
        expect(failed).toMatchObject({ stream: "stock_push", level: "warn" })
        expect(failed.message).toMatch(/^patchListingsItem failed .*; 3 change\(s\) go to the feed instead$/)
        expect((failed.context as any).skus.sort()).toEqual([...skus].sort())
        expect(sim.control.counters()["listings-items-2021-08-01.patchListingsItem"]).toMatchObject({ serverErrors: 5 })
        await settleFeeds(container, sim)
        expect(sim.control.quantities(sellerId)).toEqual({ "AMZ-P0": 1, "AMZ-P1": 2, "AMZ-P2": 3 })

        // A listing whose product type is empty: not an Amazon error, so the generic PATCH_FAILED; the feed
        // builder then refuses that SKU alone and keeps it in error for the admin.
        const [bad] = await amazon.listAmazonListings({ account_id: account.id, seller_sku: "AMZ-P1" })
        await amazon.updateAmazonListings({ id: bad.id, product_type: "" })
        const inv = container.resolve(Modules.INVENTORY)
        const levels = await inv.listInventoryLevels({ location_id: store.locationIds[0] })
        await updateInventoryLevelsWorkflow(container).run({
          input: { updates: levels.map((l: any) => ({ inventory_item_id: l.inventory_item_id, location_id: l.location_id, stocked_quantity: 0 })) },
        })
        await runReconcile(container)
        const second = await runPush(container)
        expect(second.patched + second.fed).toBe(2)
        const [patchFailed] = await logsOf(account.id, "PATCH_FAILED")
        expect(patchFailed).toMatchObject({ stream: "stock_push", level: "warn", context: expect.objectContaining({ sku: "AMZ-P1" }) })
        expect(patchFailed.message).toMatch(/^patchListingsItem failed \(.*productType must be a non-empty string\); \d change\(s\) go to the feed instead$/)
        const [refused] = await logsOf(account.id, "EMPTY_PRODUCT_TYPE")
        expect(refused).toMatchObject({ stream: "stock_push", level: "error", context: { sku: "AMZ-P1", listing_id: bad.id } })
        expect(await amazon.retrieveAmazonListing(bad.id)).toMatchObject({ push_status: "error", last_error_code: "EMPTY_PRODUCT_TYPE", last_accepted_quantity: 2 })
        await settleFeeds(container, sim)
        expect(sim.control.quantities(sellerId)).toEqual({ "AMZ-P0": 0, "AMZ-P1": 2, "AMZ-P2": 0 })
      })

      it("a feed that cannot be submitted: Amazon's code (feed row failed) or FEED_SUBMIT_FAILED (no client); the changes stay queued and go out later", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const { account, sellerId, listings } = await catalogue(3, { push: { max_patches_per_run: 0 } })
        await runReconcile(container)

        sim.control.injectFault({ type: "server-error", operation: "createFeedDocument", count: 5 })
        expect(await runPush(container)).toMatchObject({ candidates: 3, fed: 0, feeds: [], deferred: 3, outbox_completed: 0 })
        const [row] = await amazon.listAmazonFeeds({ account_id: account.id })
        expect(row).toMatchObject({ status: "failed", amazon_feed_id: null, message_count: 3 })
        expect(row.error).toMatch(/^InternalFailure: /)
        const [log] = await logsOf(account.id, "InternalFailure")
        expect(log).toMatchObject({ stream: "stock_push", level: "error", context: { feed_id: row.id, marketplace_id: DE, count: 3 } })
        expect(log.message).toMatch(/^Could not submit a quantity feed of 3 SKU\(s\): .*The changes stay queued and go out in the next run\.$/)
        expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(3)
        for (const l of Object.values(listings)) {
          expect(await amazon.retrieveAmazonListing(l.id)).toMatchObject({ push_status: "idle", pending_feed_id: null, last_sent_quantity: null })
        }

        // No SP-API client for the account (its secrets were wiped): FEED_SUBMIT_FAILED, no feed row.
        await wipeSecrets(account.id)
        expect(await runPush(container)).toMatchObject({ fed: 0, deferred: 3, outbox_completed: 0 })
        const [noClient] = await logsOf(account.id, "FEED_SUBMIT_FAILED")
        expect(noClient).toMatchObject({ stream: "stock_push", level: "error" })
        expect(noClient.message).toMatch(/^No SP-API client for this account \(.*no stored credentials.*\); 3 change\(s\) stay queued\.$/)
        expect(await amazon.listAmazonFeeds({ account_id: account.id })).toHaveLength(1)
        expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(3)

        // Fixed: the queued changes go out in one feed and land.
        await restoreSecrets(account.id, sellerId)
        expect(await runPush(container)).toMatchObject({ fed: 3, outbox_completed: 3 })
        expect(await settleFeeds(container, sim)).toMatchObject({ accepted: 3, errors: 0 })
        expect(sim.control.quantities(sellerId)).toEqual({ "AMZ-P0": 1, "AMZ-P1": 2, "AMZ-P2": 3 })
        expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)
      })

      it("polling and reading the report failing: Amazon's code or FEED_POLL_FAILED / REPORT_DOWNLOAD_FAILED, retried next run; an unparseable report is REPORT_UNREADABLE and its SKUs are retried", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const { account, sellerId, listings } = await catalogue(3, { push: { max_patches_per_run: 0 } })
        await runReconcile(container)
        const pushed = await runPush(container)
        expect(pushed).toMatchObject({ fed: 3, feeds: [expect.anything()] })
        const { id: feedRowId, amazon_feed_id: amazonFeedId } = pushed.feeds[0]
        sim.control.advanceClock(MINUTE)
        const stillPending = async () => {
          for (const l of Object.values(listings)) {
            expect(await amazon.retrieveAmazonListing(l.id)).toMatchObject({ push_status: "pending", pending_feed_id: feedRowId, last_accepted_quantity: null })
          }
        }

        // getFeed answers 500 to every attempt: the feed stays open and is polled again next run.
        sim.control.injectFault({ type: "server-error", operation: "getFeed", count: 5 })
        expect(await runResults(container)).toMatchObject({ polled: 0, finished: 0, reports: 0 })
        const [pollLog] = await logsOf(account.id, "InternalFailure")
        expect(pollLog).toMatchObject({ stream: "feed_results", level: "warn", context: { feed_id: feedRowId, amazon_feed_id: amazonFeedId } })
        expect(pollLog.message).toMatch(new RegExp(`^Could not read the status of feed ${amazonFeedId}: .*Retrying next run\\.$`))
        expect(await amazon.retrieveAmazonFeed(feedRowId)).toMatchObject({ status: "submitted" })
        await stillPending()

        // No client: FEED_POLL_FAILED.
        await wipeSecrets(account.id)
        expect(await runResults(container)).toMatchObject({ polled: 0, reports: 0 })
        expect(await logsOf(account.id, "FEED_POLL_FAILED")).toEqual([
          expect.objectContaining({ stream: "feed_results", level: "warn", context: { feed_id: feedRowId, amazon_feed_id: amazonFeedId } }),
        ])
        await restoreSecrets(account.id, sellerId)

        // The report cannot be downloaded (S3 answers 404): the feed stays DONE, read again next run.
        const resultDocId = sim.control.getFeed(amazonFeedId)!.resultFeedDocumentId!
        const doc = sim.state.documents.get(resultDocId)!
        const content = doc.content
        doc.content = undefined
        expect(await runResults(container)).toMatchObject({ polled: 1, finished: 1, reports: 0 })
        const [downloadLog] = await logsOf(account.id, "HttpError")
        expect(downloadLog).toMatchObject({ stream: "feed_results", level: "warn", context: { feed_id: feedRowId, amazon_feed_id: amazonFeedId } })
        expect(downloadLog.message).toMatch(new RegExp(`^Could not download the report of feed ${amazonFeedId}: .*404.*Retrying next run\\.$`))
        expect(await amazon.retrieveAmazonFeed(feedRowId)).toMatchObject({ status: "DONE", result_document_id: resultDocId })
        await stillPending()

        // No client while reading it: REPORT_DOWNLOAD_FAILED.
        await wipeSecrets(account.id)
        expect(await runResults(container)).toMatchObject({ polled: 0, reports: 0 })
        expect(await logsOf(account.id, "REPORT_DOWNLOAD_FAILED")).toEqual([
          expect.objectContaining({ stream: "feed_results", level: "warn", context: { feed_id: feedRowId, amazon_feed_id: amazonFeedId } }),
        ])
        expect(await amazon.retrieveAmazonFeed(feedRowId)).toMatchObject({ status: "DONE" })
        await restoreSecrets(account.id, sellerId)

        // The report arrives but is not a processing report: nothing counts as accepted, every SKU is
        // retried with backoff, the feed is closed with the reason.
        expect(content).toBeDefined()
        doc.content = Buffer.from("<html>Service Unavailable</html>")
        const now = new Date()
        expect(await runResults(container, { now: now.toISOString() })).toMatchObject({ reports: 1, accepted: 0, errors: 3, retried: 3 })
        const feed = await amazon.retrieveAmazonFeed(feedRowId)
        expect(feed).toMatchObject({ status: "processed", accepted_count: 0, error_count: 3 })
        expect(feed.error).toMatch(/^The processing report could not be read/)
        const messages = await amazon.listAmazonFeedMessages({ feed_id: feedRowId })
        expect(messages.map((m) => m.status)).toEqual(["unconfirmed", "unconfirmed", "unconfirmed"])
        for (const l of Object.values(listings)) {
          const after = await amazon.retrieveAmazonListing(l.id)
          expect(after).toMatchObject({ push_status: "error", last_error_code: "UNCONFIRMED", last_accepted_quantity: null, pending_feed_id: null, retry_count: 1 })
          expect(after.last_error).toMatch(/^The processing report could not be read/)
          expect(new Date(after.next_retry_at as any).getTime()).toBeGreaterThan(now.getTime())
        }
        const [unreadable] = await logsOf(account.id, "REPORT_UNREADABLE")
        expect(unreadable).toMatchObject({ stream: "feed_results", level: "error", context: expect.objectContaining({ feed_id: feedRowId }) })
        expect(unreadable.message).toMatch(/3 of 3 quantity update\(s\) not accepted; 3 will be retried/)

        // The retry lands (Amazon had applied the first feed anyway; the absolute quantity is the same).
        const retry = await runPush(container, { now: new Date(Date.now() + 10 * MINUTE).toISOString() })
        expect(retry).toMatchObject({ retries_enqueued: 3, fed: 3 })
        expect(await settleFeeds(container, sim)).toMatchObject({ accepted: 3, errors: 0 })
        for (const l of Object.values(listings)) {
          expect(await amazon.retrieveAmazonListing(l.id)).toMatchObject({ push_status: "accepted", last_error_code: null, retry_count: 0 })
        }
        expect(sim.control.quantities(sellerId)).toEqual({ "AMZ-P0": 1, "AMZ-P1": 2, "AMZ-P2": 3 })
      })

      it("a feed cancelled at Amazon: FEED_CANCELLED on every SKU and in the sync log, the feed closed as cancelled, the SKUs retried", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const { account, sellerId, listings } = await catalogue(2, { push: { max_patches_per_run: 0 } })
        // The feed waits in Amazon's queue long enough to be cancelled (Seller Central, another tool).
        sim.control.setFeedTiming({ queueMs: 3_600_000 })
        await runReconcile(container)
        const pushed = await runPush(container)
        const { id: feedRowId, amazon_feed_id: amazonFeedId } = pushed.feeds[0]
        const api = await amazon.getSpApi(account.id)
        await api.cancelFeed(amazonFeedId)
        expect(sim.control.getFeed(amazonFeedId)).toMatchObject({ processingStatus: "CANCELLED" })

        const now = new Date()
        expect(await runResults(container, { now: now.toISOString() })).toMatchObject({ polled: 1, finished: 1, reports: 1, accepted: 0, errors: 2, retried: 2 })
        expect(await amazon.retrieveAmazonFeed(feedRowId)).toMatchObject({ status: "processed", accepted_count: 0, error_count: 2, error: "Feed cancelled" })
        expect((await amazon.listAmazonFeedMessages({ feed_id: feedRowId })).map((m) => m.status)).toEqual(["unconfirmed", "unconfirmed"])
        for (const l of Object.values(listings)) {
          const after = await amazon.retrieveAmazonListing(l.id)
          expect(after).toMatchObject({ push_status: "error", last_error_code: "FEED_CANCELLED", last_accepted_quantity: null, pending_feed_id: null, retry_count: 1 })
          expect(after.last_error).toBe(`Feed ${amazonFeedId} ended CANCELLED; the quantity was not confirmed`)
          expect(new Date(after.next_retry_at as any).getTime()).toBeGreaterThan(now.getTime())
        }
        const [log] = await logsOf(account.id, "FEED_CANCELLED")
        expect(log).toMatchObject({ stream: "feed_results", level: "error", context: expect.objectContaining({ feed_id: feedRowId, amazon_feed_id: amazonFeedId }) })
        expect(log.message).toMatch(/^Feed \d+ \(CANCELLED\): 2 of 2 quantity update\(s\) not accepted; 2 will be retried\./)
        expect(sim.control.quantities(sellerId)).toEqual({ "AMZ-P0": 0, "AMZ-P1": 0 })

        // The simulator holds the seller's queue until the cancelled feed's scheduled start (an hour here).
        sim.control.setFeedTiming({ queueMs: 500 })
        sim.control.advanceClock(3_600_000)
        expect(await runPush(container, { now: new Date(Date.now() + 10 * MINUTE).toISOString() })).toMatchObject({ retries_enqueued: 2, fed: 2 })
        expect(await settleFeeds(container, sim)).toMatchObject({ accepted: 2 })
        expect(sim.control.quantities(sellerId)).toEqual({ "AMZ-P0": 1, "AMZ-P1": 2 })
      })
    })

    describe("admin workflows roll back", () => {
      it("updateAmazonAccountWorkflow failing after the connection write, after the settings write or at the end leaves the account as it was (connection fields, secret, settings)", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const { account, variants } = await catalogue(1, { rules: { buffer: 1 }, unmanaged_quantity: 5 })
        // The listing's variant is queued by its creation; start from an empty outbox.
        await runReconcile(container)
        await runPush(container)
        expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)

        const stored = async () => {
          const [row] = await amazon.listAmazonAccounts({ id: account.id })
          return row
        }
        const before = await stored()
        const beforeCredentials = await amazon.getAccountCredentials(account.id)
        const input = {
          id: account.id,
          name: "Renamed",
          lwa_client_secret: "a-new-secret",
          settings: { rules: { buffer: 0 }, unmanaged_quantity: null },
        }

        // A step failing right after the connection write, right after the settings write, and at the very
        // end (after the requeue step, as Medusa's own tests inject failures with appendAction).
        const points = [
          { name: `after ${updateAmazonAccountStepId}`, inject: (w: Editable, h: Handler) => w.insertActionAfter(updateAmazonAccountStepId, "fail-here", h) },
          { name: `after ${mergeAmazonAccountSettingsStepId}`, inject: (w: Editable, h: Handler) => w.insertActionAfter(mergeAmazonAccountSettingsStepId, "fail-here", h) },
          { name: "at the end", inject: (w: Editable, h: Handler) => w.appendAction("fail-here", mergeAmazonAccountSettingsStepId, h) },
        ]
        for (const point of points) {
          const workflow = updateAmazonAccountWorkflow(container)
          point.inject(workflow, {
            invoke: async () => {
              throw new Error(`injected failure ${point.name}`)
            },
          })
          const { errors } = await workflow.run({ input, throwOnError: false })
          // (Medusa also reports that the failed run has no response to build: only the first error is ours.)
          expect(errors[0]).toMatchObject({ action: "fail-here", handlerType: "invoke", error: expect.objectContaining({ message: `injected failure ${point.name}` }) })
          const now = await stored()
          expect(now).toMatchObject({
            name: before.name,
            lwa_client_secret_encrypted: before.lwa_client_secret_encrypted,
            refresh_token_encrypted: before.refresh_token_encrypted,
            enabled: true,
          })
          expect(now.settings).toEqual({ rules: { buffer: 1 }, unmanaged_quantity: 5 })
          expect(await amazon.getAccountCredentials(account.id)).toEqual(beforeCredentials)
          if (point.name !== "at the end") {
            // The requeue step never ran. (At the end its outbox row stays: it has no compensation on
            // purpose, an extra row only costs one quantity computation.)
            expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)
          }
        }
        await amazon.deleteAmazonStockOutboxes((await amazon.listAmazonStockOutboxes({})).map((r) => r.id))

        // The same input without the failure does write all of it (so the rollbacks above undid real writes).
        const { result } = await updateAmazonAccountWorkflow(container).run({ input })
        expect(result).toMatchObject({ id: account.id, requeued_listings: 1 })
        const changed = await stored()
        expect(changed.name).toBe("Renamed")
        expect(changed.settings).toEqual({ rules: { buffer: 0 } })
        expect((await amazon.getAccountCredentials(account.id)).clientSecret).toBe("a-new-secret")
        expect((await amazon.listAmazonStockOutboxes({})).map((r) => r.variant_id)).toEqual([variants.P0.id])
      })

      it("createAmazonAccountWorkflow failing after the account is stored leaves no account behind", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const input = {
          name: "Rolled back",
          region: "EU" as const,
          seller_id: "AROLLBACK0001",
          marketplace_ids: [DE],
          lwa_client_id: "amzn1.application-oa2-client.rollback",
          lwa_client_secret: "rollback-secret",
          refresh_token: "Atzr|rollback",
          sp_api_base_url: sim.url,
          lwa_token_url: `${sim.url}/auth/o2/token`,
          settings: { rules: { buffer: 1 } },
        }
        const workflow = createAmazonAccountWorkflow(container)
        workflow.appendAction("fail-after", createAmazonAccountsStepId, {
          invoke: async () => {
            throw new Error("injected failure after the account was created")
          },
        })
        const { errors } = await workflow.run({ input, throwOnError: false })
        expect(errors[0]).toMatchObject({ action: "fail-after", error: expect.objectContaining({ message: "injected failure after the account was created" }) })
        expect(await amazon.listAmazonAccounts({ seller_id: input.seller_id }, { withDeleted: true })).toHaveLength(0)

        const { result } = await createAmazonAccountWorkflow(container).run({ input })
        expect(await amazon.listAmazonAccounts({ seller_id: input.seller_id }, { withDeleted: true })).toEqual([
          expect.objectContaining({ id: result.id, name: "Rolled back" }),
        ])
      })
    })
  },
})
