import "../helpers/quiet-jobs"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { MedusaContainer } from "@medusajs/framework/types"
import type { SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { ZERO_STOCK_CONFIRMATION_REQUIRED } from "../../src/workflows/admin/steps/check-settings-stock-impact"
import { ACCOUNT_SETTINGS_CHANGED_REASON } from "../../src/workflows/admin/steps/requeue-account-listings"
import { nextCronRun } from "../../src/workflows/admin/utils/next-run"
import { createAdminUser } from "../helpers/admin"
import { createTestProduct, seedTestStore, TestStore } from "../helpers/store-seed"
import { createSimAccount, DE, mapListings, runPush, runReconcile, startStockSimulator } from "../helpers/stock-push"
import { accountBody, call, seedSimSeller, US } from "./admin-support"

jest.setTimeout(240_000)

/**
 * Issue 13 (part 3): account settings refer only to what exists, and a change that would take most of
 * the stocked Amazon listings to 0 needs the merchant's confirmation. Every scenario goes through the
 * admin HTTP routes; Amazon is the local simulator.
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
    })

    const post = (url: string, body: unknown) => call(api, "post", url, body, headers)
    const settingsOf = async (container: MedusaContainer, id: string) =>
      (await container.resolve<AmazonModuleService>(AMAZON_MODULE).retrieveAmazonAccount(id)).settings

    /**
     * A store with a stocked warehouse and an empty shop, four variants stocked in the warehouse (10, 10,
     * 3, 3), and an account whose four merchant listings are linked to them (plus an FBA listing of the
     * first variant and an unlinked listing: neither counts).
     */
    async function stockedAccount(container: MedusaContainer) {
      const store: TestStore = await seedTestStore(container, { locationNames: ["Warehouse", "Empty shop"] })
      const [warehouse, shop] = store.locationIds
      const { account, sellerId } = await createSimAccount(container, sim)
      const { variants } = await createTestProduct(container, store, "Settings", [
        { sku: "S-A", stock: { [warehouse]: 10 } },
        { sku: "S-B", stock: { [warehouse]: 10 } },
        { sku: "S-C", stock: { [warehouse]: 3 } },
        { sku: "S-D", stock: { [warehouse]: 3 } },
      ])
      sim.control.seedListings(["A", "B", "C", "D"].map((s) => ({ sellerId, sku: `AMZ-${s}`, quantity: 0 })))
      await mapListings(container, account.id, [
        { variant_id: variants["S-A"].id, sku: "AMZ-A" },
        { variant_id: variants["S-B"].id, sku: "AMZ-B" },
        { variant_id: variants["S-C"].id, sku: "AMZ-C" },
        { variant_id: variants["S-D"].id, sku: "AMZ-D" },
        { variant_id: variants["S-A"].id, sku: "AMZ-A-FBA", fulfillment_channel: "AMAZON" },
      ])
      await container.resolve<AmazonModuleService>(AMAZON_MODULE).createAmazonListings({ account_id: account.id, marketplace_id: DE, seller_sku: "UNLINKED" })
      const variantIds = ["S-A", "S-B", "S-C", "S-D"].map((s) => variants[s].id)
      return { store, warehouse, shop, account, sellerId, variantIds }
    }

    it("refuses settings that point at nothing or at FBA stock, and min above max, naming the problem and writing nothing", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const store = await seedTestStore(container, { locationNames: ["Warehouse", "Amazon FBA (DE)"] })
      const [warehouse, fbaLocation] = store.locationIds
      const seller = seedSimSeller(sim)

      // --- create: a bad reference is refused and no account is stored
      const createInvalid: [Record<string, unknown>, RegExp][] = [
        [{ stock_location_ids: ["sloc_missing"] }, /^Field 'settings\.stock_location_ids': stock location sloc_missing does not exist$/],
        [{ sales_channel_id: "sc_missing" }, /^Field 'settings\.sales_channel_id': sales channel sc_missing does not exist$/],
        [{ region_ids: { [DE]: "reg_missing" } }, /^Field 'settings\.region_ids\.A1PA6795UKMFR9': region reg_missing does not exist$/],
        [{ region_ids: { [US]: store.regionId } }, /^Field 'settings\.region_ids': ATVPDKIKX0DER is not a marketplace of this account$/],
        [{ rules: { min: 5, max: 2 } }, /^Field 'settings\.rules': min \(5\) must not be above max \(2\)$/],
        [{ stock_location_ids: [] }, /stock_location_ids' is empty.*Send confirm_zero_stock: true/],
      ]
      for (const [settings, message] of createInvalid) {
        const res = await post("/admin/amazon/accounts", accountBody(sim, seller, { settings }))
        expect({ settings, status: res.status, message: res.data.message }).toEqual({ settings, status: 400, message: expect.stringMatching(message) })
      }
      expect(await amazon.listAmazonAccounts({})).toHaveLength(0)

      // valid references are stored as given
      const created = await post(
        "/admin/amazon/accounts",
        accountBody(sim, seller, {
          settings: { stock_location_ids: [warehouse], sales_channel_id: store.salesChannelId, region_ids: { [DE]: store.regionId }, rules: { min: 2, max: 2 } },
        })
      )
      expect(created.status).toBe(201)
      const id = created.data.account.id
      await amazon.setFbaLocationId(id, DE, fbaLocation)
      const stored = await settingsOf(container, id)
      expect(stored).toEqual({
        stock_location_ids: [warehouse],
        sales_channel_id: store.salesChannelId,
        region_ids: { [DE]: store.regionId },
        rules: { min: 2, max: 2 },
        fba_location_ids: { [DE]: fbaLocation },
      })

      // --- update: every problem is named; the stored account (connection fields included) is unchanged
      const updateInvalid: [Record<string, unknown>, RegExp][] = [
        [{ settings: { stock_location_ids: [warehouse, "sloc_missing"] } }, /^Field 'settings\.stock_location_ids': stock location sloc_missing does not exist$/],
        [{ settings: { stock_location_ids: [fbaLocation] } }, new RegExp(`^Field 'settings\\.stock_location_ids': stock location ${fbaLocation} is the Amazon FBA location of .*\\(${DE}\\)`)],
        [{ name: "Renamed", settings: { sales_channel_id: "sc_missing" } }, /sales channel sc_missing does not exist/],
        [{ enabled: false, settings: { region_ids: { [DE]: "reg_missing" } } }, /region reg_missing does not exist/],
        [{ settings: { rules: { min: 3, max: 1 } } }, /^Field 'settings\.rules': min \(3\) must not be above max \(1\)$/],
        [
          { settings: { sales_channel_id: "sc_x", stock_location_ids: ["sloc_y"] } },
          /^Field 'settings\.stock_location_ids': stock location sloc_y does not exist; Field 'settings\.sales_channel_id': sales channel sc_x does not exist$/,
        ],
      ]
      const before = await amazon.retrieveAmazonAccount(id)
      for (const [body, message] of updateInvalid) {
        const res = await post(`/admin/amazon/accounts/${id}`, body)
        expect({ body, status: res.status, message: res.data.message }).toEqual({ body, status: 400, message: expect.stringMatching(message) })
      }
      const after = await amazon.retrieveAmazonAccount(id)
      expect({ name: after.name, enabled: after.enabled, settings: after.settings }).toEqual({ name: before.name, enabled: before.enabled, settings: stored })

      // a change back to valid references goes through (no listings: nothing to confirm)
      const ok = await post(`/admin/amazon/accounts/${id}`, { settings: { sales_channel_id: null, rules: { max: 0 } } })
      expect(ok.status).toBe(200)
      expect(ok.data.account.settings).toEqual({ stock_location_ids: [warehouse], region_ids: { [DE]: store.regionId }, rules: { max: 0 }, fba_location_ids: { [DE]: fbaLocation } })
      // counting no location is refused even without listings, until confirmed
      expect((await post(`/admin/amazon/accounts/${id}`, { settings: { stock_location_ids: [] } })).status).toBe(400)
      const confirmed = await post(`/admin/amazon/accounts/${id}`, { settings: { stock_location_ids: [] }, confirm_zero_stock: true })
      expect(confirmed.status).toBe(200)
      expect(confirmed.data.account.settings.stock_location_ids).toEqual([])
      // and on create
      const other = seedSimSeller(sim)
      const createdEmpty = await post("/admin/amazon/accounts", accountBody(sim, other, { settings: { stock_location_ids: [] }, confirm_zero_stock: true }))
      expect(createdEmpty.status).toBe(201)
      expect(createdEmpty.data.account.settings).toEqual({ stock_location_ids: [] })
    })

    it("refuses a change that would set most stocked listings to 0 unless it is confirmed", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const { warehouse, shop, account } = await stockedAccount(container)
      const url = `/admin/amazon/accounts/${account.id}`
      const queued = async () => (await amazon.listAmazonStockOutboxes({ reason: ACCOUNT_SETTINGS_CHANGED_REASON })).length

      // a real location that holds none of the linked variants' stock
      const toShop = await post(url, { settings: { stock_location_ids: [shop] } })
      expect(toShop.status).toBe(400)
      expect(toShop.data.message).toBe(
        "This change would set 4 of the 4 Amazon listings that have stock now to 0 (AMZ-A, AMZ-B, AMZ-C, AMZ-D): the counted stock " +
          "locations or quantity rules leave them nothing to sell. Send confirm_zero_stock: true to apply it anyway."
      )
      expect(toShop.data.code).toBe(ZERO_STOCK_CONFIRMATION_REQUIRED)
      expect(await settingsOf(container, account.id)).toEqual({})
      expect(await queued()).toBe(0)
      const confirmedShop = await post(url, { settings: { stock_location_ids: [shop] }, confirm_zero_stock: true })
      expect(confirmedShop.status).toBe(200)
      expect(confirmedShop.data).toMatchObject({ account: { settings: { stock_location_ids: [shop] } }, requeued_listings: 4 })

      // back to the warehouse: nothing is lost, no confirmation needed
      expect((await post(url, { settings: { stock_location_ids: [warehouse] } })).status).toBe(200)

      // no counted location at all
      const none = await post(url, { settings: { stock_location_ids: [] } })
      expect({ status: none.status, message: none.data.message }).toEqual({ status: 400, message: expect.stringMatching(/with no stock location counted.*Send confirm_zero_stock: true/) })
      expect(await settingsOf(container, account.id)).toEqual({ stock_location_ids: [warehouse] })
      expect((await post(url, { settings: { stock_location_ids: [] }, confirm_zero_stock: true })).status).toBe(200)
      expect(await settingsOf(container, account.id)).toEqual({ stock_location_ids: [] })
      expect((await post(url, { settings: { stock_location_ids: null } })).status).toBe(200)

      // rules that force 0
      for (const rules of [{ max: 0 }, { percentage: 0 }, { buffer: 10 }, { min: 11 }]) {
        const res = await post(url, { settings: { rules } })
        expect({ rules, status: res.status, message: res.data.message }).toEqual({ rules, status: 400, message: expect.stringMatching(/^This change would set 4 of the 4 /) })
      }
      expect(await settingsOf(container, account.id)).toEqual({})
      // half of the stocked listings (the two with 3 units) is not "most": allowed
      expect((await post(url, { settings: { rules: { buffer: 3 } } })).status).toBe(200)
      // from there, 2 of the 2 that still have stock would go: refused
      const more = await post(url, { settings: { rules: { buffer: 10 } } })
      expect({ status: more.status, message: more.data.message }).toEqual({ status: 400, message: expect.stringMatching(/^This change would set 2 of the 2 Amazon listings that have stock now to 0 \(AMZ-A, AMZ-B\)/) })
      expect(await settingsOf(container, account.id)).toEqual({ rules: { buffer: 3 } })
    })

    it("re-queues the linked listings on a quantity settings change, says when the next push is, and the push applies it", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const { account, sellerId, variantIds } = await stockedAccount(container)
      const url = `/admin/amazon/accounts/${account.id}`

      // Amazon holds the current quantities and nothing is queued
      await runReconcile(container)
      await runPush(container)
      expect(sim.control.quantities(sellerId)).toMatchObject({ "AMZ-A": 10, "AMZ-B": 10, "AMZ-C": 3, "AMZ-D": 3 })
      expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)

      const sentAt = new Date()
      const res = await post(url, { settings: { rules: { max: 4 } } })
      expect(res.status).toBe(200)
      // four linked merchant listings; the FBA listing and the unlinked one are not pushed
      expect(res.data.requeued_listings).toBe(4)
      // the push job's own schedule (the test's quiet daily time, from the environment)
      const expected = nextCronRun(process.env.AMAZON_STOCK_PUSH_SCHEDULE!, sentAt)
      expect(expected).not.toBeNull()
      expect(res.data.next_push_at).toBe(expected)
      expect(new Date(res.data.next_push_at).getTime()).toBeGreaterThan(sentAt.getTime())

      const rows = await amazon.listAmazonStockOutboxes({})
      expect(rows.map((r) => [r.variant_id, r.reason]).sort()).toEqual(variantIds.map((v) => [v, ACCOUNT_SETTINGS_CHANGED_REASON]).sort())

      // the next push sends the quantities the new rules give
      await runPush(container)
      expect(sim.control.quantities(sellerId)).toMatchObject({ "AMZ-A": 4, "AMZ-B": 4, "AMZ-C": 3, "AMZ-D": 3 })
      expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)

      // settings that do not change quantities (or the same rules again) queue nothing
      for (const body of [{ settings: { push: { max_patches_per_run: 5 } } }, { settings: { rules: { max: 4 } } }, { name: "Renamed" }]) {
        const again = await post(url, body)
        expect({ body, status: again.status, requeued_listings: again.data.requeued_listings }).toEqual({ body, status: 200, requeued_listings: 0 })
        expect(typeof again.data.next_push_at).toBe("string")
      }
      expect(await amazon.listAmazonStockOutboxes({})).toHaveLength(0)

      // the unmanaged quantity is a quantity setting too
      expect((await post(url, { settings: { unmanaged_quantity: 3 } })).data.requeued_listings).toBe(4)
    })
  },
})
