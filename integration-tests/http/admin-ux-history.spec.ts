import "../helpers/quiet-jobs"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import type { SimulatorHandle } from "../../simulator"
import { listingKey } from "../../simulator/state"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import type { AdminAmazonListingExplain, AdminAmazonListingPush, AdminAmazonListingPushListResponse } from "../../src/types/http"
import { pruneAmazonPushHistoryWorkflow } from "../../src/workflows/retention/prune-amazon-push-history"
import { createAdminUser } from "../helpers/admin"
import { createTestProduct, seedTestStore } from "../helpers/store-seed"
import { createSimAccount, DE, mapListings, runPush, runReconcile, settleFeeds, startStockSimulator, waitForOutbox } from "../helpers/stock-push"
import { call } from "./admin-support"

jest.setTimeout(240_000)

/**
 * Issue 17 part 3: a listing's push history (patches and feed messages in one list, with verdicts a
 * merchant reads right) and the explanation of the number the push sends.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let sim: SimulatorHandle
    let headers: Record<string, string>

    beforeAll(async () => {
      sim = await startStockSimulator()
    })
    afterAll(async () => {
      await sim?.close()
    })
    beforeEach(async () => {
      ;({ headers } = await createAdminUser(getContainer()))
      sim.control.clearFaults()
    })

    const history = async (listingId: string, query = "") => {
      const res = await call(api, "get", `/admin/amazon/listings/${listingId}/pushes${query}`, undefined, headers)
      expect(res.status).toBe(200)
      return res.data as AdminAmazonListingPushListResponse
    }
    const explain = async (listingId: string) => {
      const res = await call(api, "get", `/admin/amazon/listings/${listingId}/explain`, undefined, headers)
      expect(res.status).toBe(200)
      return res.data.explain as AdminAmazonListingExplain
    }
    const brief = (p: AdminAmazonListingPush) => [p.channel, p.quantity, p.verdict]

    it("lists patches and feeds newest first with their verdicts, and explains the number the push sends", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const store = await seedTestStore(container, { locationNames: ["Berlin", "Hamburg", "Amazon FBA (DE)"] })
      const [berlin, hamburg, fbaLocation] = store.locationIds
      // the account keeps 2 back; its FBA location holds Amazon's stock, which never counts as ours
      const { account, sellerId } = await createSimAccount(container, sim, { rules: { buffer: 2 }, fba_location_ids: { [DE]: fbaLocation } })
      const { variants } = await createTestProduct(container, store, "History tee", [{ sku: "HIST", stock: { [berlin]: 8, [hamburg]: 4, [fbaLocation]: 30 } }])
      sim.control.seedListings([{ sellerId, sku: "AMZ-HIST", quantity: 0 }])
      const { "AMZ-HIST": listing } = await mapListings(container, account.id, [{ variant_id: variants.HIST.id, sku: "AMZ-HIST" }])
      const setBerlin = async (stocked: number) => {
        await updateInventoryLevelsWorkflow(container).run({
          input: { updates: [{ inventory_item_id: variants.HIST.inventoryItemId!, location_id: berlin, stocked_quantity: stocked }] },
        })
        await waitForOutbox(container, [variants.HIST.id])
      }

      // Nothing pushed yet: an empty history, and the chain the first push will follow.
      expect(await history(listing.id)).toEqual({ pushes: [], count: 0, offset: 0, limit: 20 })
      const first = await explain(listing.id)
      expect(first).toMatchObject({ state: "computed", manage_inventory: true, available: 12, quantity: 10, variant_id: variants.HIST.id })
      expect(first.inventory_items).toHaveLength(1)
      expect(first.inventory_items[0].locations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ location_id: berlin, name: "Berlin", stocked: 8, counted: true, excluded_because: null }),
          expect.objectContaining({ location_id: hamburg, name: "Hamburg", stocked: 4, counted: true, excluded_because: null }),
          expect.objectContaining({ location_id: fbaLocation, name: "Amazon FBA (DE)", stocked: 30, counted: false, excluded_because: "fba" }),
        ])
      )
      expect(first.rules).toEqual([{ rule: "buffer", value: 2, source: "account", overrides: null, before: 12, after: 10, decided: true }])
      expect(first.summary).toMatch(/^12 in stock at 2 locations − buffer 2 → 10; Amazon has accepted no quantity from us yet; /)

      // 1. The first push patches (a small batch) and Amazon accepts: what was explained is what was sent.
      await runReconcile(container)
      const queued = await explain(listing.id)
      expect(queued).toMatchObject({ queued: true, quantity: 10 })
      expect(queued.summary).toMatch(/; queued, next push in ~\d+ (s|min|h)$/)
      expect(queued.next_push_at).not.toBeNull()
      expect(await runPush(container)).toMatchObject({ patched: 1, rejected: 0, fed: 0 })
      expect(sim.control.getQuantity("AMZ-HIST", sellerId)).toBe(10)
      const afterPatch = await explain(listing.id)
      expect(afterPatch).toMatchObject({ queued: false, quantity: 10, amazon: { last_accepted_quantity: 10, last_sent_quantity: 10, push_status: "accepted" } })
      expect(afterPatch.summary).toMatch(/^12 in stock at 2 locations − buffer 2 → 10; Amazon accepted 10 \(\d+ s ago\); up to date$/)

      // 2. Amazon no longer knows the SKU: the next patch is answered INVALID.
      sim.state.listings.delete(listingKey(sellerId, "AMZ-HIST"))
      await setBerlin(5)
      expect((await explain(listing.id)).quantity).toBe(7)
      expect(await runPush(container)).toMatchObject({ patched: 0, rejected: 1, fed: 0 })
      const rejectedListing = await amazon.retrieveAmazonListing(listing.id)
      expect(rejectedListing).toMatchObject({ push_status: "error", last_sent_quantity: 7, last_accepted_quantity: 10 })
      expect((await explain(listing.id)).summary).toContain(`Amazon accepted 10 (`)
      expect((await explain(listing.id)).summary).toContain(`the last push was rejected (${rejectedListing.last_error_code})`)

      // 3. The SKU is back; the patch meets a 5xx outage (every attempt of the SP-API client) and falls back
      // to the feed: the feed message records it, no patch row does.
      sim.control.seedListing({ sellerId, sku: "AMZ-HIST", quantity: 0 })
      sim.control.injectFault({ type: "server-error", operation: "patchListingsItem", count: 5 })
      await setBerlin(6)
      const fed = await runPush(container)
      expect(fed).toMatchObject({ patched: 0, rejected: 0, fed: 1 })
      sim.control.clearFaults()
      const inFeed = await explain(listing.id)
      expect(inFeed).toMatchObject({ in_feed: true, quantity: 8, amazon: { last_sent_quantity: 8, push_status: "pending" } })
      expect(inFeed.summary).toContain("8 is in a feed Amazon is processing; waiting for Amazon's report")
      const pending = await history(listing.id)
      expect(pending.pushes[0]).toMatchObject({ channel: "feed", quantity: 8, verdict: "pending", settled_at: null })
      await settleFeeds(container, sim)
      expect(sim.control.getQuantity("AMZ-HIST", sellerId)).toBe(8)
      expect(await amazon.listAmazonListingPatches({ listing_id: listing.id })).toHaveLength(2)

      const all = await history(listing.id)
      expect(all).toMatchObject({ count: 3, offset: 0, limit: 20 })
      expect(all.pushes.map(brief)).toEqual([
        ["feed", 8, "accepted"],
        ["patch", 7, "rejected"],
        ["patch", 10, "accepted"],
      ])
      const [feedPush, rejectedPatch, acceptedPatch] = all.pushes
      const [feedRow] = await amazon.listAmazonFeeds({ id: fed.feeds[0].id })
      expect(feedPush).toMatchObject({
        feed: { id: feedRow.id, amazon_feed_id: feedRow.amazon_feed_id, status: "processed" },
        sent_at: new Date(feedRow.submitted_at!).toISOString(),
        code: null,
        message: null,
      })
      expect(feedPush.settled_at).not.toBeNull()
      expect(rejectedPatch).toMatchObject({ code: rejectedListing.last_error_code, settled_at: rejectedPatch.sent_at })
      expect(rejectedPatch.message).toContain("AMZ-HIST")
      expect(rejectedPatch.feed).toBeUndefined()
      expect(acceptedPatch).toMatchObject({ code: null, message: null })
      const times = all.pushes.map((p) => Date.parse(p.sent_at))
      expect([...times].sort((a, b) => b - a)).toEqual(times)

      // Paging runs across both tables.
      const second = await history(listing.id, "?limit=1&offset=1")
      expect(second).toMatchObject({ count: 3, offset: 1, limit: 1 })
      expect(second.pushes.map(brief)).toEqual([["patch", 7, "rejected"]])
      expect(await history(listing.id, "?limit=2&offset=3")).toEqual({ pushes: [], count: 3, offset: 3, limit: 2 })
      expect((await call(api, "get", `/admin/amazon/listings/${listing.id}/pushes?limit=0`, undefined, headers)).status).toBe(400)

      // 4. A feed Amazon ends FATAL: its message is rejected, not "processed".
      sim.control.injectFault({ type: "feed-fatal", count: 1 })
      await amazon.updateAmazonAccounts({ id: account.id, settings: { rules: { buffer: 2 }, fba_location_ids: { [DE]: fbaLocation }, push: { max_patches_per_run: 0 } } })
      await setBerlin(9)
      expect(await runPush(container)).toMatchObject({ fed: 1 })
      await settleFeeds(container, sim)
      const [fatal] = (await history(listing.id)).pushes
      expect(fatal).toMatchObject({ channel: "feed", quantity: 11, verdict: "rejected", feed: { status: "processed" } })
      // Amazon's final status is kept in the feed's summary when its result is read (record-feed-results.ts)
      expect(fatal.code).toBe("FEED_FATAL")
      expect(fatal.message).toMatch(/Feed processing failed/)
      expect(sim.control.getQuantity("AMZ-HIST", sellerId)).toBe(8)

      // Retention: patch rows past the horizon go, newer ones stay.
      const kept = await amazon.listAmazonListingPatches({ listing_id: listing.id })
      const { result } = await pruneAmazonPushHistoryWorkflow(container).run({ input: { now: new Date(Date.now() + 89 * 86_400_000).toISOString() } })
      expect(result.patches).toMatchObject({ retention_days: 90, pruned: 0 })
      const pruned = await pruneAmazonPushHistoryWorkflow(container).run({ input: { now: new Date(Date.now() + 91 * 86_400_000).toISOString() } })
      expect(pruned.result.patches.pruned).toBe(kept.length)
      expect(await amazon.listAmazonListingPatches({ listing_id: listing.id })).toHaveLength(0)
      expect((await history(listing.id)).pushes.map((p) => p.channel)).toEqual(["feed", "feed"])
    })

    it("answers 404 for an unknown listing, and explains listings the push leaves alone", async () => {
      const container = getContainer()
      const missing = await call(api, "get", "/admin/amazon/listings/amzlst_unknown/pushes", undefined, headers)
      expect(missing.status).toBe(404)
      expect((await call(api, "get", "/admin/amazon/listings/amzlst_unknown/explain", undefined, headers)).status).toBe(404)

      const store = await seedTestStore(container)
      const { account } = await createSimAccount(container, sim)
      const { variants } = await createTestProduct(container, store, "Ruled", [{ sku: "RULED", stock: { [store.locationIds[0]]: 50 } }])
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const [unlinked] = await amazon.createAmazonListings([{ account_id: account.id, marketplace_id: DE, seller_sku: "AMZ-LOOSE" }])
      const loose = await explain(unlinked.id)
      expect(loose).toMatchObject({ state: "unlinked", quantity: null, variant_id: null })
      expect(loose.summary).toMatch(/^Not linked to a live variant/)

      // SKU-level rules: the listing's max decides after its own percentage.
      const { "AMZ-RULED": ruled } = await mapListings(container, account.id, [
        { variant_id: variants.RULED.id, sku: "AMZ-RULED", rules: { buffer: 5, percentage: 50, max: 20 } },
      ])
      const e = await explain(ruled.id)
      expect(e.rules.map((r) => [r.rule, r.source, r.before, r.after, r.decided])).toEqual([
        ["buffer", "listing", 50, 45, false],
        ["percentage", "listing", 45, 22, false],
        ["max", "listing", 22, 20, true],
      ])
      expect(e.summary).toMatch(/^50 in stock at 1 location − buffer 5, × 50 %, max 20 → 20; /)
    })
  },
})
