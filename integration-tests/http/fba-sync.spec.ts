import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createSalesChannelsWorkflow,
  createStockLocationsWorkflow,
} from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, type SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { FBA_STOCK_STREAM } from "../../src/workflows/fba-stock/constants"
import { runFbaStockSync, type FbaSyncOutcome } from "../../src/workflows/fba-stock/run-fba-stock-sync"
import type { FbaPassSummary } from "../../src/workflows/fba-stock/steps/advance-fba-cursor"

jest.setTimeout(180_000)

const DE = "A1PA6795UKMFR9"
const SELLER = {
  sellerId: "A1FBASELLER",
  clientId: "amzn1.application-oa2-client.fba",
  clientSecret: "fba-secret",
  refreshToken: "Atzr|fba-refresh",
  marketplaceIds: [DE],
}
const MERCHANT_STOCK = 7
const PAGE_SIZE = 5

/** Figures printed at the end (calls per pass, SKUs, time). */
const figures: Record<string, unknown>[] = []
function note(name: string, s: FbaPassSummary) {
  figures.push({
    pass: name,
    mode: s.mode,
    skus: s.skus,
    pages: s.pages,
    calls: s.calls,
    restarts: s.restarts,
    levels_created: s.levels_created,
    levels_updated: s.levels_updated,
    fetch_ms: s.fetch_ms,
    total_ms: s.duration_ms,
  })
}

let sim: SimulatorHandle

beforeAll(async () => {
  // Small pages so a dozen SKUs span several pages (Amazon: 50); tokens live 30 s as on Amazon.
  sim = await startSimulator({ port: 0, config: { fbaPageSize: PAGE_SIZE } })
})

afterAll(async () => {
  await sim?.close()
  if (figures.length) {
    process.stdout.write(`\nFBA sync figures (page size ${PAGE_SIZE}):\n${figures.map((f) => JSON.stringify(f)).join("\n")}\n`)
  }
})

interface Store {
  accountId: string
  merchantLocationId: string
  /** sku → { variant id, inventory item id, AMAZON listing id } */
  skus: Record<string, { variantId: string; itemId: string; listingId: string }>
  merchantListingId: string
}

/**
 * A store selling `skus` on Amazon.de as FBA listings (plus BOTH-1 as merchant- AND Amazon-fulfilled),
 * with MERCHANT_STOCK units of every item at its own warehouse, and an account pointing at the simulator.
 */
async function seedStore(container: MedusaContainer, skus: string[], simulator: SimulatorHandle = sim): Promise<Store> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)

  const {
    result: [warehouse],
  } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "Own warehouse" }] } })

  const all = [...skus, "BOTH-1"]
  const {
    result: [product],
  } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: "FBA test product",
          status: "published",
          options: [{ title: "Variant", values: all }],
          variants: all.map((sku) => ({ title: sku, sku, manage_inventory: true, options: { Variant: sku }, prices: [] })),
        },
      ],
    },
  })
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "inventory_items.inventory_item_id"],
    filters: { product_id: product.id },
  })
  await createInventoryLevelsWorkflow(container).run({
    input: {
      inventory_levels: variants.map((v: any) => ({
        inventory_item_id: v.inventory_items[0].inventory_item_id,
        location_id: warehouse.id,
        stocked_quantity: MERCHANT_STOCK,
      })),
    },
  })

  const [account] = await amazon.createAccounts([
    {
      name: "DE seller",
      region: "EU",
      seller_id: SELLER.sellerId,
      marketplace_ids: [DE],
      lwa_client_id: SELLER.clientId,
      lwa_client_secret: SELLER.clientSecret,
      refresh_token: SELLER.refreshToken,
      sp_api_base_url: simulator.url,
      lwa_token_url: `${simulator.url}/auth/o2/token`,
      // other settings must survive the FBA location being remembered
      settings: { rules: { buffer: 1 }, stock_location_ids: [warehouse.id] },
    },
  ])

  const out: Store = { accountId: account.id, merchantLocationId: warehouse.id, skus: {}, merchantListingId: "" }
  for (const v of variants as any[]) {
    const listing = await amazon.createAmazonListings({
      account_id: account.id,
      marketplace_id: DE,
      seller_sku: v.sku,
      fulfillment_channel: "AMAZON",
    })
    await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: v.id } })
    out.skus[v.sku] = { variantId: v.id, itemId: v.inventory_items[0].inventory_item_id, listingId: listing.id }
    if (v.sku === "BOTH-1") {
      const merchant = await amazon.createAmazonListings({
        account_id: account.id,
        marketplace_id: DE,
        seller_sku: v.sku,
        fulfillment_channel: "MERCHANT",
        last_sent_quantity: 6,
      })
      await link.create({ [AMAZON_MODULE]: { amazon_listing_id: merchant.id }, [Modules.PRODUCT]: { product_variant_id: v.id } })
      out.merchantListingId = merchant.id
    }
  }
  return out
}

/** Pretend Amazon's records were last touched an hour ago (so an incremental pass does not see them). */
function ageFbaStock(ms = 3_600_000) {
  for (const stock of sim.state.fbaStock.values()) {
    stock.lastUpdatedAt -= ms
  }
}

async function levelsAt(container: MedusaContainer, locationId: string) {
  const inventory = container.resolve(Modules.INVENTORY)
  const levels = await inventory.listInventoryLevels({ location_id: locationId })
  return Object.fromEntries(levels.map((l: any) => [l.inventory_item_id, Number(l.stocked_quantity)]))
}

async function merchantLevelsSnapshot(container: MedusaContainer, locationId: string) {
  const inventory = container.resolve(Modules.INVENTORY)
  const levels = await inventory.listInventoryLevels({ location_id: locationId })
  return levels
    .map((l: any) => ({
      id: l.id,
      inventory_item_id: l.inventory_item_id,
      stocked: Number(l.stocked_quantity),
      reserved: Number(l.reserved_quantity),
      incoming: Number(l.incoming_quantity),
      updated_at: new Date(l.updated_at).toISOString(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id))
}

async function pass(container: MedusaContainer, accountId: string, mode: "incremental" | "full", name?: string): Promise<FbaPassSummary> {
  const outcome: FbaSyncOutcome = await runFbaStockSync(container, {
    account_id: accountId,
    marketplace_id: DE,
    mode,
    // a scheduled pass may be running (jobs are live in the test app): wait for it instead of skipping
    lock_timeout_seconds: 60,
  })
  if (outcome.status !== "done") {
    throw new Error(`FBA pass did not complete: ${JSON.stringify(outcome)}`)
  }
  if (name) {
    note(name, outcome.summary)
  }
  return outcome.summary
}

async function fbaLocationId(container: MedusaContainer, accountId: string): Promise<string> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const account = await amazon.retrieveAmazonAccount(accountId)
  return (account.settings as any).fba_location_ids[DE]
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    beforeEach(() => {
      sim.control.reset()
      sim.control.seedSeller(SELLER)
    })

    describe("FBA stock sync against the SP-API simulator", () => {
      it("seeded FBA stock appears at the FBA location; unmapped and merchant-only SKUs are flagged", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const store = await seedStore(container, ["FBA-1", "FBA-2", "FBA-3"])
        // a merchant-only listing whose SKU Amazon also reports in FBA
        await amazon.createAmazonListings({ account_id: store.accountId, marketplace_id: DE, seller_sku: "MFN-ONLY", fulfillment_channel: "MERCHANT" })
        const merchantBefore = await merchantLevelsSnapshot(container, store.merchantLocationId)

        sim.control.setFbaInventory([
          { sku: "FBA-1", fulfillable: 40, inboundShipped: 5, inboundWorking: 2, reserved: { pendingCustomerOrder: 2 }, unfulfillable: { defective: 1 }, researching: 3 },
          { sku: "FBA-2", fulfillable: 0, inboundReceiving: 12 },
          { sku: "FBA-3", fulfillable: 9 },
          { sku: "BOTH-1", fulfillable: 4 },
          { sku: "GHOST-1", fulfillable: 8 },
          { sku: "MFN-ONLY", fulfillable: 2 },
        ])

        const first = await pass(container, store.accountId, "incremental", "first run (no watermark → full)")
        // no watermark yet: the first pass is a full scan
        expect(first).toMatchObject({ mode: "full", start_date_time: null, skus: 6, pages: 2, calls: 2, restarts: 0, levels_created: 4 })

        // the location: named after the marketplace, remembered in settings (other keys kept), linked to "Amazon"
        const locationId = await fbaLocationId(container, store.accountId)
        const account = await amazon.retrieveAmazonAccount(store.accountId)
        expect(account.settings).toEqual({
          rules: { buffer: 1 },
          stock_location_ids: [store.merchantLocationId],
          fba_location_ids: { [DE]: locationId },
        })
        const { data: locations } = await query.graph({
          entity: "stock_location",
          fields: ["id", "name", "address.country_code", "sales_channels.name", "metadata"],
          filters: { id: locationId },
        })
        expect(locations[0]).toMatchObject({
          name: "Amazon FBA (DE)",
          address: { country_code: "de" },
          sales_channels: [{ name: "Amazon" }],
          metadata: { amazon_fba: true, amazon_account_id: store.accountId, amazon_marketplace_id: DE },
        })

        // levels at the FBA location = fulfillable, per item
        expect(await levelsAt(container, locationId)).toEqual({
          [store.skus["FBA-1"].itemId]: 40,
          [store.skus["FBA-2"].itemId]: 0,
          [store.skus["FBA-3"].itemId]: 9,
          [store.skus["BOTH-1"].itemId]: 4,
        })

        // snapshots keep the other numbers for the admin
        const rows = await amazon.listAmazonFbaStocks({ account_id: store.accountId }, { order: { seller_sku: "ASC" } })
        const bySku = Object.fromEntries(rows.map((r) => [r.seller_sku, r]))
        expect(bySku["FBA-1"]).toMatchObject({
          listing_id: store.skus["FBA-1"].listingId,
          issue: null,
          fulfillable: 40,
          inbound_working: 2,
          inbound_shipped: 5,
          inbound_receiving: 0,
          reserved: 2,
          unfulfillable: 1,
          researching: 3,
          total: 53,
        })
        expect(bySku["FBA-2"]).toMatchObject({ fulfillable: 0, inbound_receiving: 12 })
        // a SKU sold both ways: the FBA side maps to the AMAZON listing row
        expect(bySku["BOTH-1"]).toMatchObject({ listing_id: store.skus["BOTH-1"].listingId, issue: null, fulfillable: 4 })
        expect(bySku["GHOST-1"]).toMatchObject({ listing_id: null, issue: "unmapped", fulfillable: 8 })
        expect(bySku["MFN-ONLY"]).toMatchObject({ listing_id: null, issue: "merchant_only" })

        const logs = await amazon.listAmazonSyncLogs({ account_id: store.accountId, stream: FBA_STOCK_STREAM })
        expect(logs).toEqual([
          expect.objectContaining({
            level: "warn",
            code: "FBA_SKU_UNMAPPED",
            context: expect.objectContaining({
              count: 2,
              skus: expect.arrayContaining([
                { sku: "GHOST-1", issue: "unmapped" },
                { sku: "MFN-ONLY", issue: "merchant_only" },
              ]),
            }),
          }),
        ])

        // the merchant side is untouched: its levels and the MERCHANT listing row of BOTH-1
        expect(await merchantLevelsSnapshot(container, store.merchantLocationId)).toEqual(merchantBefore)
        const merchantListing = await amazon.retrieveAmazonListing(store.merchantListingId)
        expect(merchantListing).toMatchObject({ fulfillment_channel: "MERCHANT", last_sent_quantity: 6, push_status: "idle" })

        // the cursor: watermark = start of the pass, figures in its state
        const cursor = await amazon.getOrCreateCursor(store.accountId, FBA_STOCK_STREAM, DE)
        expect(cursor.watermark).toEqual(new Date(first.started_at))
        expect(cursor.state).toMatchObject({ last_pass: { skus: 6, pages: 2, calls: 2 }, last_full_scan_at: first.started_at })
        expect((cursor.state as any).running).toBeNull()

        // a second pass with nothing new flags nothing new and writes no level
        ageFbaStock()
        const again = await pass(container, store.accountId, "incremental")
        expect(again).toMatchObject({ mode: "incremental", skus: 0, levels_created: 0, levels_updated: 0, newly_flagged: 0, flagged: 2 })
        expect(await amazon.listAmazonSyncLogs({ account_id: store.accountId, stream: FBA_STOCK_STREAM })).toHaveLength(1)
      })

      it("picks up a change after the watermark in the next incremental run, and maps a SKU mapped later", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const link = container.resolve(ContainerRegistrationKeys.LINK)
        const store = await seedStore(container, ["FBA-1", "FBA-2", "FBA-3", "FBA-4", "FBA-5", "FBA-6"])
        sim.control.setFbaInventory(["FBA-1", "FBA-2", "FBA-3", "FBA-4", "FBA-5", "FBA-6", "LATER-1"].map((sku) => ({ sku, fulfillable: 10 })))
        ageFbaStock()
        await pass(container, store.accountId, "full", "full scan, 7 SKUs")
        const locationId = await fbaLocationId(container, store.accountId)
        const cursorBefore = await amazon.getOrCreateCursor(store.accountId, FBA_STOCK_STREAM, DE)

        // after the watermark: FBA-2 sells, FBA-5 gets restocked
        sim.control.setFbaStock({ sku: "FBA-2", fulfillable: 3 })
        sim.control.setFbaStock({ sku: "FBA-5", fulfillable: 25, inboundShipped: 0 })
        // and the merchant maps LATER-1 (flagged so far) to a variant of its own
        const {
          result: [later],
        } = await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: "Later",
                status: "published",
                options: [{ title: "Size", values: ["L"] }],
                variants: [{ title: "L", sku: "LATER-1", manage_inventory: true, options: { Size: "L" }, prices: [] }],
              },
            ],
          },
        })
        const listing = await amazon.createAmazonListings({ account_id: store.accountId, marketplace_id: DE, seller_sku: "LATER-1", fulfillment_channel: "AMAZON" })
        await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: later.variants[0].id } })

        const inc = await pass(container, store.accountId, "incremental", "incremental, 2 changed of 7")
        expect(inc).toMatchObject({
          mode: "incremental",
          start_date_time: new Date(Math.floor((cursorBefore.watermark!.getTime() - 300_000) / 1000) * 1000).toISOString().replace(".000Z", "Z"),
          skus: 2,
          pages: 1,
          calls: 1,
          levels_updated: 2,
          // LATER-1 was re-resolved from its stored snapshot without Amazon reporting it again
          levels_created: 1,
          flagged: 0,
        })
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data: laterVariant } = await query.graph({
          entity: "product_variant",
          fields: ["inventory_items.inventory_item_id"],
          filters: { id: later.variants[0].id },
        })
        expect(await levelsAt(container, locationId)).toEqual({
          [store.skus["FBA-1"].itemId]: 10,
          [store.skus["FBA-2"].itemId]: 3,
          [store.skus["FBA-3"].itemId]: 10,
          [store.skus["FBA-4"].itemId]: 10,
          [store.skus["FBA-5"].itemId]: 25,
          [store.skus["FBA-6"].itemId]: 10,
          [(laterVariant[0] as any).inventory_items[0].inventory_item_id]: 10,
        })
        const cursorAfter = await amazon.getOrCreateCursor(store.accountId, FBA_STOCK_STREAM, DE)
        expect(cursorAfter.watermark!.getTime()).toBeGreaterThan(cursorBefore.watermark!.getTime())
        expect(cursorAfter.state).toMatchObject({ last_pass: { mode: "incremental", skus: 2 }, last_full_scan_at: expect.any(String) })
      })

      it("recovers from a nextToken that expires mid-scan without losing SKUs", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const skus = Array.from({ length: 12 }, (_, i) => `FBA-${String(i + 1).padStart(2, "0")}`)
        const store = await seedStore(container, skus)
        sim.control.setFbaInventory(skus.map((sku) => ({ sku, fulfillable: 1 })))
        ageFbaStock()
        await pass(container, store.accountId, "full")
        const locationId = await fbaLocationId(container, store.accountId)

        // every SKU changes after the watermark: the incremental pass spans 3 pages (page size 5)
        sim.control.setFbaInventory(skus.map((sku, i) => ({ sku, fulfillable: 100 + i })))
        sim.control.resetCounters()

        // The pass stalls for 31 simulated seconds after its first page (a slow network, a GC pause …):
        // the token from page 1 is expired when page 2 asks with it. The wrapper only lets time pass;
        // every call still goes through the real client to the simulator.
        const api = await amazon.getSpApi(store.accountId)
        const original = api.getInventorySummaries.bind(api)
        let served = 0
        api.getInventorySummaries = async (q) => {
          const res = await original(q)
          served += 1
          if (served === 1) {
            sim.control.advanceClock(31_000)
          }
          return res
        }
        let inc: FbaPassSummary
        try {
          inc = await pass(container, store.accountId, "incremental", "incremental, 12 SKUs, token expired once")
        } finally {
          api.getInventorySummaries = original
        }

        expect(inc).toMatchObject({ mode: "incremental", restarts: 1, skus: 12, pages: 4, calls: 5, levels_updated: 12 })
        const counters = sim.control.counters()["fba-inventory-v1.getInventorySummaries"]
        expect(counters).toMatchObject({ calls: 5, succeeded: 4, clientErrors: 1 })
        expect(await levelsAt(container, locationId)).toEqual(
          Object.fromEntries(skus.map((sku, i) => [store.skus[sku].itemId, 100 + i]))
        )
      })

      it("corrects a missed update with the full scan and never touches a merchant-location level", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const store = await seedStore(container, ["FBA-1", "FBA-2", "FBA-3"])
        const merchantBefore = await merchantLevelsSnapshot(container, store.merchantLocationId)
        sim.control.setFbaInventory([
          { sku: "FBA-1", fulfillable: 10 },
          { sku: "FBA-2", fulfillable: 20 },
          { sku: "FBA-3", fulfillable: 30 },
          { sku: "BOTH-1", fulfillable: 5 },
          { sku: "GHOST-1", fulfillable: 1 },
        ])
        ageFbaStock()
        await pass(container, store.accountId, "full")
        const locationId = await fbaLocationId(container, store.accountId)

        // FBA-1 changes normally; FBA-2 changes but Amazon "forgets" to report it (its lastUpdatedTime
        // stays old, as users see with startDateTime); FBA-3 disappears from Amazon's inventory.
        sim.control.setFbaStock({ sku: "FBA-1", fulfillable: 11 })
        const missed = [...sim.state.fbaStock.values()].find((s) => s.sku === "FBA-2")!
        missed.fulfillable = 99
        for (const [key, stock] of sim.state.fbaStock) {
          if (stock.sku === "FBA-3") sim.state.fbaStock.delete(key)
        }

        const inc = await pass(container, store.accountId, "incremental", "incremental that misses an update")
        expect(inc).toMatchObject({ mode: "incremental", skus: 1, levels_updated: 1 })
        expect(await levelsAt(container, locationId)).toMatchObject({
          [store.skus["FBA-1"].itemId]: 11,
          [store.skus["FBA-2"].itemId]: 20,
          [store.skus["FBA-3"].itemId]: 30,
        })

        const full = await pass(container, store.accountId, "full", "daily full scan, 4 SKUs")
        expect(full).toMatchObject({ mode: "full", start_date_time: null, skus: 4, zeroed: 1, flagged: 1, levels_updated: 2 })
        expect(await levelsAt(container, locationId)).toEqual({
          [store.skus["FBA-1"].itemId]: 11,
          [store.skus["FBA-2"].itemId]: 99,
          [store.skus["FBA-3"].itemId]: 0,
          [store.skus["BOTH-1"].itemId]: 5,
        })
        const codes = (await amazon.listAmazonSyncLogs({ account_id: store.accountId, stream: FBA_STOCK_STREAM }, { order: { created_at: "ASC" } })).map(
          (l) => l.code
        )
        // flagged once when first seen, again by the daily scan; the vanished SKU is reported
        expect(codes).toEqual(["FBA_SKU_UNMAPPED", "FBA_SKU_UNMAPPED", "FBA_SKU_GONE"])

        // not one merchant-location level was written by any of the three passes (same values, same updated_at)
        expect(await merchantLevelsSnapshot(container, store.merchantLocationId)).toEqual(merchantBefore)
      })

      it("records a failed pass for the admin without advancing the watermark, and runs one pass at a time", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const store = await seedStore(container, ["FBA-1"])
        sim.control.setFbaInventory([{ sku: "FBA-1", fulfillable: 3 }])

        // the seller revoked the app: LWA refuses the refresh token
        await amazon.updateAccount({ id: store.accountId, refresh_token: "Atzr|revoked" })
        const failed = await runFbaStockSync(container, { account_id: store.accountId, marketplace_id: DE, mode: "incremental", lock_timeout_seconds: 60 })
        expect(failed).toMatchObject({ status: "failed" })
        const [log] = await amazon.listAmazonSyncLogs({ account_id: store.accountId, stream: FBA_STOCK_STREAM, level: "error" })
        expect(log).toMatchObject({ code: (failed as any).code, context: expect.objectContaining({ marketplace_id: DE, mode: "incremental" }) })
        expect(log.message).not.toContain("Atzr|")
        let cursor = await amazon.getOrCreateCursor(store.accountId, FBA_STOCK_STREAM, DE)
        expect(cursor.watermark).toBeNull()
        expect(cursor.last_error).toContain((failed as any).code)
        expect(cursor.state).toMatchObject({ last_failure: { mode: "incremental" } })
        expect((cursor.state as any).running).toBeNull()

        // credentials fixed: two passes started together, one runs and one is skipped (lock)
        await amazon.updateAccount({ id: store.accountId, refresh_token: SELLER.refreshToken })
        const outcomes = await Promise.all([
          runFbaStockSync(container, { account_id: store.accountId, marketplace_id: DE, mode: "incremental" }),
          runFbaStockSync(container, { account_id: store.accountId, marketplace_id: DE, mode: "full" }),
        ])
        expect(outcomes.map((o) => o.status).sort()).toEqual(["done", "skipped"])
        cursor = await amazon.getOrCreateCursor(store.accountId, FBA_STOCK_STREAM, DE)
        expect(cursor.watermark).not.toBeNull()
        expect(cursor.last_error).toBeNull()
        expect(await levelsAt(container, await fbaLocationId(container, store.accountId))).toEqual({ [store.skus["FBA-1"].itemId]: 3 })
      })

      it("figures at Amazon's page size: 200 FBA SKUs, full scan then incremental", async () => {
        // A simulator with Amazon's page size (50 summaries), pointed at by this test's account only.
        const real = await startSimulator({ port: 0 })
        try {
          real.control.seedSeller(SELLER)
          const container = getContainer()
          const skus = Array.from({ length: 200 }, (_, i) => `BULK-${String(i + 1).padStart(3, "0")}`)
          const store = await seedStore(container, skus, real)
          real.control.setFbaInventory(skus.map((sku, i) => ({ sku, fulfillable: i % 17, inboundShipped: i % 5 })))
          for (const stock of real.state.fbaStock.values()) stock.lastUpdatedAt -= 3_600_000

          const first = await pass(container, store.accountId, "full", "full scan, 200 SKUs (page size 50)")
          expect(first).toMatchObject({ skus: 200, pages: 4, calls: 4, restarts: 0, levels_created: 200 })

          real.control.setFbaInventory(skus.slice(0, 20).map((sku) => ({ sku, fulfillable: 50 })))
          const inc = await pass(container, store.accountId, "incremental", "incremental, 20 of 200 changed (page size 50)")
          expect(inc).toMatchObject({ mode: "incremental", skus: 20, pages: 1, calls: 1, levels_updated: 20 })

          const again = await pass(container, store.accountId, "full", "full scan, 200 SKUs, nothing changed")
          expect(again).toMatchObject({ skus: 200, pages: 4, calls: 4, levels_created: 0, levels_updated: 0, levels_unchanged: 200 })

          const levels = await levelsAt(container, await fbaLocationId(container, store.accountId))
          expect(Object.keys(levels)).toHaveLength(200)
          expect(levels[store.skus["BULK-001"].itemId]).toBe(50)
          expect(levels[store.skus["BULK-200"].itemId]).toBe(199 % 17)
        } finally {
          await real.close()
        }
      })

      it("uses settings.sales_channel_id, else reuses an existing Amazon channel, and re-creates a deleted location", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const {
          result: [existingAmazon],
        } = await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name: "Amazon" }] } })
        const store = await seedStore(container, ["FBA-1"])
        sim.control.setFbaInventory([{ sku: "FBA-1", fulfillable: 2 }])
        await pass(container, store.accountId, "full")
        const firstLocation = await fbaLocationId(container, store.accountId)
        const channels = await container.resolve(Modules.SALES_CHANNEL).listSalesChannels({ name: "Amazon" })
        expect(channels.map((c: any) => c.id)).toEqual([existingAmazon.id])

        // the location is deleted by hand and the merchant names another channel: both heal on the next pass
        await container.resolve(Modules.STOCK_LOCATION).deleteStockLocations([firstLocation])
        const {
          result: [custom],
        } = await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name: "Amazon DE" }] } })
        const account = await amazon.retrieveAmazonAccount(store.accountId)
        await amazon.updateAccount({ id: store.accountId, settings: { ...(account.settings as any), sales_channel_id: custom.id } })
        await pass(container, store.accountId, "full")
        const secondLocation = await fbaLocationId(container, store.accountId)
        expect(secondLocation).not.toEqual(firstLocation)
        const { data } = await query.graph({ entity: "stock_location", fields: ["name", "sales_channels.id"], filters: { id: secondLocation } })
        expect(data[0]).toMatchObject({ name: "Amazon FBA (DE)", sales_channels: [{ id: custom.id }] })
        expect(await levelsAt(container, secondLocation)).toEqual({ [store.skus["FBA-1"].itemId]: 2 })
      })
    })
  },
})
