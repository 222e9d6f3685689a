/**
 * Order import at volume: 500 Amazon orders over 5 pages in one scheduled run, within the searchOrders
 * quota (0.0056 calls/s, burst 20). Its own file because creating 500 Medusa orders takes minutes.
 */
// Keep the scheduled jobs quiet during the test (read when they load, so before the app boots): once a
// day, 12 hours from now (a cron further away than ~24 days overflows Node's timers and fires at once).
const quiet = new Date(Date.now() + 12 * 3_600_000)
for (const key of [
  "AMAZON_ORDER_IMPORT_SCHEDULE",
  "AMAZON_STOCK_PUSH_SCHEDULE",
  "AMAZON_FEED_RESULTS_SCHEDULE",
  "AMAZON_FBA_SYNC_SCHEDULE",
  "AMAZON_STATUS_SAMPLE_SCHEDULE",
]) {
  process.env[key] = `${quiet.getMinutes()} ${quiet.getHours()} * * *`
}
process.env.AMAZON_STOCK_PUSH_DEBOUNCE_MS = "off"
process.env.AMAZON_CONFIRM_DELAYS_MS = "off"

import type { IInventoryService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, type OrderSeed, type SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"

// Creating a Medusa order (createOrderWorkflow + payment) takes Medusa ~0.3–1 s here.
jest.setTimeout(1_200_000)

const DE = "A1PA6795UKMFR9"
const SEARCH_ORDERS = "orders-2026-01-01.searchOrders"
const ORDERS = 500
const SKUS = ["VOL-1", "VOL-2", "VOL-3", "VOL-4", "VOL-5"]
const STOCK = 200

let sim: SimulatorHandle

beforeAll(async () => {
  // timeScale 1: the simulator then announces Amazon's real searchOrders rate, the one the SP-API client assumes.
  sim = await startSimulator({ port: 0, timeScale: 1 })
})

afterAll(async () => {
  await sim?.close()
})

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    describe("Amazon order import at volume", () => {
      it(`imports ${ORDERS} orders across 5 pages in one run within the searchOrders quota`, async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const link = container.resolve(ContainerRegistrationKeys.LINK)
        const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)

        const seller = {
          sellerId: "A1VOLUME",
          clientId: "amzn1.application-oa2-client.volume",
          clientSecret: "volume-secret",
          refreshToken: "Atzr|volume",
          marketplaceIds: [DE],
        }
        sim.control.seedSeller(seller)
        sim.control.seedListings(SKUS.map((sku) => ({ sku, quantity: STOCK, price: { amount: "10.00" } })))
        const {
          result: [warehouse],
        } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "Own warehouse" }] } })
        const [account] = await amazon.createAccounts([
          {
            name: "DE",
            region: "EU",
            seller_id: seller.sellerId,
            marketplace_ids: [DE],
            lwa_client_id: seller.clientId,
            lwa_client_secret: seller.clientSecret,
            refresh_token: seller.refreshToken,
            sp_api_base_url: sim.url,
            lwa_token_url: `${sim.url}/auth/o2/token`,
          },
        ])
        const { result: products } = await createProductsWorkflow(container).run({
          input: {
            products: SKUS.map((sku) => ({
              title: `Product ${sku}`,
              status: "published" as const,
              options: [{ title: "Size", values: ["One"] }],
              variants: [{ title: "One", sku, manage_inventory: true, options: { Size: "One" } }],
            })),
          },
        })
        const items: Record<string, string> = {}
        for (const product of products) {
          const variant = product.variants[0]
          const { data } = await query.graph({ entity: "product_variant", fields: ["inventory_items.inventory_item_id"], filters: { id: variant.id } })
          items[variant.sku as string] = (data[0] as { inventory_items: { inventory_item_id: string }[] }).inventory_items[0].inventory_item_id
          await inventory.createInventoryLevels([{ inventory_item_id: items[variant.sku as string], location_id: warehouse.id, stocked_quantity: STOCK }])
          const listing = await amazon.createAmazonListings({ account_id: account.id, marketplace_id: DE, seller_sku: variant.sku as string })
          await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: variant.id } })
        }

        const now = sim.control.now()
        const seeds: OrderSeed[] = []
        for (let i = 0; i < ORDERS; i++) {
          // One order a minute over the last 500 minutes: the pages are cut by lastUpdatedTime.
          const at = new Date(now - (ORDERS - i + 5) * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z")
          seeds.push({
            sellerId: seller.sellerId,
            createdTime: at,
            lastUpdatedTime: at,
            fulfillmentStatus: "UNSHIPPED",
            orderItems: [{ sellerSku: SKUS[i % SKUS.length], quantityOrdered: 1, unitPrice: "10.00" }],
          })
        }
        sim.control.seedOrders(seeds)
        sim.control.resetCounters()

        // As the scheduled job runs it: no waiting at the SP-API client. Five pages fit the burst of 20.
        const started = Date.now()
        const result = await importAmazonOrders(container, { account_id: account.id })
        const wallMs = Date.now() - started
        expect(result.marketplaces[0]).toMatchObject({
          status: "done",
          pages: 5,
          calls: 5,
          orders: ORDERS,
          imported: ORDERS,
          needs_attention: 0,
          failed: 0,
        })
        const counters = sim.control.counters()[SEARCH_ORDERS]
        expect(counters).toMatchObject({ calls: 5, succeeded: 5, throttled: 0 })

        expect(await amazon.listAmazonOrders({}, { take: 1000 })).toHaveLength(ORDERS)
        const { metadata } = await query.graph({ entity: "order", fields: ["id"], pagination: { take: 1, skip: 0 } })
        expect(metadata?.count).toBe(ORDERS)
        for (const sku of SKUS) {
          const [level] = await inventory.listInventoryLevels({ inventory_item_id: items[sku], location_id: warehouse.id })
          expect([Number(level.stocked_quantity), Number(level.reserved_quantity), Number(level.available_quantity)]).toEqual([
            STOCK,
            ORDERS / SKUS.length,
            STOCK - ORDERS / SKUS.length,
          ])
        }

        // The next run sees no new version: one call, nothing applied, no duplicate.
        sim.control.advanceClock(130_000)
        const next = await importAmazonOrders(container, { account_id: account.id })
        expect(next.marketplaces[0]).toMatchObject({ status: "done", calls: 1, imported: 0, failed: 0 })
        expect(sim.control.counters()[SEARCH_ORDERS]).toMatchObject({ calls: 6, throttled: 0 })
        const { metadata: after } = await query.graph({ entity: "order", fields: ["id"], pagination: { take: 1, skip: 0 } })
        expect(after?.count).toBe(ORDERS)

        process.stdout.write(
          `\nOrder import volume figures: ${JSON.stringify({
            orders: ORDERS,
            pages: result.marketplaces[0].pages,
            searchOrders_calls: counters.calls,
            calls_per_100_orders: (counters.calls / ORDERS) * 100,
            throttled: counters.throttled,
            wall_seconds: Math.round(wallMs / 1000),
            ms_per_order: Math.round(wallMs / ORDERS),
          })}\n`
        )
      })
    })
  },
})
