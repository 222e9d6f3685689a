import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { startSimulator, SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { createAdminUser } from "../helpers/admin"
import { createTestProduct, seedTestStore } from "../helpers/store-seed"
import { accountBody, call, captureLogs, DE, quietScheduledJobs, seedSimSeller, waitFor } from "./admin-support"

quietScheduledJobs()
jest.setTimeout(240_000)

function figure(name: string, value: unknown) {
  process.stdout.write(`[admin figure] ${name}: ${JSON.stringify(value)}\n`)
}

const SEARCH = "listings-items-2021-08-01.searchListingsItems"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let sim: SimulatorHandle
    let headers: Record<string, string>

    beforeAll(async () => {
      sim = await startSimulator({ timeScale: 1, feedTiming: { queueMs: 500, processingMs: 1000 } })
    })
    afterAll(async () => {
      await sim?.close()
    })
    beforeEach(async () => {
      ;({ headers } = await createAdminUser(getContainer()))
      sim.control.clearFaults()
    })

    async function createAccount(seller: ReturnType<typeof seedSimSeller>, extra: Record<string, unknown> = {}) {
      const res = await call(api, "post", "/admin/amazon/accounts", accountBody(sim, seller, extra), headers)
      expect(res.status).toBe(201)
      return res.data.account as { id: string }
    }

    it("rejects every listing, sync, status, feed, order, FBA and log route without an admin session (401)", async () => {
      const routes: ["get" | "post" | "delete", string][] = [
        ["get", "/admin/amazon/listings"],
        ["get", "/admin/amazon/listings/amzlst_x"],
        ["post", "/admin/amazon/listings/amzlst_x"],
        ["post", "/admin/amazon/listings/amzlst_x/link"],
        ["delete", "/admin/amazon/listings/amzlst_x/link"],
        ["post", "/admin/amazon/listings/auto-link"],
        ["post", "/admin/amazon/listings/import"],
        ["post", "/admin/amazon/sync"],
        ["get", "/admin/amazon/status"],
        ["get", "/admin/amazon/feeds"],
        ["get", "/admin/amazon/feeds/amzfd_x"],
        ["get", "/admin/amazon/feeds/amzfd_x/messages"],
        ["get", "/admin/amazon/orders"],
        ["get", "/admin/amazon/orders/amzord_x"],
        ["post", "/admin/amazon/orders/amzord_x/retry"],
        ["get", "/admin/amazon/fba-stock"],
        ["get", "/admin/amazon/sync-logs"],
        ["post", "/admin/amazon/sync-logs/resolve"],
      ]
      for (const [method, url] of routes) {
        const res = await call(api, method, url, {})
        expect([method, url, res.status]).toEqual([method, url, 401])
      }
    })

    it("imports the seller's listings from Amazon in the background, filters them, links / unlinks / auto-links SKUs and sets per-SKU rules", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const store = await seedTestStore(container)
      const seller = seedSimSeller(sim)
      const skus = Array.from({ length: 45 }, (_, i) => `SKU-${String(i + 1).padStart(3, "0")}`)
      sim.control.seedListings([
        ...skus.map((sku, i) => ({ sellerId: seller.sellerId, sku, asin: `B0TEST${String(i).padStart(4, "0")}`, productType: "SHIRT", quantity: 3 })),
        { sellerId: seller.sellerId, sku: "SKU-FBA", fulfillmentChannel: "AMAZON_EU", asin: "B0FBA00001" },
      ])
      const account = await createAccount(seller)

      // --- invalid bodies and queries
      const invalid: [string, string, unknown, RegExp][] = [
        ["post", "/admin/amazon/listings/import", { account_id: account.id, extra: true }, /Unrecognized fields: 'extra'/],
        ["post", "/admin/amazon/listings/import", { account_id: "amzacc_missing" }, /not found/],
        ["post", "/admin/amazon/sync", { stream: "everything" }, /stream/],
        ["post", "/admin/amazon/sync", {}, /stream/],
        ["get", "/admin/amazon/listings?linked=maybe", undefined, /linked/],
        ["get", "/admin/amazon/listings?push_status=lost", undefined, /push_status/],
        ["get", "/admin/amazon/listings?limit=-1", undefined, /limit/],
        ["post", "/admin/amazon/listings/auto-link", { account: "x" }, /Unrecognized fields: 'account'/],
      ]
      for (const [method, url, body, message] of invalid) {
        const res = await call(api, method as any, url, body, headers)
        expect({ url, status: res.status, message: res.data.message }).toEqual({
          url,
          status: JSON.stringify(body ?? "").includes("missing") ? 404 : 400,
          message: expect.stringMatching(message),
        })
      }

      // --- import: 202 at once; the subscriber pages through searchListingsItems (20 per page)
      sim.control.resetCounters()
      const t0 = Date.now()
      const accepted = await call(api, "post", "/admin/amazon/listings/import", { account_id: account.id }, headers)
      const routeMs = Date.now() - t0
      expect(accepted.status).toBe(202)
      expect(accepted.data.sync).toMatchObject({ stream: "listings_import", account_id: account.id })
      await waitFor("imported listings", async () => (await amazon.listAmazonListings({ account_id: account.id })).length === 46)
      figure("import listings: POST answered (202) after, ms", routeMs)
      figure("import listings: 46 listings (45 MFN + 1 FBA) in the store after, ms", Date.now() - t0)
      const calls = sim.control.counters()[SEARCH]
      figure("import listings: searchListingsItems calls for 46 SKUs at pageSize 20", calls?.calls)
      expect(calls).toMatchObject({ calls: 3, succeeded: 3 })
      const imported = await amazon.listAmazonListings({ account_id: account.id, seller_sku: ["SKU-001", "SKU-FBA"] })
      expect(imported.map((l) => [l.seller_sku, l.asin, l.product_type, l.fulfillment_channel]).sort()).toEqual([
        ["SKU-001", "B0TEST0000", "SHIRT", "MERCHANT"],
        ["SKU-FBA", "B0FBA00001", "PRODUCT", "AMAZON"],
      ])
      await waitFor("import outcome in the log", async () =>
        (await amazon.listAmazonSyncLogs({ account_id: account.id, code: "SYNC_DONE" })).length > 0
      )
      // importing again adds nothing
      await call(api, "post", "/admin/amazon/sync", { stream: "listings_import", account_id: account.id }, headers)
      await waitFor("second import", async () => (await amazon.listAmazonSyncLogs({ account_id: account.id, code: "LISTINGS_IMPORTED" })).length === 2)
      expect(await amazon.listAmazonListings({ account_id: account.id })).toHaveLength(46)

      // --- list with filters
      const page1 = await call(api, "get", `/admin/amazon/listings?account_id=${account.id}&limit=10`, undefined, headers)
      expect(page1.data).toMatchObject({ count: 46, limit: 10, offset: 0 })
      expect(page1.data.listings.map((l: any) => l.seller_sku)).toEqual(skus.slice(0, 10))
      const search = await call(api, "get", "/admin/amazon/listings?q=sku-04", undefined, headers)
      expect(search.data.listings.map((l: any) => l.seller_sku)).toEqual(["SKU-040", "SKU-041", "SKU-042", "SKU-043", "SKU-044", "SKU-045"])
      const byAsin = await call(api, "get", "/admin/amazon/listings?q=B0FBA", undefined, headers)
      expect(byAsin.data.listings.map((l: any) => l.seller_sku)).toEqual(["SKU-FBA"])
      const fbaOnly = await call(api, "get", "/admin/amazon/listings?fulfillment_channel=AMAZON", undefined, headers)
      expect(fbaOnly.data.count).toBe(1)

      // --- link one SKU by hand
      const { variants } = await createTestProduct(container, store, "Tee", [
        { sku: "SKU-001", stock: { [store.locationIds[0]]: 8 } },
        { sku: "SKU-002", stock: { [store.locationIds[0]]: 5 } },
        { sku: "SKU-003", stock: { [store.locationIds[0]]: 1 } },
        { sku: "NOT-ON-AMAZON", stock: { [store.locationIds[0]]: 1 } },
      ])
      const sku1 = imported.find((l) => l.seller_sku === "SKU-001")!
      const linked = await call(api, "post", `/admin/amazon/listings/${sku1.id}/link`, { variant_id: variants["SKU-002"].id }, headers)
      expect(linked.status).toBe(200)
      expect(linked.data.listing).toMatchObject({ id: sku1.id, product_variant: { id: variants["SKU-002"].id, sku: "SKU-002" } })
      // re-linking to another variant replaces the mapping
      const relinked = await call(api, "post", `/admin/amazon/listings/${sku1.id}/link`, { variant_id: variants["SKU-001"].id }, headers)
      expect(relinked.data.listing.product_variant).toMatchObject({ id: variants["SKU-001"].id, product: { title: "Tee" } })
      const outbox = await amazon.listAmazonStockOutboxes({ variant_id: variants["SKU-001"].id })
      expect(outbox).toEqual([expect.objectContaining({ reason: "amazon.listing_linked" })])
      const linkedOnly = await call(api, "get", "/admin/amazon/listings?linked=true", undefined, headers)
      expect(linkedOnly.data).toMatchObject({ count: 1, listings: [{ seller_sku: "SKU-001" }] })
      expect((await call(api, "get", "/admin/amazon/listings?linked=false", undefined, headers)).data.count).toBe(45)
      const forVariant = await call(api, "get", `/admin/amazon/listings?variant_id=${variants["SKU-001"].id}`, undefined, headers)
      expect(forVariant.data.listings.map((l: any) => l.id)).toEqual([sku1.id])
      expect((await call(api, "post", `/admin/amazon/listings/${sku1.id}/link`, { variant_id: "variant_missing" }, headers)).status).toBe(404)
      expect((await call(api, "post", "/admin/amazon/listings/amzlst_missing/link", { variant_id: variants["SKU-001"].id }, headers)).status).toBe(404)
      const noVariant = await call(api, "post", `/admin/amazon/listings/${sku1.id}/link`, {}, headers)
      expect({ status: noVariant.status, message: noVariant.data.message }).toEqual({ status: 400, message: expect.stringMatching(/variant_id/) })

      // --- unlink
      const unlinked = await call(api, "delete", `/admin/amazon/listings/${sku1.id}/link`, undefined, headers)
      expect(unlinked.data.listing.product_variant ?? null).toBeNull()
      expect((await call(api, "get", "/admin/amazon/listings?linked=true", undefined, headers)).data.count).toBe(0)

      // --- auto-link by SKU: SKU-001..003 have variants with the same SKU; nothing else matches
      const auto = await call(api, "post", "/admin/amazon/listings/auto-link", { account_id: account.id }, headers)
      expect(auto.status).toBe(200)
      expect(auto.data).toMatchObject({ linked: 3, unlinked_checked: 46 })
      expect(auto.data.unmatched_skus).toContain("SKU-FBA")
      expect(auto.data.links.map((l: any) => l.seller_sku).sort()).toEqual(["SKU-001", "SKU-002", "SKU-003"])
      expect((await call(api, "post", "/admin/amazon/listings/auto-link", {}, headers)).data.linked).toBe(0)

      // --- per-SKU rules
      const ruled = await call(api, "post", `/admin/amazon/listings/${sku1.id}`, { rules: { buffer: 2, max: 5 } }, headers)
      expect(ruled.data.listing).toMatchObject({ rules: { buffer: 2, max: 5 } })
      const badRules = await call(api, "post", `/admin/amazon/listings/${sku1.id}`, { rules: { percentage: 101 } }, headers)
      expect({ status: badRules.status, message: badRules.data.message }).toEqual({ status: 400, message: expect.stringMatching(/percentage/) })
      const noRules = await call(api, "post", `/admin/amazon/listings/${sku1.id}`, {}, headers)
      expect(noRules.status).toBe(400)
      const cleared = await call(api, "post", `/admin/amazon/listings/${sku1.id}`, { rules: null }, headers)
      expect(cleared.data.listing.rules).toBeNull()
      expect((await call(api, "get", `/admin/amazon/listings/${sku1.id}`, undefined, headers)).data.listing).toMatchObject({ seller_sku: "SKU-001" })
      expect((await call(api, "get", "/admin/amazon/listings/amzlst_missing", undefined, headers)).status).toBe(404)
    })

    it("'sync now' pushes stock through a feed, reads Amazon's report and shows per-SKU outcomes, lag and errors on the status", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const logs = captureLogs(container)
      try {
        const store = await seedTestStore(container)
        const seller = seedSimSeller(sim)
        sim.control.seedListings(["TEE-S", "TEE-M", "TEE-L"].map((sku) => ({ sellerId: seller.sellerId, sku, quantity: 0 })))
        // no patches: the run goes out as a JSON_LISTINGS_FEED, whose report has per-SKU outcomes
        const account = await createAccount(seller, { settings: { push: { max_patches_per_run: 0 } } })

        // nothing enabled → a clear 400 instead of a run that does nothing
        await call(api, "post", `/admin/amazon/accounts/${account.id}`, { enabled: false }, headers)
        const disabled = await call(api, "post", "/admin/amazon/sync", { stream: "stock_push" }, headers)
        expect({ status: disabled.status, message: disabled.data.message }).toEqual({ status: 400, message: expect.stringMatching(/No enabled Amazon account/) })
        const disabledOne = await call(api, "post", "/admin/amazon/sync", { stream: "orders", account_id: account.id }, headers)
        expect(disabledOne.data.message).toMatch(/disabled/)
        await call(api, "post", `/admin/amazon/accounts/${account.id}`, { enabled: true }, headers)

        await call(api, "post", "/admin/amazon/sync", { stream: "listings_import", account_id: account.id }, headers)
        await waitFor("listings", async () => (await amazon.listAmazonListings({ account_id: account.id })).length === 3)
        const { variants } = await createTestProduct(container, store, "Tee", [
          { sku: "TEE-S", stock: { [store.locationIds[0]]: 4 } },
          { sku: "TEE-M", stock: { [store.locationIds[0]]: 7 } },
          { sku: "TEE-L", stock: { [store.locationIds[0]]: 2 } },
          { sku: "GHOST-1", stock: { [store.locationIds[0]]: 9 } },
        ])
        // A listing Amazon does not know (a typo in a manually created SKU): Amazon rejects its message.
        const ghost = await amazon.createAmazonListings({ account_id: account.id, marketplace_id: DE, seller_sku: "GHOST-1" })
        expect((await call(api, "post", "/admin/amazon/listings/auto-link", { account_id: account.id }, headers)).data.linked).toBe(4)

        const queued = await call(api, "get", "/admin/amazon/status", undefined, headers)
        expect(queued.data.status.queue).toMatchObject({ depth: 4 })
        expect(queued.data.status.figures.queue_depth).toBe(4)

        // --- sync now: 202 at once, the push runs in the background
        const t0 = Date.now()
        const push = await call(api, "post", "/admin/amazon/sync", { stream: "stock_push" }, headers)
        const routeMs = Date.now() - t0
        expect(push.status).toBe(202)
        expect(push.data.sync).toMatchObject({ stream: "stock_push", account_id: null, requested_at: expect.any(String) })
        const [feed] = await waitFor("a submitted feed", async () => {
          const feeds = await amazon.listAmazonFeeds({ account_id: account.id })
          return feeds.length && feeds[0].amazon_feed_id ? feeds : null
        })
        const submittedMs = Date.now() - t0
        expect(feed).toMatchObject({ message_count: 4 })
        // the run deletes the outbox rows right after the feed is submitted
        const pending = await waitFor("the push run to finish", async () => {
          const res = await call(api, "get", "/admin/amazon/status", undefined, headers)
          return res.data.status.queue.depth === 0 ? res : null
        })
        expect(pending.data.status.push).toMatchObject({ unfinished_feeds: 1, last_feed_at: expect.any(String), listings: { pending: 4 } })

        // Amazon processes the feed; "sync now" of the feed results reads the report
        sim.control.advanceClock(5_000)
        const results = await call(api, "post", "/admin/amazon/sync", { stream: "feed_results" }, headers)
        expect(results.status).toBe(202)
        await waitFor("the processed feed", async () => (await amazon.retrieveAmazonFeed(feed.id)).status === "processed")
        figure("sync now (stock_push): POST answered (202) after, ms", routeMs)
        figure("sync now (stock_push): feed submitted to Amazon after, ms", submittedMs)
        figure("link → quantities accepted on Amazon (push, feed processing, results), ms", Date.now() - t0)
        expect(sim.control.quantities(seller.sellerId)).toEqual({ "TEE-S": 4, "TEE-M": 7, "TEE-L": 2 })

        // --- feeds with per-SKU results
        const feeds = await call(api, "get", `/admin/amazon/feeds?account_id=${account.id}`, undefined, headers)
        expect(feeds.data).toMatchObject({ count: 1, feeds: [{ id: feed.id, status: "processed", accepted_count: 3, error_count: 1, stuck: false }] })
        const detail = await call(api, "get", `/admin/amazon/feeds/${feed.id}`, undefined, headers)
        expect(detail.data.feed.message_counts).toEqual({ pending: 0, accepted: 3, error: 1, warning: 0, unconfirmed: 0 })
        const messages = await call(api, "get", `/admin/amazon/feeds/${feed.id}/messages`, undefined, headers)
        expect(messages.data.messages.map((m: any) => [m.seller_sku, m.quantity, m.status]).sort()).toEqual([
          ["GHOST-1", 9, "error"],
          ["TEE-L", 2, "accepted"],
          ["TEE-M", 7, "accepted"],
          ["TEE-S", 4, "accepted"],
        ])
        const errorsOnly = await call(api, "get", `/admin/amazon/feeds/${feed.id}/messages?status=error`, undefined, headers)
        expect(errorsOnly.data.messages).toEqual([expect.objectContaining({ seller_sku: "GHOST-1", issues: [expect.objectContaining({ code: "4000001" })] })])
        expect((await call(api, "get", "/admin/amazon/feeds/amzfd_missing", undefined, headers)).status).toBe(404)
        expect((await call(api, "get", "/admin/amazon/feeds/amzfd_missing/messages", undefined, headers)).status).toBe(404)
        expect((await call(api, "get", `/admin/amazon/feeds/${feed.id}/messages?status=bogus`, undefined, headers)).status).toBe(400)
        expect((await call(api, "get", "/admin/amazon/feeds?stuck=perhaps", undefined, headers)).status).toBe(400)

        // --- listings show the outcome per SKU
        const errored = await call(api, "get", "/admin/amazon/listings?push_status=error", undefined, headers)
        expect(errored.data.listings).toEqual([expect.objectContaining({ id: ghost.id, last_error_code: "4000001" })])
        const acceptedListings = await call(api, "get", "/admin/amazon/listings?push_status=accepted", undefined, headers)
        expect(acceptedListings.data.listings.map((l: any) => [l.seller_sku, l.last_accepted_quantity])).toEqual([
          ["TEE-L", 2],
          ["TEE-M", 7],
          ["TEE-S", 4],
        ])

        // --- status: last push, no lag left, the rejected SKU as an error to act on and a warning
        const status = (await call(api, "get", "/admin/amazon/status", undefined, headers)).data.status
        expect(status).toMatchObject({
          queue: { depth: 0, oldest_enqueued_at: null },
          figures: { queue_depth: 0, push_lag_seconds: 0, confirmation_lag_seconds: 0 },
          push: { unfinished_feeds: 0, stuck_feeds: 0, listings: { accepted: 3, error: 1 } },
          throttle: { state: "ok", last_hour: 0 },
        })
        expect(status.push.last_push_at).toBeTruthy()
        expect(status.errors.items).toEqual(expect.arrayContaining([expect.objectContaining({ code: "FEED_MESSAGES_REJECTED", stream: "feed_results" })]))
        expect(status.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: "SKU_ERRORS", message: expect.stringMatching(/1 SKU could not be updated/) })]))
        expect(status.schedules.map((s: any) => s.name)).toEqual(expect.arrayContaining(["amazon-push-stock", "amazon-feed-results", "amazon-record-status-sample"]))
        expect(status.samples.at(-1)).toMatchObject({ live: true, queue_depth: 0 })
        const outcomes = await call(api, "get", "/admin/amazon/sync-logs?stream=admin_sync", undefined, headers)
        expect(outcomes.data.sync_logs.map((l: any) => l.message)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^Sync now \(stock_push\): 4 listing\(s\): 0 unchanged, 0 patched, 4 in 1 feed\(s\)/)])
        )
        expect((await call(api, "get", "/admin/amazon/status?hours=0", undefined, headers)).status).toBe(400)
        expect((await call(api, "get", "/admin/amazon/status?nope=1", undefined, headers)).status).toBe(400)
      } finally {
        logs.restore()
      }
      expect(logs.lines.join("\n")).not.toMatch(/sim-secret-|Atzr\|sim-refresh-|Atza\|/)
    })

    it("a throttled import fails visibly: the error and the throttle state reach the dashboard", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const seller = seedSimSeller(sim)
      sim.control.seedListings([{ sellerId: seller.sellerId, sku: "T-1", quantity: 1 }])
      const account = await createAccount(seller)
      // Amazon answers 429 to more attempts than the SP-API client makes
      sim.control.injectFault({ type: "throttle", operation: "searchListingsItems", count: 20 })
      const t0 = Date.now()
      expect((await call(api, "post", "/admin/amazon/listings/import", { account_id: account.id }, headers)).status).toBe(202)
      const [failure] = await waitFor(
        "the recorded failure",
        async () => {
          const rows = await amazon.listAmazonSyncLogs({ account_id: account.id, stream: "listings_import", level: "error" })
          return rows.length ? rows : null
        },
        60_000
      )
      figure("throttled import: failure recorded after (the client retries with backoff), ms", Date.now() - t0)
      expect(failure).toMatchObject({ code: "QuotaExceeded", message: expect.stringMatching(/Sync now \(listings_import\) failed/) })
      const status = (await call(api, "get", `/admin/amazon/status?account_id=${account.id}`, undefined, headers)).data.status
      expect(status.throttle).toMatchObject({ state: "throttled", last_hour: 1 })
      expect(status.listings_import).toEqual([expect.objectContaining({ account_id: account.id, last_error: expect.stringMatching(/QuotaExceeded/) })])
      expect(status.errors.items[0]).toMatchObject({ code: "QuotaExceeded", stream: "listings_import" })

      // the merchant marks it handled: it leaves the list
      const resolved = await call(api, "post", "/admin/amazon/sync-logs/resolve", { ids: [failure.id] }, headers)
      expect(resolved.data).toEqual({ resolved: [failure.id] })
      expect((await call(api, "post", "/admin/amazon/sync-logs/resolve", { ids: [failure.id] }, headers)).data).toEqual({ resolved: [] })
      const after = (await call(api, "get", `/admin/amazon/status?account_id=${account.id}`, undefined, headers)).data.status
      expect(after.errors.items.map((e: any) => e.id)).not.toContain(failure.id)
      const badResolve = await call(api, "post", "/admin/amazon/sync-logs/resolve", { ids: [] }, headers)
      expect({ status: badResolve.status, message: badResolve.data.message }).toEqual({ status: 400, message: expect.stringMatching(/ids/) })
      const open = await call(api, "get", "/admin/amazon/sync-logs?resolved=false&level=error", undefined, headers)
      expect(open.data.sync_logs.map((l: any) => l.id)).not.toContain(failure.id)
      const closed = await call(api, "get", "/admin/amazon/sync-logs?resolved=true", undefined, headers)
      expect(closed.data.sync_logs.map((l: any) => l.id)).toContain(failure.id)
      expect((await call(api, "get", "/admin/amazon/sync-logs?level=fatal", undefined, headers)).status).toBe(400)
    })
  },
})
