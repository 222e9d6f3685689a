/**
 * Amazon → store order import against the in-process SP-API simulator: orders become native Medusa
 * orders exactly once, and store stock (stocked / reserved / available at the merchant location) is right
 * after every Amazon status.
 */
// Scheduled jobs run inside the test app: keep them from firing mid-test (the tests run the workflows
// themselves, deterministically). Read by the jobs when they load, so set before the app boots. Once a
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

import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { IInventoryService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createOrderWorkflow, createProductsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, type SimulatorHandle } from "../../simulator"
import type { OrderSeed } from "../../simulator"
import amazonImportOrdersJob from "../../src/jobs/amazon-import-orders"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { applyAmazonOrderBatchWorkflow } from "../../src/workflows/order-import/apply-amazon-order-batch"
import { applyAmazonOrderWorkflow } from "../../src/workflows/order-import/apply-amazon-order"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import { retryAmazonOrderImport } from "../../src/workflows/order-import/orchestrators/retry-amazon-order"
import type { MarketplaceImportSummary } from "../../src/workflows/order-import/import-amazon-orders"
import { createAdminUser } from "../helpers/admin"

jest.setTimeout(240_000)

const DE = "A1PA6795UKMFR9"
const SEARCH_ORDERS = "orders-2026-01-01.searchOrders"

let sim: SimulatorHandle
let sellerSeq = 0
/** Figures printed at the end (calls per 100 orders, import lag, throughput). */
const figures: Record<string, unknown>[] = []

beforeAll(async () => {
  // Simulated time is moved on explicitly (advanceClock) past Amazon's 2-minute rule, so every step is
  // deterministic. At timeScale 1 the simulator announces Amazon's real searchOrders rate (0.0056/s) in
  // x-amzn-RateLimit-Limit, the same the SP-API client assumes; a faster clock announces a scaled rate and the
  // SP-API client's bucket, scheduled at the default rate for the first call, then holds the second call ~2 min.
  sim = await startSimulator({ port: 0, timeScale: 1 })
})

afterAll(async () => {
  await sim?.close()
  if (figures.length) {
    process.stdout.write(`\nOrder import figures:\n${figures.map((f) => JSON.stringify(f)).join("\n")}\n`)
  }
})

interface Store {
  accountId: string
  sellerId: string
  locationId: string
  /** sku → variant + inventory item */
  skus: Record<string, { variantId: string; itemId: string }>
}

/**
 * A store selling `skus` (10 units each at one warehouse) on Amazon.de, an account pointing at the
 * simulator, and MERCHANT listings mapped to the variants. Each test gets a seller of its own, so the
 * SP-API client's quota buckets (per seller) start full.
 */
async function seedStore(container: MedusaContainer, skus: string[], stock = 10): Promise<Store> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  sim.control.reset()
  sellerSeq += 1
  const seller = {
    sellerId: `A1ORDERS${sellerSeq}`,
    clientId: "amzn1.application-oa2-client.orders",
    clientSecret: "orders-secret",
    refreshToken: `Atzr|orders-${sellerSeq}`,
    marketplaceIds: [DE],
  }
  sim.control.seedSeller(seller)
  sim.control.seedListings(skus.map((sku) => ({ sku, quantity: stock, price: { amount: "19.90" } })))

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
  const store: Store = { accountId: account.id, sellerId: seller.sellerId, locationId: warehouse.id, skus: {} }
  for (const sku of skus) {
    store.skus[sku] = await addMappedVariant(container, store, sku, stock)
  }
  return store
}

/** A published product with one managed variant, `stock` units at the warehouse, mapped to listing `sku`. */
async function addMappedVariant(container: MedusaContainer, store: Store, sku: string, stock: number, map = true) {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  const {
    result: [product],
  } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: `Product ${sku}`,
          status: "published",
          options: [{ title: "Size", values: ["One"] }],
          variants: [{ title: "One", sku, manage_inventory: true, options: { Size: "One" }, prices: [{ currency_code: "eur", amount: 25 }] }],
        },
      ],
    },
  })
  const variantId = product.variants[0].id
  const { data } = await query.graph({ entity: "product_variant", fields: ["id", "inventory_items.inventory_item_id"], filters: { id: variantId } })
  const itemId = (data[0] as { inventory_items: { inventory_item_id: string }[] }).inventory_items[0].inventory_item_id
  await inventory.createInventoryLevels([{ inventory_item_id: itemId, location_id: store.locationId, stocked_quantity: stock }])
  if (map) {
    await mapListing(container, store, sku, variantId)
  }
  return { variantId, itemId }
}

async function mapListing(container: MedusaContainer, store: Store, sku: string, variantId: string) {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const listing = await amazon.createAmazonListings({ account_id: store.accountId, marketplace_id: DE, seller_sku: sku })
  await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: variantId } })
}

async function level(container: MedusaContainer, store: Store, sku: string) {
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  const [l] = await inventory.listInventoryLevels({ inventory_item_id: store.skus[sku].itemId, location_id: store.locationId })
  return { stocked: Number(l.stocked_quantity), reserved: Number(l.reserved_quantity), available: Number(l.available_quantity) }
}

/** What the scheduled job does for the account (here waiting for quota, so the test is deterministic). */
async function runImport(container: MedusaContainer, store: Store, extra: Record<string, unknown> = {}): Promise<MarketplaceImportSummary> {
  const result = await importAmazonOrders(container, { account_id: store.accountId, wait_for_quota: true, ...extra })
  expect(result).toMatchObject({ ran: true })
  return result.marketplaces[0]
}

/** Amazon only serves orders updated at least 2 minutes ago: let simulated time pass that rule. */
function pass2MinuteRule() {
  sim.control.advanceClock(130_000)
}

function minutesAgo(minutes: number) {
  return new Date(sim.control.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z")
}

function seedOrder(store: Store, seed: Omit<OrderSeed, "sellerId">) {
  const at = seed.lastUpdatedTime ?? minutesAgo(10)
  return sim.control.seedOrder({ sellerId: store.sellerId, createdTime: at, lastUpdatedTime: at, ...seed })
}

async function medusaOrders(container: MedusaContainer) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "status",
      "email",
      "currency_code",
      "region_id",
      "sales_channel.name",
      "metadata",
      "total",
      "shipping_total",
      "items.id",
      "items.variant_id",
      "items.quantity",
      "items.unit_price",
      "items.metadata",
      "shipping_address.*",
      "amazon_order.id",
      "amazon_order.amazon_order_id",
    ],
  })
  // Amounts come back as BigNumber objects; compare them as numbers.
  return (data as any[]).map((o) => ({
    ...o,
    items: (o.items ?? []).map((i: any) => ({ ...i, quantity: Number(i.quantity), unit_price: Number(i.unit_price) })),
  }))
}

async function record(container: MedusaContainer, amazonOrderId: string) {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [row] = await amazon.listAmazonOrders({ amazon_order_id: amazonOrderId })
  return row
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("Amazon order import", () => {
      it("turns Amazon orders into paid Medusa orders with Amazon's items, prices, address and sales channel; re-runs and overlapping windows add nothing", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M", "MUG-1"])
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)

        const two = seedOrder(store, {
          fulfillmentStatus: "UNSHIPPED",
          buyer: { buyerEmail: "erika@marketplace.amazon.de", buyerName: "Erika Mustermann" },
          recipient: {
            deliveryAddress: {
              name: "Erika Mustermann",
              addressLine1: "Domstraße 1",
              addressLine2: "Hinterhaus",
              city: "Köln",
              postalCode: "50667",
              countryCode: "DE",
              phone: "+49 221 123456",
            },
          },
          orderItems: [
            { sellerSku: "TEE-M", quantityOrdered: 2, unitPrice: "19.90", shippingPrice: "3.50" },
            { sellerSku: "MUG-1", quantityOrdered: 1, unitPrice: "9.99" },
          ],
        })
        const one = seedOrder(store, { fulfillmentStatus: "UNSHIPPED", orderItems: [{ sellerSku: "MUG-1", quantityOrdered: 1, unitPrice: "12.00" }] })
        const fba = seedOrder(store, {
          fulfillmentStatus: "SHIPPED",
          fulfilledBy: "AMAZON",
          orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 1, unitPrice: "21.00" }],
        })

        const first = await runImport(container, store)
        expect(first).toMatchObject({ status: "done", pages: 1, calls: 1, orders: 3, imported: 3, needs_attention: 0, failed: 0 })

        const orders = await medusaOrders(container)
        expect(orders).toHaveLength(3)
        const byAmazonId = Object.fromEntries(orders.map((o) => [o.metadata.amazon_order_id, o]))
        const o = byAmazonId[two.orderId]
        expect(o).toMatchObject({
          email: "erika@marketplace.amazon.de",
          currency_code: "eur",
          sales_channel: { name: "Amazon" },
          metadata: { amazon_marketplace_id: DE, amazon_fulfilled_by: "MERCHANT", amazon_account_id: store.accountId },
          shipping_address: {
            first_name: "Erika Mustermann",
            address_1: "Domstraße 1",
            address_2: "Hinterhaus",
            city: "Köln",
            postal_code: "50667",
            country_code: "de",
            phone: "+49 221 123456",
          },
          amazon_order: { amazon_order_id: two.orderId },
        })
        const items = Object.fromEntries(o.items.map((i: any) => [i.metadata.amazon_seller_sku, i]))
        expect(items["TEE-M"]).toMatchObject({ variant_id: store.skus["TEE-M"].variantId, quantity: 2, unit_price: 19.9 })
        expect(items["MUG-1"]).toMatchObject({ variant_id: store.skus["MUG-1"].variantId, quantity: 1, unit_price: 9.99 })
        expect(Number(o.shipping_total)).toBeCloseTo(3.5, 2)
        expect(Number(o.total)).toBeCloseTo(2 * 19.9 + 9.99 + 3.5, 2)

        // Shown as paid, like any store order Medusa has captured.
        const { headers } = await createAdminUser(container)
        const detail = (await api.get(`/admin/orders/${o.id}?fields=id,payment_status,status,total`, { headers })).data.order
        expect(detail).toMatchObject({ payment_status: "captured", status: "pending" })

        // Our record: one per Amazon order, linked, with status and channel.
        expect(await record(container, two.orderId)).toMatchObject({
          import_status: "imported",
          order_id: o.id,
          status: "UNSHIPPED",
          fulfillment_channel: "MERCHANT",
          marketplace_id: DE,
          amazon_updated_at: new Date(two.lastUpdatedTime),
        })
        expect(await record(container, fba.orderId)).toMatchObject({ import_status: "imported", fulfillment_channel: "AMAZON", status: "SHIPPED" })

        // Merchant orders hold their units; the FBA order took nothing from the merchant's warehouse.
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 2, available: 8 })
        expect(await level(container, store, "MUG-1")).toEqual({ stocked: 10, reserved: 2, available: 8 })
        // …and the stock push hears about it (our enqueue; the stock push's own subscribers may add to the
        // same coalesced row afterwards, e.g. for the reservation events).
        const outbox = await amazon.listAmazonStockOutboxes({ variant_id: [store.skus["TEE-M"].variantId, store.skus["MUG-1"].variantId] })
        expect(outbox.map((r) => r.variant_id).sort()).toEqual([store.skus["TEE-M"].variantId, store.skus["MUG-1"].variantId].sort())

        // The scheduled job again: its window starts 5 minutes before the watermark, the versions that come
        // back are already recorded, nothing changes.
        pass2MinuteRule()
        await amazonImportOrdersJob(container)
        const [afterJob] = await amazon.listAmazonSyncCursors({ account_id: store.accountId, stream: "orders", scope: DE })
        expect((afterJob.state as any).last_run).toMatchObject({ status: "done", imported: 0, failed: 0 })
        // A window overlapping everything (watermark moved back a day): still no duplicate.
        const [cursor] = await amazon.listAmazonSyncCursors({ account_id: store.accountId, stream: "orders", scope: DE })
        await amazon.updateAmazonSyncCursors({ id: cursor.id, watermark: new Date(Date.parse(one.createdTime) - 86_400_000) })
        const overlapping = await runImport(container, store)
        expect(overlapping).toMatchObject({ orders: 3, skipped: 3, imported: 0 })
        expect(await medusaOrders(container)).toHaveLength(3)
        expect(await amazon.listAmazonOrders({})).toHaveLength(3)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 2, available: 8 })
        // One call per run, none refused.
        expect(sim.control.counters()[SEARCH_ORDERS]).toMatchObject({ calls: 3, succeeded: 3, throttled: 0 })
        expect(await medusaOrders(container)).toHaveLength(3)
      })

      it("PENDING → UNSHIPPED → PARTIALLY_SHIPPED → SHIPPED leaves the store's stock right at every step", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M"])
        const order = seedOrder(store, { fulfillmentStatus: "PENDING", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 3, unitPrice: "19.90" }] })
        const itemId = order.orderItems[0].orderItemId

        // PENDING: Amazon has not been paid and withholds prices; the units are held, no Medusa order yet.
        expect(await runImport(container, store)).toMatchObject({ pending: 1 })
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 3, available: 7 })
        expect(await medusaOrders(container)).toHaveLength(0)
        expect(await record(container, order.orderId)).toMatchObject({ import_status: "pending", status: "PENDING", order_id: null })

        sim.control.transitionOrder(order.orderId, { to: "UNSHIPPED" })
        pass2MinuteRule()
        expect(await runImport(container, store)).toMatchObject({ imported: 1 })
        const [medusa] = await medusaOrders(container)
        expect(medusa.items[0]).toMatchObject({ quantity: 3, unit_price: 19.9 })
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 3, available: 7 })
        // The reservation now belongs to the order's line item (so Medusa's own flows see it).
        const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
        const reservations = await inventory.listReservationItems({ inventory_item_id: store.skus["TEE-M"].itemId })
        expect(reservations.map((r) => [r.line_item_id, Number(r.quantity)])).toEqual([[medusa.items[0].id, 3]])

        sim.control.transitionOrder(order.orderId, { to: "PARTIALLY_SHIPPED", items: [{ orderItemId: itemId, quantity: 1 }] })
        pass2MinuteRule()
        expect(await runImport(container, store)).toMatchObject({ imported: 1 })
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 9, reserved: 2, available: 7 })

        // The same partial shipment in an overlapping window is not decremented again.
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const [cursor] = await amazon.listAmazonSyncCursors({ account_id: store.accountId, stream: "orders", scope: DE })
        await amazon.updateAmazonSyncCursors({ id: cursor.id, watermark: new Date(Date.parse(order.createdTime) - 3_600_000) })
        expect(await runImport(container, store)).toMatchObject({ skipped: 1, imported: 0 })
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 9, reserved: 2, available: 7 })

        sim.control.transitionOrder(order.orderId, { to: "PARTIALLY_SHIPPED", items: [{ orderItemId: itemId, quantity: 1 }] })
        pass2MinuteRule()
        await runImport(container, store)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 8, reserved: 1, available: 7 })

        sim.control.transitionOrder(order.orderId, { to: "SHIPPED" })
        pass2MinuteRule()
        await runImport(container, store)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 7, reserved: 0, available: 7 })
        expect(await record(container, order.orderId)).toMatchObject({
          status: "SHIPPED",
          applied: { items: { [itemId]: expect.objectContaining({ shipped: 3, reserved: 0 }) } },
        })
        expect(await medusaOrders(container)).toHaveLength(1)
        expect(sim.control.counters()[SEARCH_ORDERS]).toMatchObject({ throttled: 0 })
      })

      it("PENDING → CANCELLED releases the reservation; a buyer's cancellation of a paid order cancels the Medusa order and gives the stock back", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const store = await seedStore(container, ["TEE-M"])
        const pending = seedOrder(store, { fulfillmentStatus: "PENDING", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 2, unitPrice: "19.90" }] })
        const paid = seedOrder(store, { fulfillmentStatus: "UNSHIPPED", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 1, unitPrice: "19.90" }] })

        await runImport(container, store)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 3, available: 7 })

        sim.control.transitionOrder(pending.orderId, { to: "CANCELLED", cancelledBy: "AMAZON", cancelReason: "payment declined" })
        // The buyer only asks: Amazon leaves the decision to the merchant, the unit stays reserved.
        sim.control.requestBuyerCancellation(paid.orderId, { reason: "changed my mind" })
        pass2MinuteRule()
        await runImport(container, store)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 1, available: 9 })
        expect(await record(container, pending.orderId)).toMatchObject({ status: "CANCELLED", import_status: "imported", order_id: null })
        const logs = await amazon.listAmazonSyncLogs({ account_id: store.accountId, code: "BUYER_CANCELLATION_REQUESTED" })
        expect(logs).toHaveLength(1)
        expect(logs[0].context).toMatchObject({ amazon_order_id: paid.orderId })

        // The buyer's request is granted.
        sim.control.transitionOrder(paid.orderId, { to: "CANCELLED", cancelledBy: "BUYER", cancelReason: "changed my mind" })
        pass2MinuteRule()
        await runImport(container, store)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 0, available: 10 })
        const orders = await medusaOrders(container)
        expect(orders).toHaveLength(1)
        expect(orders[0]).toMatchObject({ status: "canceled", metadata: { amazon_order_id: paid.orderId } })
        expect(await record(container, paid.orderId)).toMatchObject({ status: "CANCELLED", import_status: "imported", order_id: orders[0].id })
      })

      it("files an order with an unknown SKU as needs attention (no partial order, no reservation) and imports it on retry once the SKU is mapped", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const store = await seedStore(container, ["TEE-M"])
        sim.control.seedListings([{ sellerId: store.sellerId, sku: "NEW-SKU", quantity: 5, price: { amount: "5.00" } }])
        const order = seedOrder(store, {
          fulfillmentStatus: "UNSHIPPED",
          orderItems: [
            { sellerSku: "TEE-M", quantityOrdered: 1, unitPrice: "19.90" },
            { sellerSku: "NEW-SKU", quantityOrdered: 2, unitPrice: "5.00" },
          ],
        })

        expect(await runImport(container, store)).toMatchObject({ needs_attention: 1, imported: 0 })
        const row = await record(container, order.orderId)
        expect(row).toMatchObject({ import_status: "needs_attention", attention_code: "UNKNOWN_SKU", order_id: null })
        expect(row.attention_reason).toContain("NEW-SKU")
        expect((row.payload as any).orderId).toBe(order.orderId)
        expect(await medusaOrders(container)).toHaveLength(0)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 0, available: 10 })
        const logs = await amazon.listAmazonSyncLogs({ account_id: store.accountId, code: "UNKNOWN_SKU" })
        expect(logs).toHaveLength(1)
        expect(logs[0]).toMatchObject({ stream: "orders", level: "warn", context: expect.objectContaining({ amazon_order_id: order.orderId }) })

        // Polling the same version again does not retry it (the admin does, once the SKU is mapped).
        expect(await runImport(container, store)).toMatchObject({ skipped: 1, needs_attention: 0 })

        store.skus["NEW-SKU"] = await addMappedVariant(container, store, "NEW-SKU", 10)
        const result = await retryAmazonOrderImport(container, { id: row.id })
        expect(result).toMatchObject({ outcome: "imported" })
        const [medusa] = await medusaOrders(container)
        expect(medusa.items.map((i: any) => [i.metadata.amazon_seller_sku, i.quantity]).sort()).toEqual([
          ["NEW-SKU", 2],
          ["TEE-M", 1],
        ])
        expect(await record(container, order.orderId)).toMatchObject({ import_status: "imported", attention_code: null, order_id: medusa.id })
        expect(await level(container, store, "NEW-SKU")).toEqual({ stocked: 10, reserved: 2, available: 8 })
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 1, available: 9 })

        // A second retry of an imported order changes nothing (exactly once).
        await retryAmazonOrderImport(container, { id: row.id })
        expect(await medusaOrders(container)).toHaveLength(1)
        expect(await level(container, store, "NEW-SKU")).toEqual({ stocked: 10, reserved: 2, available: 8 })
      })

      it("carries Amazon's shipping, tax and discount: the Medusa total is Amazon's grand total, in a region of the order's currency", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["CABLE-USBC-1M", "CHARGER-65W"])
        // A UK order as Amazon documents it (item + shipping + tax + discount = grandTotal 42.76 GBP),
        // partially shipped: 2 of 3 cables left.
        const fixture = JSON.parse(
          readFileSync(join(__dirname, "../../src/lib/amazon/__tests__/fixtures/orders-2026-get-order.partially-shipped.json"), "utf8")
        ).order
        const { result } = await applyAmazonOrderWorkflow(container).run({
          input: { account_id: store.accountId, marketplace_id: "A1F83G8C2ARO7P", order: fixture },
        })
        expect(result).toMatchObject({ outcome: "imported" })

        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: ["id", "currency_code", "total", "tax_total", "shipping_total", "discount_subtotal", "item_subtotal", "region.name", "items.tax_lines.code"],
          filters: { id: result.order_id },
        })
        const o = data[0] as any
        expect(o.currency_code).toBe("gbp")
        expect(o.region.name).toBe("Amazon GBP")
        expect(Number(o.item_subtotal)).toBeCloseTo(33.3, 2)
        expect(Number(o.shipping_total)).toBeCloseTo(4.99 + 1.01, 2)
        expect(Number(o.discount_subtotal)).toBeCloseTo(2.5, 2)
        expect(Number(o.tax_total)).toBeCloseTo(6.97, 2)
        expect(Number(o.total)).toBeCloseTo(42.76, 2)
        expect(o.items.flatMap((i: any) => i.tax_lines.map((t: any) => t.code))).toEqual(["AMAZON", "AMAZON"])
        const { headers } = await createAdminUser(container)
        const detail = (await api.get(`/admin/orders/${o.id}?fields=id,payment_status`, { headers })).data.order
        expect(detail.payment_status).toBe("captured")

        expect(await level(container, store, "CABLE-USBC-1M")).toEqual({ stocked: 8, reserved: 1, available: 7 })
        expect(await level(container, store, "CHARGER-65W")).toEqual({ stocked: 10, reserved: 1, available: 9 })
      })

      it("applies a page's new orders in one batch with the result of one-by-one application (order, items, tax, totals, payment and its order transaction, summary, fulfillments, stock, record); a failed batch is undone and its orders go one by one", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["CABLE-USBC-1M", "CHARGER-65W"])
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
        const UK = "A1F83G8C2ARO7P"
        // Amazon's documented UK order (shipping, tax, a discount, partially shipped), and a twin of it.
        const fixture = JSON.parse(
          readFileSync(join(__dirname, "../../src/lib/amazon/__tests__/fixtures/orders-2026-get-order.partially-shipped.json"), "utf8")
        ).order
        const twin = { ...structuredClone(fixture), orderId: "026-5550003-0000099" }

        const { result: single } = await applyAmazonOrderWorkflow(container).run({ input: { account_id: store.accountId, marketplace_id: UK, order: fixture } })
        const { result: batch } = await applyAmazonOrderBatchWorkflow(container).run({
          input: { account_id: store.accountId, marketplace_id: UK, orders: [twin, fixture, { orderId: "026-0000000-0000000" }] },
        })
        // The twin is applied here; the order recorded already and the unreadable one are handed back.
        expect(batch.applied).toEqual([{ amazon_order_id: twin.orderId, outcome: "imported", order_id: expect.any(String) }])
        expect(batch.fallback.map((o: any) => o.orderId).sort()).toEqual(["026-0000000-0000000", fixture.orderId])

        const fields = [
          "*",
          "total",
          "subtotal",
          "tax_total",
          "shipping_total",
          "discount_total",
          "item_subtotal",
          "shipping_address.*",
          "items.*",
          "items.tax_lines.*",
          "items.adjustments.*",
          "shipping_methods.*",
          "shipping_methods.tax_lines.*",
          "payment_collections.*",
          "payment_collections.payment_sessions.*",
          "payment_collections.payments.*",
          "payment_collections.payments.captures.*",
          "sales_channel.name",
          "region.name",
        ]
        const { data } = await query.graph({ entity: "order", fields, filters: { id: [single.order_id!, batch.applied[0].order_id!] } })
        const byId = new Map((data as any[]).map((o) => [o.id, o]))
        // Everything but ids, times, the Amazon order id itself and order versions: Medusa's fulfillment
        // and shipment workflows give the one-by-one order two versions, the batch writes the same
        // quantities onto the order's items (see recordAmazonFulfilmentsStep).
        const KEEP_IDS = new Set([
          "variant_id",
          "product_id",
          "region_id",
          "sales_channel_id",
          "customer_id",
          "provider_id",
          "product_type_id",
          "shipping_option_id",
          "location_id",
          "inventory_item_id",
        ])
        const shape = (value: any): any => {
          if (Array.isArray(value)) {
            return value.map(shape).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
          }
          if (value && typeof value === "object") {
            // An order item's detail row (quantities): a new order version copies the item's prices into it.
            const detail = "fulfilled_quantity" in value && "written_off_quantity" in value
            return Object.fromEntries(
              Object.entries(value)
                .filter(
                  ([k]) =>
                    !(k === "id" || k === "display_id" || k === "version" || (k.endsWith("_id") && !KEEP_IDS.has(k)) || k.endsWith("_at") || k === "amazon_order_id" || k.startsWith("raw_")) &&
                    !(detail && (k === "unit_price" || k === "compare_at_unit_price"))
                )
                .map(([k, v]) => [k, shape(v)])
            )
          }
          return value
        }
        const one = byId.get(single.order_id)
        const batched = byId.get(batch.applied[0].order_id)
        expect(shape(batched)).toEqual(shape(one))
        expect(batched.items).toHaveLength(2)
        expect(Number(batched.total)).toBeCloseTo(42.76, 2)
        expect(batched.items.flatMap((i: any) => i.tax_lines.map((t: any) => t.code))).toEqual(["AMAZON", "AMAZON"])
        expect(batched.payment_collections).toMatchObject([{ status: "completed", payments: [{ captures: [{ created_by: "amazon" }] }] }])
        const { headers } = await createAdminUser(container)
        // What the admin shows of each: paid (summary from the order's transactions: nothing outstanding),
        // the 2 cables Amazon shipped fulfilled and shipped, the shipping option Medusa's flows need.
        const ADMIN_FIELDS = [
          "id",
          "total",
          "payment_status",
          "fulfillment_status",
          "summary",
          "*transactions",
          "*fulfillments",
          "*fulfillments.items",
          "*fulfillments.labels",
          "*items",
          "items.detail.*",
          "*shipping_methods",
        ].join(",")
        const admin = async (id: string) => (await api.get(`/admin/orders/${id}?fields=${ADMIN_FIELDS}`, { headers })).data.order
        const [adminOne, adminBatched] = [await admin(single.order_id!), await admin(batch.applied[0].order_id!)]
        for (const o of [adminOne, adminBatched]) {
          expect(o).toMatchObject({ payment_status: "captured", fulfillment_status: "partially_shipped" })
          expect(Number(o.summary.paid_total)).toBeCloseTo(42.76, 2)
          expect(Number(o.summary.pending_difference)).toBeCloseTo(0, 2)
          expect(o.transactions).toEqual([expect.objectContaining({ reference: "capture", currency_code: "gbp" })])
          expect(Number(o.transactions[0].amount)).toBeCloseTo(42.76, 2)
          expect(o.shipping_methods[0].shipping_option_id).toEqual(expect.any(String))
          const cable = o.items.find((i: any) => i.variant_sku === "CABLE-USBC-1M")
          expect(cable.detail).toMatchObject({ fulfilled_quantity: 2, shipped_quantity: 2 })
          expect(o.fulfillments).toHaveLength(1)
          expect(o.fulfillments[0]).toMatchObject({ shipped_at: expect.any(String), provider_id: "manual_manual" })
          expect(o.fulfillments[0].items).toEqual([expect.objectContaining({ quantity: 2, line_item_id: cable.id })])
        }
        expect(shape(adminBatched)).toEqual(shape(adminOne))
        // The same reservations (per line item) and the same record.
        const held = async (order: any) =>
          (await inventory.listReservationItems({ line_item_id: order.items.map((i: any) => i.id) }))
            .map((r) => ({ quantity: Number(r.quantity), location_id: r.location_id, inventory_item_id: r.inventory_item_id }))
            .sort((a, b) => a.inventory_item_id.localeCompare(b.inventory_item_id))
        expect(await held(batched)).toEqual(await held(one))
        const [r1, r2] = [await record(container, fixture.orderId), await record(container, twin.orderId)]
        expect(shape({ ...r2, payload: null })).toEqual(shape({ ...r1, payload: null }))
        expect(Object.values((r2.applied as any).items).flatMap((i: any) => i.reservations.map((r: any) => r.id))).toHaveLength(2)
        // Two orders' worth of stock moved: 2 cables shipped and 1 held each, 1 charger held each.
        expect(await level(container, store, "CABLE-USBC-1M")).toEqual({ stocked: 6, reserved: 2, available: 4 })
        expect(await level(container, store, "CHARGER-65W")).toEqual({ stocked: 10, reserved: 2, available: 8 })

        // A batch that fails half-way (the order module refuses the bulk insert) is undone — no order, no
        // customer, no record left — and the page's orders are applied one by one instead.
        const orderModule = container.resolve(Modules.ORDER)
        const spy = jest.spyOn(orderModule, "createOrders").mockRejectedValueOnce(new Error("connection reset"))
        const customers = container.resolve(Modules.CUSTOMER)
        const seeded = [1, 2].map((n) =>
          seedOrder(store, {
            fulfillmentStatus: "UNSHIPPED",
            buyer: { buyerEmail: `batch${n}@marketplace.amazon.de`, buyerName: `Batch ${n}` },
            orderItems: [{ sellerSku: "CHARGER-65W", quantityOrdered: 1, unitPrice: "29.90" }],
          })
        )
        let calls = 0
        try {
          expect(await runImport(container, store, { marketplace_ids: [DE] })).toMatchObject({ orders: 2, imported: 2, failed: 0, needs_attention: 0 })
        } finally {
          calls = spy.mock.calls.length
          spy.mockRestore()
        }
        // The refused batch, then one createOrderWorkflow per order; the admin sees that the batch failed.
        expect(calls).toBe(3)
        const logs = await container.resolve<AmazonModuleService>(AMAZON_MODULE).listAmazonSyncLogs({ code: "ORDER_BATCH_FAILED" })
        expect(logs).toEqual([expect.objectContaining({ account_id: store.accountId, level: "warn", message: expect.stringContaining("connection reset") })])
        for (const [n, o] of seeded.entries()) {
          expect(await customers.listCustomers({ email: `batch${n + 1}@marketplace.amazon.de` })).toHaveLength(1)
          expect(await record(container, o.orderId)).toMatchObject({ import_status: "imported", order_id: expect.any(String) })
        }
        const all = await medusaOrders(container)
        expect(all).toHaveLength(4)
        const { data: collections } = await query.graph({ entity: "payment_collection", fields: ["id"] })
        expect(collections).toHaveLength(4)
        expect(await level(container, store, "CHARGER-65W")).toEqual({ stocked: 10, reserved: 4, available: 6 })
      })

      it("measures the import lag: an order updated at Amazon is in the store one job tick after Amazon's 2-minute rule lets it out", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M"])
        // The account has run before (the watermark is fresh).
        await runImport(container, store)
        const updatedAt = sim.control.now()
        const order = seedOrder(store, {
          lastUpdatedTime: new Date(updatedAt).toISOString(),
          fulfillmentStatus: "UNSHIPPED",
          orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 1, unitPrice: "19.90" }],
        })
        // The job ticks every 2 minutes (simulated), as scheduled, without waiting for quota.
        const TICK_MS = 120_000
        let ticks = 0
        for (;;) {
          const result = await importAmazonOrders(container, { account_id: store.accountId })
          ticks += 1
          if (result.marketplaces[0]?.imported) {
            break
          }
          expect(ticks).toBeLessThan(5)
          sim.control.advanceClock(TICK_MS)
        }
        const lagMs = sim.control.now() - Date.parse(order.lastUpdatedTime)
        expect(await record(container, order.orderId)).toMatchObject({ import_status: "imported" })
        // Amazon holds every order back 2 minutes; a tick at most 2 minutes later picks it up.
        expect(lagMs).toBeGreaterThanOrEqual(120_000)
        expect(lagMs).toBeLessThanOrEqual(120_000 + TICK_MS)
        figures.push({ case: "import lag (simulated time)", ticks, lag_seconds: Math.round(lagMs / 1000), searchOrders_calls: sim.control.counters()[SEARCH_ORDERS]?.calls })
      })

      it("recovers from a crash between creating the Medusa order and recording the link: the order is found by its metadata, not created twice", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M"])
        const order = seedOrder(store, { fulfillmentStatus: "UNSHIPPED", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 2, unitPrice: "19.90" }] })

        // What a run that died right after createOrderWorkflow leaves behind: an unlinked, unpaid order
        // carrying the Amazon order id, and no record.
        const { result: regions } = await (await import("@medusajs/medusa/core-flows")).createRegionsWorkflow(container).run({
          input: { regions: [{ name: "Amazon EUR", currency_code: "eur", metadata: { amazon_plugin: true } }] },
        })
        const { result: orphan } = await createOrderWorkflow(container).run({
          input: {
            region_id: regions[0].id,
            currency_code: "eur",
            items: [
              {
                variant_id: store.skus["TEE-M"].variantId,
                quantity: 2,
                unit_price: 19.9,
                is_tax_inclusive: false,
                metadata: { amazon_order_item_id: order.orderItems[0].orderItemId },
              } as any,
            ],
            metadata: { amazon_order_id: order.orderId },
          },
        })

        expect(await runImport(container, store)).toMatchObject({ imported: 1 })
        const orders = await medusaOrders(container)
        expect(orders.map((o) => o.id)).toEqual([orphan.id])
        expect(orders[0].amazon_order).toMatchObject({ amazon_order_id: order.orderId })
        expect(await record(container, order.orderId)).toMatchObject({ order_id: orphan.id, import_status: "imported" })
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 2, available: 8 })
        const { headers } = await createAdminUser(container)
        const detail = (await api.get(`/admin/orders/${orphan.id}?fields=id,payment_status`, { headers })).data.order
        expect(detail.payment_status).toBe("captured")
      })
    })
  },
})
