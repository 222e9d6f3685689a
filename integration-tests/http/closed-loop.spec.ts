import "../helpers/quiet-jobs"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { runSyncStream } from "../../src/workflows/sync-streams"
import { currentStockPushTrigger } from "../../src/workflows/stock-push/utils/push-soon"
import { createAdminUser } from "../helpers/admin"
import { createTestProduct, placeStoreOrder, seedTestStore, TestStore } from "../helpers/store-seed"
import { createSimAccount, DE, mapListings, runPush, runReconcile, startStockSimulator, waitFor } from "../helpers/stock-push"
import { FR, seedSimSeller } from "./admin-support"

jest.setTimeout(240_000)

/** Prints a measured figure so it shows in the test output (for the issue report). */
function figure(name: string, value: unknown) {
  process.stdout.write(`[closed-loop figure] ${name}: ${JSON.stringify(value)}\n`)
}

/** The env of the closed loop for one test; restored to the quiet defaults (off) afterwards. */
function withEnv(env: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
}

async function listing(container: MedusaContainer, id: string) {
  return container.resolve<AmazonModuleService>(AMAZON_MODULE).retrieveAmazonListing(id)
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let sim: SimulatorHandle
    let store: TestStore

    beforeAll(async () => {
      sim = await startStockSimulator()
      // Reports in a moment (Amazon: minutes), each one a fresh snapshot
      sim.control.setReportTiming({ queueMs: 100, processingMs: 200 })
      sim.control.setReportCacheWindow(0)
    })
    afterAll(async () => {
      await sim?.close()
    })
    beforeEach(async () => {
      store = await seedTestStore(getContainer(), { locationNames: ["Berlin"] })
    })
    afterEach(async () => {
      currentStockPushTrigger()?.cancel()
      withEnv({ AMAZON_STOCK_PUSH_DEBOUNCE_MS: "off", AMAZON_CONFIRM_DELAYS_MS: "off", AMAZON_DRIFT_REPORT_POLL_MS: undefined })
    })

    it("with the shipped settings, a store sale reaches Amazon within seconds and is confirmed against what Amazon shows", async () => {
      const container = getContainer()
      const [berlin] = store.locationIds
      const { account, sellerId } = await createSimAccount(container, sim)
      const { variants } = await createTestProduct(container, store, "Lamp", [{ sku: "LAMP", stock: { [berlin]: 10 } }])
      sim.control.seedListings([{ sellerId, sku: "AMZ-LAMP", quantity: 0 }])
      const listings = await mapListings(container, account.id, [{ variant_id: variants.LAMP.id, sku: "AMZ-LAMP" }])
      await runReconcile(container)
      await runPush(container)
      expect(sim.control.getQuantity("AMZ-LAMP", sellerId)).toBe(10)

      // From here on nothing drives the push but the store's own events: no job, no test call.
      withEnv({ AMAZON_STOCK_PUSH_DEBOUNCE_MS: undefined, AMAZON_CONFIRM_DELAYS_MS: "1000,3000" })
      const placed = Date.now()
      await placeStoreOrder(container, store, [{ variant_id: variants.LAMP.id, quantity: 3 }])
      const orderDone = Date.now()
      await waitFor("Amazon showing 7", async () => sim.control.getQuantity("AMZ-LAMP", sellerId) === 7, 20_000)
      const onAmazon = Date.now()
      figure("checkout completed → Amazon shows the new quantity (default debounce 1 s), ms", onAmazon - orderDone)
      figure("checkout started → Amazon shows it, ms", onAmazon - placed)
      // the SKU went out alone, as a patch (a few SKUs are urgent), not in a feed
      expect(onAmazon - orderDone).toBeLessThan(15_000)

      // ... and the plugin reads it back on its own (the first read 1 s after the acceptance here)
      const confirmed = await waitFor(
        "the quantity confirmed",
        async () => {
          const l = await listing(container, listings["AMZ-LAMP"].id)
          return l.confirm_status === "confirmed" ? l : undefined
        },
        20_000
      )
      expect(confirmed).toMatchObject({ last_accepted_quantity: 7, amazon_quantity: 7, amazon_quantity_source: "listing", push_status: "accepted" })
      figure("checkout completed → confirmed from getListingsItem, ms", Date.now() - orderDone)
      expect(sim.control.counters()["listings-items-2021-08-01.getListingsItem"]?.calls ?? 0).toBeGreaterThan(0)
    })

    it("a quantity Amazon accepts but does not apply is found, sent once more, and reported when it still is not applied", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const [berlin] = store.locationIds
      withEnv({ AMAZON_CONFIRM_DELAYS_MS: "200,400" })
      const { account, sellerId } = await createSimAccount(container, sim)
      const { variants } = await createTestProduct(container, store, "Chairs", [
        { sku: "CHAIR", stock: { [berlin]: 8 } },
        { sku: "STOOL", stock: { [berlin]: 5 } },
      ])
      sim.control.seedListings([
        { sellerId, sku: "AMZ-CHAIR", quantity: 1 },
        { sellerId, sku: "AMZ-STOOL", quantity: 1 },
      ])
      const listings = await mapListings(container, account.id, [
        { variant_id: variants.CHAIR.id, sku: "AMZ-CHAIR" },
        { variant_id: variants.STOOL.id, sku: "AMZ-STOOL" },
      ])
      // CHAIR's next update is accepted and then not applied (once); STOOL's never are
      sim.control.injectFault({ type: "quantity-not-applied", sku: "AMZ-CHAIR", sellerId, count: 1 })
      sim.control.injectFault({ type: "quantity-not-applied", sku: "AMZ-STOOL", sellerId })
      await runReconcile(container)
      expect(await runPush(container)).toMatchObject({ patched: 2 })
      // Amazon said ACCEPTED to both, and shows neither
      expect(sim.control.getQuantity("AMZ-CHAIR", sellerId)).toBe(1)
      expect(sim.control.getQuantity("AMZ-STOOL", sellerId)).toBe(1)
      expect(await listing(container, listings["AMZ-CHAIR"].id)).toMatchObject({ push_status: "accepted", last_accepted_quantity: 8, confirm_status: "waiting" })

      const pushAfter = async (ms: number) => {
        await new Promise((r) => setTimeout(r, ms))
        return runPush(container)
      }
      // first read (200 ms): not shown yet, read again later
      expect((await pushAfter(250)).confirmations).toMatchObject({ read: 2, waiting: 2 })
      // last read (400 ms): still not shown → sent once more in the same run
      const repush = await pushAfter(250)
      expect(repush.confirmations).toMatchObject({ read: 2, repushed: 2 })
      expect(repush.patched).toBe(2)
      expect(sim.control.getQuantity("AMZ-CHAIR", sellerId)).toBe(8) // the fault was used up: healed
      expect(sim.control.getQuantity("AMZ-STOOL", sellerId)).toBe(1)

      // the re-sent CHAIR is shown at the first read; STOOL still is not (read again, then reported)
      expect((await pushAfter(250)).confirmations).toMatchObject({ confirmed: 1, waiting: 1 })
      const final = await pushAfter(250)
      expect(final.confirmations).toMatchObject({ read: 1, not_applied: 1 })
      expect(await listing(container, listings["AMZ-CHAIR"].id)).toMatchObject({ confirm_status: "confirmed", amazon_quantity: 8 })
      const stool = await listing(container, listings["AMZ-STOOL"].id)
      expect(stool).toMatchObject({ confirm_status: "not_applied", push_status: "error", last_error_code: "QUANTITY_NOT_APPLIED", amazon_quantity: 1 })
      const [log] = await amazon.listAmazonSyncLogs({ account_id: account.id, code: "QUANTITY_NOT_APPLIED" })
      expect(log.message).toContain("AMZ-STOOL")
      expect(log.message).toContain("Seller Central")
      // not re-pushed forever: another run reads nothing and sends nothing
      const quiet = await pushAfter(500)
      expect(quiet).toMatchObject({ patched: 0, confirmations: { read: 0 } })

      // Once Amazon applies updates again, the next change goes out and is confirmed; the error settles
      sim.control.clearFaults()
      await amazon.enqueueStockChanges([{ variant_id: variants.STOOL.id, reason: "test" }])
      await runPush(container)
      await pushAfter(250)
      expect(await listing(container, listings["AMZ-STOOL"].id)).toMatchObject({ confirm_status: "confirmed", push_status: "accepted", amazon_quantity: 5 })
      await amazon.settleSyncLogs()
      const [settled] = await amazon.listAmazonSyncLogs({ id: log.id })
      expect(settled.resolved_at).not.toBeNull()
    })

    it("the drift check finds a quantity changed behind the plugin's back, a listing missing on Amazon, and heals the quantity", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const [berlin] = store.locationIds
      withEnv({ AMAZON_DRIFT_REPORT_POLL_MS: "100" })
      const { account, sellerId } = await createSimAccount(container, sim)
      const { variants } = await createTestProduct(container, store, "Cups", [
        { sku: "CUP", stock: { [berlin]: 12 } },
        { sku: "SAUCER", stock: { [berlin]: 4 } },
        { sku: "GONE", stock: { [berlin]: 2 } },
      ])
      sim.control.seedListings([
        { sellerId, sku: "AMZ-CUP", quantity: 0 },
        { sellerId, sku: "AMZ-SAUCER", quantity: 0 },
        { sellerId, sku: "AMZ-GONE", quantity: 0 },
        { sellerId, sku: "AMZ-UNMAPPED", quantity: 3 },
      ])
      const listings = await mapListings(container, account.id, [
        { variant_id: variants.CUP.id, sku: "AMZ-CUP" },
        { variant_id: variants.SAUCER.id, sku: "AMZ-SAUCER" },
        { variant_id: variants.GONE.id, sku: "AMZ-GONE" },
      ])
      await runReconcile(container)
      await runPush(container)
      expect(sim.control.quantities(sellerId)).toMatchObject({ "AMZ-CUP": 12, "AMZ-SAUCER": 4, "AMZ-GONE": 2 })

      // Someone edits CUP in Seller Central; Amazon makes GONE unbuyable (a listing problem). The push has no idea.
      await new Promise((r) => setTimeout(r, 50))
      sim.control.setQuantity("AMZ-CUP", 40, { sellerId })
      sim.control.seedListings([{ sellerId, sku: "AMZ-GONE", quantity: 2, status: ["DISCOVERABLE"] }])

      // Amazon's report times are whole seconds: a push in the same second as the report is not compared
      await new Promise((r) => setTimeout(r, 1100))
      const results = await runSyncStream(container, "drift_check", { account_id: account.id, wait_for_lock_seconds: 0, requested_by: "user_test" })
      const check = results[0].result as { status: string; id: string; summary: Record<string, any> }
      expect(check.status).toBe("done")
      expect(check.summary).toMatchObject({
        differing: 1,
        requeued: 1,
        unknown_on_amazon: 1,
        inactive_on_amazon: 1,
        missing: [{ sku: "AMZ-GONE", reason: "inactive", status: "Inactive" }],
        worst: [{ sku: "AMZ-CUP", amazon: 40, plugin_set: 12, delta: 28 }],
      })
      const [missingLog] = await amazon.listAmazonSyncLogs({ account_id: account.id, code: "LISTINGS_MISSING_ON_AMAZON" })
      expect(missingLog).toMatchObject({ level: "warn" })
      expect(missingLog.message).toContain("AMZ-GONE")
      // the runner pushed at once: Amazon shows the store's quantity again
      expect(results[1].result).toMatchObject({ patched: 1 })
      expect(sim.control.getQuantity("AMZ-CUP", sellerId)).toBe(12)
      expect(await listing(container, listings["AMZ-CUP"].id)).toMatchObject({ last_accepted_quantity: 12 })
      const [row] = await amazon.listAmazonDriftChecks({ id: check.id })
      expect(row).toMatchObject({ status: "done", trigger: "admin", report_status: "DONE", progress: null })
      expect(row.report_id).toBeTruthy()
      expect(row.calls).toBeGreaterThanOrEqual(4) // createReport, getReport…, getReportDocument, the download
      const healed = await amazon.listAmazonSyncLogs({ account_id: account.id, code: "DRIFT_HEALED" })
      expect(healed[0].message).toContain("AMZ-CUP: Amazon 40, plugin set 12")

      // The admin reads it as "Amazon vs store"
      const { headers } = await createAdminUser(container, `drift-${Date.now()}@medusa.test`)
      const res = await api.get(`/admin/amazon/drift-checks?account_id=${account.id}`, { headers })
      expect(res.status).toBe(200)
      expect(res.data.drift_checks).toHaveLength(1)
      expect(res.data.drift_checks[0]).toMatchObject({ marketplace_id: DE, status: "done", summary: { differing: 1 }, last_done: null })
      const bad = await api.get(`/admin/amazon/drift-checks?nope=1`, { headers }).catch((e: any) => e.response)
      expect(bad.status).toBe(400)

      // A second check finds nothing left to heal
      await new Promise((r) => setTimeout(r, 1100))
      const again = await runSyncStream(container, "drift_check", { account_id: account.id, wait_for_lock_seconds: 0 })
      expect(again).toHaveLength(1) // nothing queued: no push
      expect((again[0].result as any).summary).toMatchObject({ differing: 0, matching: 3, inactive_on_amazon: 1 })
      // Amazon lists GONE again: the next comparison settles the warning
      sim.control.seedListings([{ sellerId, sku: "AMZ-GONE", quantity: 2 }])
      await runSyncStream(container, "drift_check", { account_id: account.id, wait_for_lock_seconds: 0 })
      await amazon.settleSyncLogs()
      expect((await amazon.listAmazonSyncLogs({ id: missingLog.id }))[0].resolved_at).not.toBeNull()

      // A report Amazon fails is a failed check the admin sees, with what to do
      sim.control.injectFault({ type: "report-fatal" })
      const failed = await runSyncStream(container, "drift_check", { account_id: account.id, wait_for_lock_seconds: 0 })
      expect(failed[0]).toMatchObject({ ok: false })
      const [failedLog] = await amazon.listAmazonSyncLogs({ account_id: account.id, code: "DRIFT_CHECK_FAILED" })
      expect(failedLog.level).toBe("warn")
      const latest = (await api.get(`/admin/amazon/drift-checks?account_id=${account.id}`, { headers })).data.drift_checks[0]
      expect(latest).toMatchObject({ status: "failed", last_done: { status: "done" } })
      expect(latest.error).toMatch(/REPORT_FATAL|FATAL/)

      // "Compare with Amazon" from the dashboard: while Amazon prepares the report, "Started from here" says so
      sim.control.setReportTiming({ queueMs: 100, processingMs: 3000 })
      try {
        const started = await api.post("/admin/amazon/sync", { stream: "drift_check", account_id: account.id }, { headers })
        expect(started.status).toBe(202)
        const running = await waitFor(
          "the running comparison's progress",
          async () => {
            const { data } = await api.get("/admin/amazon/sync", { headers })
            return (data.running as { stream: string; progress: string | null }[]).find((r) => r.stream === "drift_check" && /listings report/.test(r.progress ?? ""))
          },
          20_000
        )
        expect(running.progress).toMatch(/^Amazon\.de: Amazon('s listings report is| is preparing)/)
        const again = await api.post("/admin/amazon/sync", { stream: "drift_check", account_id: account.id }, { headers }).catch((e: any) => e.response)
        expect(again.status).toBe(409)
        const done = await waitFor(
          "the comparison's outcome",
          async () => {
            const { data } = await api.get("/admin/amazon/sync", { headers })
            return (data.recent as { stream: string; ok: boolean; message: string }[]).find((r) => r.stream === "drift_check")
          },
          30_000
        )
        expect(done).toMatchObject({ ok: true })
        expect(done.message).toMatch(/^Sync now \(drift_check\): Amazon\.de: 3 compared, 0 differed/)
      } finally {
        sim.control.setReportTiming({ queueMs: 100, processingMs: 200 })
      }
    })

    it("a createFeed whose answer is lost is found with getFeeds and not sent twice", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const [berlin] = store.locationIds
      const { account, sellerId } = await createSimAccount(container, sim, { push: { max_patches_per_run: 0 } })
      const { variants } = await createTestProduct(container, store, "Plates", [
        { sku: "PLATE", stock: { [berlin]: 3 } },
        { sku: "BOWL", stock: { [berlin]: 4 } },
      ])
      sim.control.seedListings([
        { sellerId, sku: "AMZ-PLATE", quantity: 0 },
        { sellerId, sku: "AMZ-BOWL", quantity: 0 },
      ])
      await mapListings(container, account.id, [
        { variant_id: variants.PLATE.id, sku: "AMZ-PLATE" },
        { variant_id: variants.BOWL.id, sku: "AMZ-BOWL" },
      ])
      // Amazon creates the feed, and the 202 comes back cut off
      sim.control.injectFault({ type: "malformed-json", operation: "createFeed" })
      await runReconcile(container)
      const pushed = await runPush(container)
      expect(pushed).toMatchObject({ fed: 2, deferred: 0 })
      const atAmazon = sim.control.listFeeds(sellerId)
      expect(atAmazon).toHaveLength(1)
      const [feed] = await amazon.listAmazonFeeds({ account_id: account.id })
      expect(feed).toMatchObject({ status: "submitted", amazon_feed_id: atAmazon[0].feedId })
      expect(sim.control.counters()["feeds-2021-06-30.getFeeds"]?.calls ?? 0).toBeGreaterThan(0)
    })

    it("two marketplaces, one listed separately in each and one unified EU listing: both end where the store is, and drift is per marketplace", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const [berlin] = store.locationIds
      withEnv({ AMAZON_DRIFT_REPORT_POLL_MS: "100" })
      const seller = seedSimSeller(sim, [DE, FR])
      const [account] = await amazon.createAccounts([
        {
          name: "Two marketplaces",
          region: "EU",
          seller_id: seller.sellerId,
          marketplace_ids: [DE, FR],
          lwa_client_id: seller.clientId,
          lwa_client_secret: seller.clientSecret,
          refresh_token: seller.refreshToken,
          sp_api_base_url: sim.url,
          lwa_token_url: `${sim.url}/auth/o2/token`,
        },
      ])
      const { variants } = await createTestProduct(container, store, "Vases", [
        { sku: "VASE", stock: { [berlin]: 6 } },
        { sku: "URN", stock: { [berlin]: 9 } },
      ])
      sim.control.seedListings([
        // separate listings: one quantity each
        { sellerId: seller.sellerId, sku: "VASE", marketplaceId: DE, quantity: 0 },
        { sellerId: seller.sellerId, sku: "VASE", marketplaceId: FR, quantity: 0 },
        // one unified listing sold in both: one quantity
        { sellerId: seller.sellerId, sku: "URN", marketplaceIds: [DE, FR], quantity: 0 },
      ])
      await new Promise((r) => setTimeout(r, 500))
      const rows = await amazon.createAmazonListings(
        [DE, FR].flatMap((m) => [
          { account_id: account.id, marketplace_id: m, seller_sku: "VASE", fulfillment_channel: "MERCHANT" as const },
          { account_id: account.id, marketplace_id: m, seller_sku: "URN", fulfillment_channel: "MERCHANT" as const },
        ])
      )
      await container.resolve(ContainerRegistrationKeys.LINK).create(
        rows.map((l) => ({
          [AMAZON_MODULE]: { amazon_listing_id: l.id },
          product: { product_variant_id: l.seller_sku === "VASE" ? variants.VASE.id : variants.URN.id },
        }))
      )
      await runReconcile(container)
      expect(await runPush(container)).toMatchObject({ candidates: 4 })
      for (const m of [DE, FR]) {
        expect(sim.control.getQuantity("VASE", seller.sellerId, m)).toBe(6)
        expect(sim.control.getQuantity("URN", seller.sellerId, m)).toBe(9)
      }

      // Seller Central edit of the French VASE only
      sim.control.setQuantity("VASE", 1, { sellerId: seller.sellerId, marketplaceId: FR })
      await new Promise((r) => setTimeout(r, 1100))
      const results = await runSyncStream(container, "drift_check", { account_id: account.id, wait_for_lock_seconds: 0 })
      const byMarketplace = Object.fromEntries(
        results.filter((r) => (r.result as any)?.marketplace_id).map((r) => [(r.result as any).marketplace_id, (r.result as any).summary])
      )
      expect(byMarketplace[DE]).toMatchObject({ compared: 2, differing: 0 })
      expect(byMarketplace[FR]).toMatchObject({ compared: 2, differing: 1, worst: [{ sku: "VASE", amazon: 1, plugin_set: 6 }] })
      expect(sim.control.getQuantity("VASE", seller.sellerId, FR)).toBe(6)
      expect(sim.control.getQuantity("VASE", seller.sellerId, DE)).toBe(6)
      expect(sim.control.getQuantity("URN", seller.sellerId, DE)).toBe(9)
      expect(sim.control.getQuantity("URN", seller.sellerId, FR)).toBe(9)
    })
  },
})
