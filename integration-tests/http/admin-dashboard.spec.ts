import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { IInventoryService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { startSimulator, SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { recordAmazonStatusSampleWorkflow } from "../../src/workflows/admin/record-amazon-status-sample"
import { createAdminUser } from "../helpers/admin"
import { accountBody, call, DE, quietScheduledJobs, seedSimSeller, waitFor } from "./admin-support"

quietScheduledJobs()
jest.setTimeout(240_000)

const DAY = 86_400_000

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let sim: SimulatorHandle
    let headers: Record<string, string>

    beforeAll(async () => {
      sim = await startSimulator({ timeScale: 1 })
    })
    afterAll(async () => {
      await sim?.close()
    })
    beforeEach(async () => {
      ;({ headers } = await createAdminUser(getContainer()))
      sim.control.clearFaults()
    })

    it("orders that need attention show with their reason, and retry imports them once the SKU is mapped", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const seller = seedSimSeller(sim)
      sim.control.seedListings([{ sellerId: seller.sellerId, sku: "MUG-1", quantity: 5, price: { amount: "12.00" } }])
      const { data } = await call(api, "post", "/admin/amazon/accounts", accountBody(sim, seller), headers)
      const accountId = data.account.id
      const at = new Date(sim.control.now() - 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z")
      const amazonOrder = sim.control.seedOrder({
        sellerId: seller.sellerId,
        createdTime: at,
        lastUpdatedTime: at,
        fulfillmentStatus: "UNSHIPPED",
        orderItems: [{ sellerSku: "MUG-1", quantityOrdered: 2, unitPrice: "12.00" }],
      } as any)

      // "sync now" of the order import: the SKU is mapped to no variant → needs attention
      expect((await call(api, "post", "/admin/amazon/sync", { stream: "orders", account_id: accountId }, headers)).status).toBe(202)
      const [row] = await waitFor("the imported order record", async () => {
        const rows = await amazon.listAmazonOrders({ amazon_order_id: amazonOrder.orderId })
        return rows.length ? rows : null
      })
      expect(row).toMatchObject({ import_status: "needs_attention", attention_code: "UNKNOWN_SKU" })

      const attention = await call(api, "get", "/admin/amazon/orders?import_status=needs_attention", undefined, headers)
      expect(attention.data).toMatchObject({
        count: 1,
        orders: [{ id: row.id, amazon_order_id: amazonOrder.orderId, attention_code: "UNKNOWN_SKU", attention_reason: expect.stringMatching(/MUG-1/) }],
      })
      expect(attention.data.orders[0].payload).toBeUndefined()
      const detail = await call(api, "get", `/admin/amazon/orders/${row.id}`, undefined, headers)
      expect(detail.data.amazon_order).toMatchObject({ id: row.id, payload: expect.objectContaining({ orderId: amazonOrder.orderId }) })
      const search = await call(api, "get", `/admin/amazon/orders?q=${amazonOrder.orderId.slice(0, 7)}`, undefined, headers)
      expect(search.data.count).toBe(1)
      const status = (await call(api, "get", "/admin/amazon/status", undefined, headers)).data.status
      expect(status.orders).toMatchObject({ needs_attention: 1, imported: 0, last_import_at: expect.any(String), watermark: expect.any(String) })
      expect(status.figures.order_import_lag_seconds).toBeGreaterThanOrEqual(120)
      expect(status.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: "ORDERS_NEED_ATTENTION" })]))
      expect((await call(api, "get", "/admin/amazon/orders?import_status=lost", undefined, headers)).status).toBe(400)
      expect((await call(api, "get", "/admin/amazon/orders/amzord_missing", undefined, headers)).status).toBe(404)

      // the merchant creates the product, imports and maps the listing, then retries
      const {
        result: [warehouse],
      } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "Own warehouse" }] } })
      const {
        result: [product],
      } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Mug",
              status: "published",
              options: [{ title: "Size", values: ["One"] }],
              variants: [{ title: "One", sku: "MUG-1", manage_inventory: true, options: { Size: "One" }, prices: [{ currency_code: "eur", amount: 12 }] }],
            },
          ],
        },
      })
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data: variants } = await query.graph({
        entity: "product_variant",
        fields: ["id", "inventory_items.inventory_item_id"],
        filters: { id: product.variants[0].id },
      })
      await container.resolve<IInventoryService>(Modules.INVENTORY).createInventoryLevels([
        { inventory_item_id: (variants[0] as any).inventory_items[0].inventory_item_id, location_id: warehouse.id, stocked_quantity: 10 },
      ])
      await call(api, "post", "/admin/amazon/listings/import", { account_id: accountId }, headers)
      await waitFor("the listing", async () => (await amazon.listAmazonListings({ account_id: accountId })).length === 1)
      expect((await call(api, "post", "/admin/amazon/listings/auto-link", { account_id: accountId }, headers)).data.linked).toBe(1)

      const extra = await call(api, "post", `/admin/amazon/orders/${row.id}/retry`, { force: true }, headers)
      expect(extra.status).toBe(400)
      const retried = await call(api, "post", `/admin/amazon/orders/${row.id}/retry`, {}, headers)
      expect(retried.status).toBe(200)
      expect(retried.data).toMatchObject({ outcome: "imported", amazon_order: { id: row.id, import_status: "imported", order_id: expect.any(String) } })
      const medusaOrderId = retried.data.amazon_order.order_id
      // the order page widget finds the Amazon order by the Medusa order id
      const forOrder = await call(api, "get", `/admin/amazon/orders?order_id=${medusaOrderId}`, undefined, headers)
      expect(forOrder.data.orders).toEqual([expect.objectContaining({ amazon_order_id: amazonOrder.orderId, status: "UNSHIPPED" })])
      expect((await call(api, "get", "/admin/amazon/orders?import_status=needs_attention", undefined, headers)).data.count).toBe(0)
      expect((await call(api, "post", "/admin/amazon/orders/amzord_missing/retry", {}, headers)).status).toBe(404)
    })

    it("shows the FBA sync state per SKU and per marketplace", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const seller = seedSimSeller(sim)
      sim.control.setFbaInventory([{ sellerId: seller.sellerId, sku: "FBA-9", fulfillable: 12, inboundShipped: 3 }])
      const { data } = await call(api, "post", "/admin/amazon/accounts", accountBody(sim, seller), headers)
      expect((await call(api, "post", "/admin/amazon/sync", { stream: "fba_stock" }, headers)).status).toBe(202)
      // the snapshot rows are written before the marketplace's cursor: wait for the whole run, not its first write
      await waitFor("the sync outcome", async () => (await amazon.listAmazonSyncLogs({ stream: "admin_sync", code: "SYNC_DONE" })).length > 0)
      expect(await amazon.listAmazonFbaStocks({ account_id: data.account.id })).toHaveLength(1)
      const res = await call(api, "get", `/admin/amazon/fba-stock?account_id=${data.account.id}`, undefined, headers)
      expect(res.data).toMatchObject({
        count: 1,
        fba_stock: [{ seller_sku: "FBA-9", fulfillable: 12, inbound_shipped: 3, issue: "unmapped" }],
        sync: [{ account_id: data.account.id, marketplace_id: DE, last_success_at: expect.any(String), last_error: null }],
      })
      expect((await call(api, "get", "/admin/amazon/fba-stock?issue=any&q=fba", undefined, headers)).data.count).toBe(1)
      expect((await call(api, "get", "/admin/amazon/fba-stock?issue=unmapped&q=nothing", undefined, headers)).data.count).toBe(0)
      expect((await call(api, "get", "/admin/amazon/fba-stock?issue=bogus", undefined, headers)).status).toBe(400)
      const status = (await call(api, "get", "/admin/amazon/status", undefined, headers)).data.status
      expect(status.fba).toMatchObject({ skus: 1, issues: 1, last_sync_at: expect.any(String), cursors: [{ marketplace_id: DE }] })
    })

    it("warns about expiring authorisations, stuck feeds and sustained throttling, and keeps chart samples", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const now = Date.now()
      const base = { region: "EU" as const, marketplace_ids: [DE], lwa_client_id: "c", lwa_client_secret: "s", refresh_token: "Atzr|r" }
      const [expiring, expired, fresh] = await amazon.createAccounts([
        { ...base, name: "Expiring", seller_id: "A1EXPIRING", authorized_at: new Date(now - 340 * DAY) },
        { ...base, name: "Expired", seller_id: "A1EXPIRED", authorized_at: new Date(now - 400 * DAY) },
        { ...base, name: "Fresh", seller_id: "A1FRESH", authorized_at: new Date(now - 10 * DAY) },
      ])
      await amazon.createAmazonFeeds({
        account_id: fresh.id,
        marketplace_id: DE,
        status: "IN_PROGRESS",
        amazon_feed_id: "50000000042",
        stuck: true,
        message_count: 10,
        submitted_at: new Date(now - 5 * 3_600_000),
      } as any)
      // what the SP-API client's callers record when Amazon keeps answering 429
      await amazon.createAmazonSyncLogs(
        Array.from({ length: 6 }, () => ({ account_id: fresh.id, stream: "orders", level: "warn" as const, code: "QuotaExceeded", message: "throttled" }))
      )

      const status = (await call(api, "get", "/admin/amazon/status", undefined, headers)).data.status
      const warnings = status.warnings.map((w: any) => [w.code, w.account_id ?? null])
      expect(warnings).toEqual(
        expect.arrayContaining([
          ["AUTHORIZATION_EXPIRING", expiring.id],
          ["AUTHORIZATION_EXPIRED", expired.id],
          ["FEED_STUCK", fresh.id],
          ["SUSTAINED_THROTTLING", fresh.id],
        ])
      )
      expect(warnings.filter(([, id]: [string, string]) => id === fresh.id).map(([c]: [string]) => c).sort()).toEqual(["FEED_STUCK", "SUSTAINED_THROTTLING"])
      expect(status.throttle).toMatchObject({ state: "sustained", last_hour: 6 })
      expect(status.push).toMatchObject({ unfinished_feeds: 1, stuck_feeds: 1 })
      expect(status.figures.confirmation_lag_seconds).toBeGreaterThanOrEqual(5 * 3600)
      expect(status.accounts.find((a: any) => a.id === expiring.id).authorization_age_days).toBe(340)
      const narrowed = (await call(api, "get", `/admin/amazon/status?account_id=${expiring.id}`, undefined, headers)).data.status
      expect(narrowed.warnings.map((w: any) => w.code)).toEqual(["AUTHORIZATION_EXPIRING"])

      // chart samples: recorded by the job's workflow, pruned after the retention
      await recordAmazonStatusSampleWorkflow(container).run({ input: {} })
      await recordAmazonStatusSampleWorkflow(container).run({ input: {} })
      const withSamples = (await call(api, "get", "/admin/amazon/status?hours=1", undefined, headers)).data.status
      expect(withSamples.samples).toHaveLength(3)
      expect(withSamples.samples[0]).toMatchObject({ live: false, confirmation_lag_seconds: expect.any(Number), queue_depth: 0 })
      expect(withSamples.samples[2]).toMatchObject({ live: true })
      const samples = await amazon.listAmazonSyncLogs({ stream: "status_sample" })
      await amazon.updateAmazonSyncLogs(samples.map((s) => ({ id: s.id, created_at: new Date(now - 8 * DAY) })) as any)
      await recordAmazonStatusSampleWorkflow(container).run({ input: {} })
      expect(await amazon.listAmazonSyncLogs({ stream: "status_sample" })).toHaveLength(1)
      // samples are data, not errors to act on
      const errors = await call(api, "get", "/admin/amazon/sync-logs", undefined, headers)
      expect(errors.data.sync_logs.map((l: any) => l.stream)).not.toContain("status_sample")
    })
  },
})
