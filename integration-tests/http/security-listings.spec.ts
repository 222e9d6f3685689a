import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { startSimulator, SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { LINK_TABLES } from "../../src/workflows/shared/medusa-tables"
import { SYNC_CLAIM_CURSOR_STREAM } from "../../src/workflows/admin/utils/sync-claims"
import { createAdminUser } from "../helpers/admin"
import { runPush } from "../helpers/stock-push"
import { createTestProduct, seedTestStore } from "../helpers/store-seed"
import { accountBody, call, DE, FR, quietScheduledJobs, seedSimSeller, waitFor } from "./admin-support"

quietScheduledJobs()
jest.setTimeout(240_000)

const SEARCH = "listings-items-2021-08-01.searchListingsItems"

/**
 * Issue 13, parts 4 and 5: a listing's rules replace the stored ones (no stale max), a variant cannot
 * sell through two merchant SKUs of one marketplace, and "sync now" runs one sync per stream and account
 * even when 25 requests arrive at once.
 */
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

    async function linkedVariantIds(listingIds: string[]) {
      const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const rows = await knex(LINK_TABLES.listingVariant).whereIn("amazon_listing_id", listingIds).whereNull("deleted_at").select("amazon_listing_id", "product_variant_id")
      return Object.fromEntries(rows.map((r: any) => [r.amazon_listing_id, r.product_variant_id]))
    }

    it("a listing's rules replace the stored ones (null = the account's rules), min above max is refused, and every change re-queues the variant", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const store = await seedTestStore(container)
      const seller = seedSimSeller(sim)
      sim.control.seedListings([{ sellerId: seller.sellerId, sku: "RULE-1", quantity: 0 }])
      // the account keeps 3 units back; the listing overrides that field by field
      const account = await createAccount(seller, { settings: { rules: { buffer: 3 } } })
      const { variants } = await createTestProduct(container, store, "Rule tee", [{ sku: "RULE-1", stock: { [store.locationIds[0]]: 10 } }])
      const [listing] = await amazon.createAmazonListings([{ account_id: account.id, marketplace_id: DE, seller_sku: "RULE-1" }])
      expect((await call(api, "post", `/admin/amazon/listings/${listing.id}/link`, { variant_id: variants["RULE-1"].id }, headers)).status).toBe(200)

      const setRules = (rules: unknown) => call(api, "post", `/admin/amazon/listings/${listing.id}`, { rules }, headers)
      const stored = async () => (await amazon.retrieveAmazonListing(listing.id)).rules
      const queuedReasons = async () => (await amazon.listAmazonStockOutboxes({ variant_id: variants["RULE-1"].id })).map((r) => r.reason)
      const pushed = async () => {
        await runPush(container)
        return (await amazon.retrieveAmazonListing(listing.id)).last_sent_quantity
      }

      // buffer 1, max 5: 10 − 1 = 9, capped at 5
      const first = await setRules({ buffer: 1, max: 5 })
      expect(first.status).toBe(200)
      expect(first.data.listing.rules).toEqual({ buffer: 1, max: 5 })
      expect(await queuedReasons()).toEqual(["amazon.listing_rules_changed"])
      expect(await pushed()).toBe(5)

      // the merchant removes the max: the stored rules are exactly the new ones, and Amazon gets 10 − 2 = 8
      const second = await setRules({ buffer: 2 })
      expect(second.status).toBe(200)
      expect(second.data.listing.rules).toEqual({ buffer: 2 })
      expect(await stored()).toEqual({ buffer: 2 })
      expect(await queuedReasons()).toEqual(["amazon.listing_rules_changed"])
      expect(await pushed()).toBe(8)

      // min above max: 400 naming the fields; nothing written, nothing queued
      const before = await amazon.retrieveAmazonListing(listing.id)
      const bad = await setRules({ min: 6, max: 2 })
      expect({ status: bad.status, message: bad.data.message }).toEqual({ status: 400, message: expect.stringMatching(/min \(6\) must not be above max \(2\)/) })
      const after = await amazon.retrieveAmazonListing(listing.id)
      expect({ rules: after.rules, updated_at: after.updated_at }).toEqual({ rules: { buffer: 2 }, updated_at: before.updated_at })
      expect(await queuedReasons()).toEqual([])

      // null clears them: the account's buffer of 3 applies again (10 − 3 = 7)
      const cleared = await setRules(null)
      expect(cleared.status).toBe(200)
      expect(cleared.data.listing.rules).toBeNull()
      expect(await stored()).toBeNull()
      expect(await queuedReasons()).toEqual(["amazon.listing_rules_changed"])
      expect(await pushed()).toBe(7)

      // an unknown listing is a 404, not a silent no-op
      expect((await call(api, "post", "/admin/amazon/listings/amzlst_missing", { rules: { buffer: 1 } }, headers)).status).toBe(404)
    })

    it("a variant sells through one merchant SKU per account and marketplace: a second link is refused (409 naming the SKU), auto-link skips and reports it", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const store = await seedTestStore(container)
      const seller = seedSimSeller(sim, [DE, FR])
      const account = await createAccount(seller)
      const { variants } = await createTestProduct(container, store, "Mug", [
        { sku: "MUG-V", stock: { [store.locationIds[0]]: 4 } },
        { sku: "MUG-W", stock: { [store.locationIds[0]]: 4 } },
      ])
      const v = variants["MUG-V"].id
      const listings = await amazon.createAmazonListings([
        { account_id: account.id, marketplace_id: DE, seller_sku: "MUG-A" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "MUG-B" },
        { account_id: account.id, marketplace_id: FR, seller_sku: "MUG-FR" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "MUG-FBA", fulfillment_channel: "AMAZON" },
        // auto-link candidates: MUG-V's SKU (its variant already sells as MUG-A in DE) and MUG-W's (free)
        { account_id: account.id, marketplace_id: DE, seller_sku: "MUG-V" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "MUG-W" },
      ])
      const bySku = Object.fromEntries(listings.map((l) => [l.seller_sku, l]))
      const link = (sku: string, variantId: string) => call(api, "post", `/admin/amazon/listings/${bySku[sku].id}/link`, { variant_id: variantId }, headers)

      expect((await link("MUG-A", v)).status).toBe(200)
      // re-linking the same listing to the same variant is not a conflict with itself
      expect((await link("MUG-A", v)).status).toBe(200)

      const refused = await link("MUG-B", v)
      expect(refused.status).toBe(409)
      expect(refused.data).toMatchObject({ type: "conflict", message: expect.stringMatching(/MUG-V is already linked to Amazon listing MUG-A/) })
      expect(refused.data.message).toMatch(/Unlink MUG-A first/)
      // nothing written: MUG-B has no variant, the variant keeps MUG-A only, no push queued for MUG-B
      expect(await linkedVariantIds(listings.map((l) => l.id))).toEqual({ [bySku["MUG-A"].id]: v })
      const listed = await call(api, "get", `/admin/amazon/listings?variant_id=${v}`, undefined, headers)
      expect(listed.data.listings.map((l: any) => l.seller_sku)).toEqual(["MUG-A"])

      // another marketplace, or Amazon's own (FBA) offer, does not advertise the merchant's units twice
      expect((await link("MUG-FR", v)).status).toBe(200)
      expect((await link("MUG-FBA", v)).status).toBe(200)

      // after unlinking MUG-A, MUG-B may take the variant
      expect((await call(api, "delete", `/admin/amazon/listings/${bySku["MUG-A"].id}/link`, undefined, headers)).status).toBe(200)
      expect((await link("MUG-B", v)).status).toBe(200)

      // auto-link: MUG-W links; MUG-V's variant already sells as MUG-B in DE → skipped and reported
      const auto = await call(api, "post", "/admin/amazon/listings/auto-link", { account_id: account.id }, headers)
      expect(auto.status).toBe(200)
      expect(auto.data).toMatchObject({ linked: 1, links: [expect.objectContaining({ seller_sku: "MUG-W", variant_id: variants["MUG-W"].id })] })
      expect(auto.data.conflicts).toEqual([
        { listing_id: bySku["MUG-V"].id, seller_sku: "MUG-V", variant_id: v, linked_listing_id: bySku["MUG-B"].id, linked_seller_sku: "MUG-B" },
      ])
      const links = await linkedVariantIds(listings.map((l) => l.id))
      expect(links[bySku["MUG-V"].id]).toBeUndefined()
      expect(links[bySku["MUG-W"].id]).toBe(variants["MUG-W"].id)
    })

    it("one sync per stream and account: of 25 simultaneous requests one starts (202) and 24 get 409 with it; the claim ends with the run or its lease", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const seller = seedSimSeller(sim)
      const other = seedSimSeller(sim)
      sim.control.seedListings([
        { sellerId: seller.sellerId, sku: "SYNC-1", quantity: 1 },
        { sellerId: other.sellerId, sku: "OTHER-1", quantity: 1 },
      ])
      const account = await createAccount(seller)
      const otherAccount = await createAccount(other)
      // outcomes are recorded after the claim is released
      const done = async (accountId: string, stream: string) =>
        (await amazon.listAmazonSyncLogs({ account_id: accountId, code: "SYNC_DONE" })).filter((l) => l.message.startsWith(`Sync now (${stream})`)).length
      const imports = async (accountId: string) => (await amazon.listAmazonSyncLogs({ account_id: accountId, code: "LISTINGS_IMPORTED" })).length

      // Amazon answers slowly, so the first import is still running while the other requests arrive
      sim.control.injectFault({ type: "latency", operation: "searchListingsItems", ms: 3000 })
      sim.control.resetCounters()
      const body = { stream: "listings_import", account_id: account.id }
      const answers = await Promise.all(Array.from({ length: 25 }, () => call(api, "post", "/admin/amazon/sync", body, headers)))
      const started = answers.filter((r) => r.status === 202)
      const refused = answers.filter((r) => r.status === 409)
      expect({ started: started.length, refused: refused.length }).toEqual({ started: 1, refused: 24 })
      const sync = started[0].data.sync
      expect(sync).toMatchObject({ id: expect.stringMatching(/^amzsync_/), stream: "listings_import", account_id: account.id, account_ids: [account.id] })
      for (const r of refused) {
        expect(r.data).toMatchObject({
          type: "conflict",
          message: expect.stringMatching(new RegExp(`"listings_import" sync of account .* is already requested or running \\(${sync.id}`)),
          running: { id: sync.id, stream: "listings_import", account_id: account.id, started_at: sync.requested_at },
        })
      }

      // while it runs: the listings import route is the same stream (409); "every account" includes this
      // one (409); the other account, and another stream of this account, start
      const viaImport = await call(api, "post", "/admin/amazon/listings/import", { account_id: account.id }, headers)
      expect({ status: viaImport.status, running: viaImport.data.running?.id }).toEqual({ status: 409, running: sync.id })
      const everyAccount = await call(api, "post", "/admin/amazon/sync", { stream: "listings_import" }, headers)
      expect({ status: everyAccount.status, running: everyAccount.data.running?.id }).toEqual({ status: 409, running: sync.id })
      const otherImport = await call(api, "post", "/admin/amazon/sync", { stream: "listings_import", account_id: otherAccount.id }, headers)
      expect(otherImport.status).toBe(202)
      expect((await call(api, "post", "/admin/amazon/sync", { stream: "reconcile", account_id: account.id }, headers)).status).toBe(202)

      // one import ran for the account, not 25: one page of searchListingsItems each for the two accounts
      await waitFor("both imports", async () => (await done(account.id, "listings_import")) === 1 && (await done(otherAccount.id, "listings_import")) === 1, 60_000)
      await waitFor("the reconcile", async () => (await done(account.id, "reconcile")) === 1, 60_000)
      sim.control.clearFaults()
      expect(sim.control.counters()[SEARCH]).toMatchObject({ calls: 2 })
      expect(await imports(account.id)).toBe(1)

      // finished → released: the next request starts at once
      const again = await call(api, "post", "/admin/amazon/sync", body, headers)
      expect(again.status).toBe(202)
      expect(again.data.sync.id).not.toBe(sync.id)
      await waitFor("the second import", async () => (await done(account.id, "listings_import")) === 2, 60_000)

      // a marker left by a run that crashed: it blocks (409, as on any instance) until its lease is over
      const marker = (leaseUntil: string) => ({
        id: "amzsync_crashed",
        stream: "listings_import",
        account_id: account.id,
        account_ids: [account.id],
        requested_by: null,
        started_at: new Date(Date.now() - 600_000).toISOString(),
        lease_until: leaseUntil,
      })
      const setMarker = async (leaseUntil: string) => {
        await waitFor("the marker to be free", async () => {
          const [row] = await knex("amazon_sync_cursor").where({ account_id: account.id, stream: SYNC_CLAIM_CURSOR_STREAM, scope: "listings_import" }).whereNull("deleted_at")
          return row && !row.state?.running ? row : null
        })
        await knex.raw(
          `update amazon_sync_cursor set state = jsonb_build_object('running', ?::jsonb) where account_id = ? and stream = ? and scope = 'listings_import'`,
          [JSON.stringify(marker(leaseUntil)), account.id, SYNC_CLAIM_CURSOR_STREAM]
        )
      }
      await setMarker(new Date(Date.now() + 60_000).toISOString())
      const blocked = await call(api, "post", "/admin/amazon/sync", body, headers)
      expect({ status: blocked.status, running: blocked.data.running?.id }).toEqual({ status: 409, running: "amzsync_crashed" })
      await knex.raw(
        `update amazon_sync_cursor set state = jsonb_set(state, '{running,lease_until}', to_jsonb(?::text)) where account_id = ? and stream = ? and scope = 'listings_import'`,
        [new Date(Date.now() - 1000).toISOString(), account.id, SYNC_CLAIM_CURSOR_STREAM]
      )
      const takenOver = await call(api, "post", "/admin/amazon/sync", body, headers)
      expect(takenOver.status).toBe(202)
      await waitFor("the third import", async () => (await done(account.id, "listings_import")) === 3, 60_000)
      expect(await imports(account.id)).toBe(3)
    })
  },
})
