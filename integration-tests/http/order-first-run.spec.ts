/**
 * A fresh install's first order imports just work (issue 16, "first run that just works"):
 * - an order that arrived before its SKU was linked waits in "needs attention" (unknown SKU) and is
 *   imported by itself by the next import run once the SKU is linked — no Retry pressed;
 * - how far back the very first import looks is an account setting (order_lookback_hours);
 * - the admin asks for older orders from a date (POST /admin/amazon/accounts/:id/order-backfill): they
 *   are imported once, in quota, with progress the admin reads back, as history (units Amazon shipped
 *   before do not leave the store's stock again; open orders reserve theirs); a date Amazon does not
 *   serve is a 400, a second request while one runs a 409.
 */
import "../helpers/quiet-jobs"

import type { IInventoryService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, type SimulatorHandle } from "../../simulator"
import type { OrderSeed } from "../../simulator"
import amazonImportOrdersJob from "../../src/jobs/amazon-import-orders"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import { createAdminUser } from "../helpers/admin"
import { createTestProduct, seedTestStore } from "../helpers/store-seed"
import { accountBody, seedSimSeller, waitFor } from "./admin-support"

jest.setTimeout(240_000)

const DE = "A1PA6795UKMFR9"
const DAY = 24 * 60

let sim: SimulatorHandle
let sellerSeq = 0

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: 1 })
})

afterAll(async () => {
  await sim?.close()
})

interface Store {
  accountId: string
  sellerId: string
  locationId: string
  skus: Record<string, { variantId: string; itemId: string; listingId: string }>
}

/**
 * A store (integration-tests/helpers/store-seed) with `skus` (10 units each at its warehouse), an account on
 * the simulator and a listing per SKU; the `linked` SKUs are linked to their variants.
 */
async function seedStore(container: MedusaContainer, skus: string[], linked: string[]): Promise<Store> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  sim.control.reset()
  sellerSeq += 1
  const seller = seedSimSeller(sim, [DE])
  sim.control.seedListings(skus.map((sku) => ({ sku, quantity: 10, price: { amount: "19.90" } })))
  const base = await seedTestStore(container, { locationNames: [`Warehouse ${sellerSeq}`] })
  const [locationId] = base.locationIds
  const { variants } = await createTestProduct(container, base, `Products ${sellerSeq}`, skus.map((sku) => ({ sku: `${sku}-${sellerSeq}`, stock: { [locationId]: 10 } })))
  const [account] = await amazon.createAccounts([{ ...accountBody(sim, seller), settings: { stock_location_ids: [locationId] } } as never])
  const store: Store = { accountId: account.id, sellerId: seller.sellerId, locationId, skus: {} }
  for (const sku of skus) {
    const variant = variants[`${sku}-${sellerSeq}`]
    const listing = await amazon.createAmazonListings({ account_id: account.id, marketplace_id: DE, seller_sku: sku })
    if (linked.includes(sku)) {
      await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: variant.id } })
    }
    store.skus[sku] = { variantId: variant.id, itemId: variant.inventoryItemId as string, listingId: listing.id }
  }
  return store
}

async function level(container: MedusaContainer, store: Store, sku: string) {
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  const [l] = await inventory.listInventoryLevels({ inventory_item_id: store.skus[sku].itemId, location_id: store.locationId })
  return { stocked: Number(l.stocked_quantity), reserved: Number(l.reserved_quantity) }
}

function minutesAgo(minutes: number) {
  return new Date(sim.control.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z")
}

function seedOrder(store: Store, createdMinutesAgo: number, seed: Omit<OrderSeed, "sellerId">) {
  const at = minutesAgo(createdMinutesAgo)
  return sim.control.seedOrder({ sellerId: store.sellerId, createdTime: at, lastUpdatedTime: at, ...seed })
}

async function recordsOf(container: MedusaContainer, amazonOrderIds: string[]) {
  const rows = await container.resolve<AmazonModuleService>(AMAZON_MODULE).listAmazonOrders({ amazon_order_id: amazonOrderIds })
  return Object.fromEntries(rows.map((r) => [r.amazon_order_id, r]))
}

/** Medusa orders carrying this Amazon order id (the import writes it into the order's metadata). */
async function medusaOrdersOf(container: MedusaContainer, amazonOrderId: string) {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["id", "metadata", "items.detail.fulfilled_quantity", "fulfillments.id"],
  })
  return (data as any[]).filter((o) => o.metadata?.amazon_order_id === amazonOrderId)
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("the first order imports of a new install", () => {
      let headers: Record<string, string>

      beforeEach(async () => {
        headers = (await createAdminUser(getContainer())).headers
      })

      it("an order for a SKU not yet linked is imported by itself once the SKU is linked, exactly once", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M", "NEW-1"], ["TEE-M"])
        const order = seedOrder(store, 10, {
          fulfillmentStatus: "UNSHIPPED",
          orderItems: [
            { sellerSku: "TEE-M", quantityOrdered: 1, unitPrice: "19.90" },
            { sellerSku: "NEW-1", quantityOrdered: 2, unitPrice: "9.90" },
          ],
        })

        const first = await importAmazonOrders(container, { account_id: store.accountId, wait_for_quota: true })
        expect(first.marketplaces[0]).toMatchObject({ needs_attention: 1, imported: 0 })
        expect(first.linked_retries).toEqual({ checked: 1, retried: 0, applied: 0 })
        expect((await recordsOf(container, [order.orderId]))[order.orderId]).toMatchObject({ import_status: "needs_attention", attention_code: "UNKNOWN_SKU" })
        expect(await level(container, store, "NEW-1")).toEqual({ stocked: 10, reserved: 0 })

        // The merchant links the SKU in the admin; nobody presses Retry. The next scheduled run imports it.
        const linked = await api.post(`/admin/amazon/listings/${store.skus["NEW-1"].listingId}/link`, { variant_id: store.skus["NEW-1"].variantId }, { headers })
        expect(linked.status).toBe(200)
        await amazonImportOrdersJob(container)
        const record = (await recordsOf(container, [order.orderId]))[order.orderId]
        expect(record).toMatchObject({ import_status: "imported", attention_code: null, order_id: expect.any(String) })
        expect(await medusaOrdersOf(container, order.orderId)).toHaveLength(1)
        expect(await level(container, store, "NEW-1")).toEqual({ stocked: 10, reserved: 2 })
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 1 })

        // Later runs leave it alone.
        const again = await importAmazonOrders(container, { account_id: store.accountId, wait_for_quota: true })
        expect(again.linked_retries).toEqual({ checked: 0, retried: 0, applied: 0 })
        expect(await medusaOrdersOf(container, order.orderId)).toHaveLength(1)
        expect(await level(container, store, "NEW-1")).toEqual({ stocked: 10, reserved: 2 })
      })

      it("the first import looks back as far as the account's setting; older orders come from a back-import from a date, once, with progress, as history", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M"], ["TEE-M"])
        const items = (quantity: number) => [{ sellerSku: "TEE-M", quantityOrdered: quantity, unitPrice: "19.90" }]
        // Orders not changed since long ago: shipped, cancelled, open, and one older than the back-import's date.
        const shippedOld = seedOrder(store, 27 * DAY, { fulfillmentStatus: "SHIPPED", orderItems: items(3) })
        const cancelledOld = seedOrder(store, 22 * DAY, { fulfillmentStatus: "CANCELLED", orderItems: items(4) })
        const openOld = seedOrder(store, 20 * DAY, { fulfillmentStatus: "UNSHIPPED", orderItems: items(2) })
        const tooOld = seedOrder(store, 90 * DAY, { fulfillmentStatus: "UNSHIPPED", orderItems: items(1) })
        const recent = seedOrder(store, 40 * 60, { fulfillmentStatus: "UNSHIPPED", orderItems: items(1) })
        sim.control.advanceClock(130_000)

        // The look-back is a setting: 48 hours reach the order of 40 hours ago (the default 24 would not).
        const settings = await api.post(`/admin/amazon/accounts/${store.accountId}`, { settings: { order_lookback_hours: 48 } }, { headers })
        expect(settings.status).toBe(200)
        const first = await importAmazonOrders(container, { account_id: store.accountId, wait_for_quota: true })
        expect(first.marketplaces[0]).toMatchObject({ orders: 1, imported: 1 })
        expect(Object.keys(await recordsOf(container, [recent.orderId, openOld.orderId, shippedOld.orderId, cancelledOld.orderId]))).toEqual([recent.orderId])
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 1 })

        // Bad requests write nothing.
        const url = `/admin/amazon/accounts/${store.accountId}/order-backfill`
        const refuse = (body: unknown) => api.post(url, body, { headers }).catch((e: { response: { status: number; data: any } }) => e.response)
        const threeYears = new Date(Date.now() - 3 * 365 * 86_400_000).toISOString().slice(0, 10)
        expect(await refuse({ created_after: threeYears })).toMatchObject({ status: 400, data: { message: expect.stringContaining("2 years") } })
        expect(await refuse({ created_after: "last summer" })).toMatchObject({ status: 400 })
        expect(await refuse({ created_after: "2026-06-01", marketplace_ids: ["ATVPDKIKX0DER"] })).toMatchObject({ status: 400 })
        expect((await api.get(url, { headers })).data).toEqual({ backfills: [] })

        // Older orders from 60 days ago: the request answers at once; the import carries it out.
        const since = minutesAgo(60 * DAY).slice(0, 10)
        const requested = await api.post(url, { created_after: since }, { headers })
        expect(requested.status).toBe(202)
        expect(requested.data.backfills).toEqual([expect.objectContaining({ marketplace_id: DE, status: "queued", created_after: `${since}T00:00:00Z` })])
        expect(await refuse({ created_after: since })).toMatchObject({ status: 409 })

        const done = await waitFor(
          "the back-import",
          async () => {
            const { data } = await api.get(url, { headers })
            return data.backfills[0]?.status === "done" ? data.backfills[0] : null
          },
          60_000
        )
        expect(done).toMatchObject({ pages: 1, error: null, finished_at: expect.any(String), counts: { orders: 4, imported: 3, skipped: 1, needs_attention: 0, failed: 0 } })
        const records = await recordsOf(container, [recent.orderId, openOld.orderId, shippedOld.orderId, cancelledOld.orderId, tooOld.orderId])
        expect(Object.keys(records).sort()).toEqual([recent.orderId, openOld.orderId, shippedOld.orderId, cancelledOld.orderId].sort())
        // History: the shipped order is fulfilled in Medusa without its 3 units leaving stock again; the open
        // one reserves its 2; the cancelled one holds nothing.
        const [shipped] = await medusaOrdersOf(container, shippedOld.orderId)
        expect(shipped.items[0].detail.fulfilled_quantity).toBe(3)
        expect(shipped.fulfillments).toHaveLength(1)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 3 })

        // Asked again (the first one is done): nothing is imported twice. (Run here until done: the import
        // the first request started may still hold the account, and then this request's start waits for the
        // next scheduled run.)
        expect((await api.post(url, { created_after: since }, { headers })).status).toBe(202)
        await waitFor(
          "the second back-import",
          async () => {
            await importAmazonOrders(container, { account_id: store.accountId, wait_for_quota: true })
            return (await api.get(url, { headers })).data.backfills[0]?.status === "done"
          },
          60_000,
          500
        )
        const second = (await api.get(url, { headers })).data.backfills[0]
        expect(second.counts).toMatchObject({ orders: 4, imported: 0, skipped: 4 })
        for (const id of [recent.orderId, openOld.orderId, shippedOld.orderId]) {
          expect(await medusaOrdersOf(container, id)).toHaveLength(1)
        }
        // An order Amazon cancelled before it was paid is recorded, with no Medusa order (as in the regular import).
        expect(await medusaOrdersOf(container, cancelledOld.orderId)).toHaveLength(0)
        expect((await recordsOf(container, [cancelledOld.orderId]))[cancelledOld.orderId]).toMatchObject({ status: "CANCELLED", order_id: null })
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 3 })
      })
    })
  },
})
