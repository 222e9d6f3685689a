/**
 * Amazon orders are native Medusa orders for their whole life: imported (in a batch or one by one) they
 * are paid in Medusa's own records (order transaction, nothing outstanding), hold their stock through
 * reservations on their line items, and ship under a real shipping option, so staff can fulfil them with
 * Medusa's own admin route; when Amazon ships them (FBM shipped outside Medusa, or FBA), Medusa shows the
 * fulfillments and shipments with Amazon's tracking numbers, and stock moves exactly once.
 */
import "../helpers/quiet-jobs"

import type { IInventoryService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, type SimulatorHandle } from "../../simulator"
import type { OrderSeed } from "../../simulator"
import amazonImportOrdersJob from "../../src/jobs/amazon-import-orders"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import type { MarketplaceImportSummary } from "../../src/workflows/order-import/import-amazon-orders"
import { createAdminUser } from "../helpers/admin"

jest.setTimeout(240_000)

const DE = "A1PA6795UKMFR9"

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
  skus: Record<string, { variantId: string; productId: string; itemId: string }>
}

/** A store selling `skus` (10 units each at one warehouse) on Amazon.de through an account on the simulator. */
async function seedStore(container: MedusaContainer, skus: string[], stock = 10): Promise<Store> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  sim.control.reset()
  sellerSeq += 1
  const seller = {
    sellerId: `A1LIFE${sellerSeq}`,
    clientId: "amzn1.application-oa2-client.lifecycle",
    clientSecret: "lifecycle-secret",
    refreshToken: `Atzr|lifecycle-${sellerSeq}`,
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
    // Products made without a shipping profile, as Medusa allows: the import gives them the default one.
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
    await inventory.createInventoryLevels([{ inventory_item_id: itemId, location_id: warehouse.id, stocked_quantity: stock }])
    const listing = await amazon.createAmazonListings({ account_id: account.id, marketplace_id: DE, seller_sku: sku })
    await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: variantId } })
    store.skus[sku] = { variantId, productId: product.id, itemId }
  }
  return store
}

async function level(container: MedusaContainer, store: Store, sku: string) {
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  const [l] = await inventory.listInventoryLevels({ inventory_item_id: store.skus[sku].itemId, location_id: store.locationId })
  return { stocked: Number(l.stocked_quantity), reserved: Number(l.reserved_quantity), available: Number(l.available_quantity) }
}

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

async function medusaOrderOf(container: MedusaContainer, amazonOrderId: string): Promise<string> {
  const [row] = await container.resolve<AmazonModuleService>(AMAZON_MODULE).listAmazonOrders({ amazon_order_id: amazonOrderId })
  expect(row?.order_id).toEqual(expect.any(String))
  return row.order_id as string
}

const ADMIN_FIELDS = [
  "id",
  "total",
  "metadata",
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

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("Amazon orders through their whole life", () => {
      let headers: Record<string, string>
      const adminOrder = async (id: string) => (await api.get(`/admin/orders/${id}?fields=${ADMIN_FIELDS}`, { headers })).data.order
      const fulfil = (orderId: string, body: Record<string, unknown>) =>
        api.post(`/admin/orders/${orderId}/fulfillments`, body, { headers }).catch((e: { response: unknown }) => e.response as { status: number; data: any })

      beforeEach(async () => {
        headers = (await createAdminUser(getContainer())).headers
      })

      it("an FBM order imported in a batch and one imported one by one are paid in full, hold their stock on their line items and ship under the plugin's shipping option", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M", "MUG-1"])
        const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const latestShip = minutesAgo(-2 * 24 * 60)
        const batched = seedOrder(store, {
          fulfillmentStatus: "UNSHIPPED",
          shipByWindow: { earliestDateTime: minutesAgo(10), latestDateTime: latestShip },
          orderItems: [
            { sellerSku: "TEE-M", quantityOrdered: 2, unitPrice: "19.90", shippingPrice: "3.50" },
            { sellerSku: "MUG-1", quantityOrdered: 1, unitPrice: "9.99" },
          ],
        })
        expect(await runImport(container, store)).toMatchObject({ imported: 1, failed: 0 })
        const single = seedOrder(store, { lastUpdatedTime: minutesAgo(0), fulfillmentStatus: "UNSHIPPED", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 3, unitPrice: "19.90" }] })
        pass2MinuteRule()
        expect(await runImport(container, store, { batch: false })).toMatchObject({ imported: 1, failed: 0 })

        const orders = [await adminOrder(await medusaOrderOf(container, batched.orderId)), await adminOrder(await medusaOrderOf(container, single.orderId))]
        for (const o of orders) {
          // Paid as Medusa's own checkout leaves an order: the capture is an order transaction.
          expect(o.payment_status).toBe("captured")
          expect(o.transactions).toEqual([expect.objectContaining({ reference: "capture" })])
          expect(Number(o.summary.paid_total)).toBeCloseTo(Number(o.total), 2)
          expect(Number(o.summary.pending_difference)).toBeCloseTo(0, 2)
          expect(o.fulfillment_status).toBe("not_fulfilled")
          // Every item allocated: one reservation per line item, for its whole quantity.
          const reservations = await inventory.listReservationItems({ line_item_id: o.items.map((i: any) => i.id) })
          expect(reservations.map((r) => [r.line_item_id, Number(r.quantity), r.location_id]).sort()).toEqual(
            o.items.map((i: any) => [i.id, Number(i.quantity), store.locationId]).sort()
          )
        }
        expect(orders[0].metadata).toMatchObject({ amazon_latest_ship_date: latestShip })
        expect(orders[1].metadata.amazon_latest_ship_date).toEqual(expect.any(String))

        // One shipping option for both, made once: Medusa's manual provider, at the warehouse, in the
        // products' shipping profile, never offered at a storefront checkout.
        const optionId = orders[0].shipping_methods[0].shipping_option_id
        expect(orders[1].shipping_methods[0].shipping_option_id).toBe(optionId)
        const { data: options } = await query.graph({
          entity: "shipping_option",
          fields: ["id", "name", "provider_id", "shipping_profile_id", "rules.*", "service_zone.fulfillment_set.location.id"],
          filters: { name: "Amazon (merchant-fulfilled)" },
        })
        expect(options).toHaveLength(1)
        const option = options[0] as any
        expect(option).toMatchObject({ id: optionId, provider_id: "manual_manual", service_zone: { fulfillment_set: { location: { id: store.locationId } } } })
        expect(option.rules).toEqual(expect.arrayContaining([expect.objectContaining({ attribute: "enabled_in_store", value: "false" })]))
        const { data: products } = await query.graph({ entity: "product", fields: ["id", "shipping_profile.id"], filters: { id: store.skus["TEE-M"].productId } })
        expect((products[0] as any).shipping_profile.id).toBe(option.shipping_profile_id)
      })

      it("staff fulfil 1 of 3 units with Medusa's admin route; Amazon then ships the order from Seller Central: Medusa shows the rest fulfilled and shipped with the tracking number, stock moved once, and a further fulfillment is refused", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M"])
        const order = seedOrder(store, { fulfillmentStatus: "UNSHIPPED", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 3, unitPrice: "19.90" }] })
        await runImport(container, store)
        const orderId = await medusaOrderOf(container, order.orderId)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 3, available: 7 })

        const line = (await adminOrder(orderId)).items[0]
        const staff = await fulfil(orderId, { items: [{ id: line.id, quantity: 1 }], location_id: store.locationId })
        expect(staff.status).toBe(200)
        // Exactly the unit fulfilled left the warehouse, through its reservation.
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 9, reserved: 2, available: 7 })

        sim.control.transitionOrder(order.orderId, { to: "SHIPPED", package: { carrier: "DHL", trackingNumber: "DHL-0042", shippingService: "Paket" } })
        pass2MinuteRule()
        await amazonImportOrdersJob(container)
        const [cursor] = await container.resolve<AmazonModuleService>(AMAZON_MODULE).listAmazonSyncCursors({ account_id: store.accountId, stream: "orders", scope: DE })
        expect((cursor.state as any).last_run).toMatchObject({ status: "done", imported: 1, failed: 0 })

        const after = await adminOrder(orderId)
        expect(after.items[0].detail).toMatchObject({ fulfilled_quantity: 3, shipped_quantity: 2 })
        expect(after.fulfillments).toHaveLength(2)
        const fromAmazon = after.fulfillments.find((f: any) => f.metadata?.amazon_source === "amazon")
        expect(fromAmazon).toMatchObject({ shipped_at: expect.any(String), location_id: store.locationId, provider_id: "manual_manual" })
        expect(fromAmazon.items).toEqual([expect.objectContaining({ line_item_id: line.id, quantity: 2 })])
        expect(fromAmazon.labels).toEqual([expect.objectContaining({ tracking_number: "DHL-0042" })])
        expect(fromAmazon.metadata).toMatchObject({ amazon_order_id: order.orderId, amazon_carriers: ["DHL"] })
        // The 3 units left stock once each: 1 by the staff's fulfillment, 2 by the one made from Amazon's shipment.
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 7, reserved: 0, available: 7 })

        const again = await fulfil(orderId, { items: [{ id: line.id, quantity: 1 }], location_id: store.locationId })
        expect(again.status).toBe(400)
        expect((await adminOrder(orderId)).fulfillments).toHaveLength(2)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 7, reserved: 0, available: 7 })
      })

      it("Amazon ships an FBM order in two packages: a partial fulfillment, then the rest, each shipped with its tracking number; replays change nothing", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const store = await seedStore(container, ["TEE-M"])
        const order = seedOrder(store, { fulfillmentStatus: "UNSHIPPED", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 3, unitPrice: "19.90" }] })
        const itemId = order.orderItems[0].orderItemId
        await runImport(container, store)
        const orderId = await medusaOrderOf(container, order.orderId)

        sim.control.transitionOrder(order.orderId, {
          to: "PARTIALLY_SHIPPED",
          items: [{ orderItemId: itemId, quantity: 1 }],
          package: { carrier: "UPS", trackingNumber: "1Z-FIRST", packageReferenceId: "P1" },
        })
        pass2MinuteRule()
        expect(await runImport(container, store)).toMatchObject({ imported: 1, failed: 0 })
        let o = await adminOrder(orderId)
        expect(o.fulfillment_status).toBe("partially_shipped")
        expect(o.fulfillments.map((f: any) => [f.items[0].quantity, f.labels.map((l: any) => l.tracking_number)])).toEqual([[1, ["1Z-FIRST"]]])
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 9, reserved: 2, available: 7 })

        // The same version again (a window overlapping it): nothing new.
        const [cursor] = await amazon.listAmazonSyncCursors({ account_id: store.accountId, stream: "orders", scope: DE })
        await amazon.updateAmazonSyncCursors({ id: cursor.id, watermark: new Date(Date.parse(order.createdTime) - 3_600_000) })
        expect(await runImport(container, store)).toMatchObject({ skipped: 1, imported: 0 })

        sim.control.transitionOrder(order.orderId, { to: "SHIPPED", package: { carrier: "UPS", trackingNumber: "1Z-SECOND", packageReferenceId: "P2" } })
        pass2MinuteRule()
        expect(await runImport(container, store)).toMatchObject({ imported: 1, failed: 0 })
        o = await adminOrder(orderId)
        expect(o.fulfillment_status).toBe("shipped")
        expect(
          o.fulfillments.map((f: any) => [f.items[0].quantity, f.labels.map((l: any) => l.tracking_number)]).sort((a: any, b: any) => a[0] - b[0])
        ).toEqual([
          [1, ["1Z-FIRST"]],
          [2, ["1Z-SECOND"]],
        ])
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 7, reserved: 0, available: 7 })
        expect((await amazon.listAmazonOrders({ amazon_order_id: order.orderId }))[0].applied).toMatchObject({
          packages: ["P1", "P2"],
          items: { [itemId]: expect.objectContaining({ shipped: 3, fulfilled: 3, reserved: 0 }) },
        })

        // Nothing left to fulfil: Medusa refuses.
        const again = await fulfil(orderId, { items: [{ id: o.items[0].id, quantity: 1 }], location_id: store.locationId })
        expect(again.status).toBe(400)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 7, reserved: 0, available: 7 })
      })

      it("a new order Amazon already shipped is applied in the batch with its fulfillment and tracking number, stock decremented once", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M", "MUG-1"])
        const order = seedOrder(store, {
          fulfillmentStatus: "UNSHIPPED",
          orderItems: [
            { sellerSku: "TEE-M", quantityOrdered: 2, unitPrice: "19.90" },
            { sellerSku: "MUG-1", quantityOrdered: 1, unitPrice: "9.99" },
          ],
        })
        sim.control.transitionOrder(order.orderId, { to: "SHIPPED", package: { carrier: "DPD", trackingNumber: "DPD-777" } })
        pass2MinuteRule()
        const orderModule = container.resolve(Modules.ORDER)
        const createOrders = jest.spyOn(orderModule, "createOrders")
        try {
          expect(await runImport(container, store)).toMatchObject({ imported: 1, failed: 0 })
          // The batch (one createOrders for the page), not the one-by-one fallback.
          expect(createOrders).toHaveBeenCalledTimes(1)
        } finally {
          createOrders.mockRestore()
        }
        const o = await adminOrder(await medusaOrderOf(container, order.orderId))
        expect(o.fulfillment_status).toBe("shipped")
        expect(Number(o.summary.pending_difference)).toBeCloseTo(0, 2)
        expect(o.fulfillments).toHaveLength(1)
        expect(o.fulfillments[0].labels).toEqual([expect.objectContaining({ tracking_number: "DPD-777" })])
        expect(o.fulfillments[0].items.map((i: any) => Number(i.quantity)).sort()).toEqual([1, 2])
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 8, reserved: 0, available: 8 })
        expect(await level(container, store, "MUG-1")).toEqual({ stocked: 9, reserved: 0, available: 9 })
      })

      it("Amazon-fulfilled orders are shown fulfilled and shipped when Amazon ships them, without touching the merchant's stock", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M"])
        const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
        const first = seedOrder(store, { fulfillmentStatus: "UNSHIPPED", fulfilledBy: "AMAZON", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 2, unitPrice: "21.00" }] })
        expect(await runImport(container, store)).toMatchObject({ imported: 1, failed: 0 })
        const firstId = await medusaOrderOf(container, first.orderId)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 0, available: 10 })

        // Its shipping option lives at the FBA location (made for it: the FBA sync has not run).
        const account = await container.resolve<AmazonModuleService>(AMAZON_MODULE).retrieveAmazonAccount(store.accountId)
        const fbaLocation = (account.settings as any)?.fba_location_ids?.[DE]
        expect(fbaLocation).toEqual(expect.any(String))
        expect(fbaLocation).not.toBe(store.locationId)

        sim.control.transitionOrder(first.orderId, { to: "SHIPPED" })
        // A second FBA order, new and already shipped: the batch takes it now that the FBA location exists.
        const second = seedOrder(store, { fulfillmentStatus: "SHIPPED", fulfilledBy: "AMAZON", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 1, unitPrice: "21.00" }] })
        pass2MinuteRule()
        expect(await runImport(container, store)).toMatchObject({ imported: 2, failed: 0 })

        for (const id of [firstId, await medusaOrderOf(container, second.orderId)]) {
          const o = await adminOrder(id)
          expect(o.fulfillment_status).toBe("shipped")
          expect(o.fulfillments).toEqual([expect.objectContaining({ location_id: fbaLocation, shipped_at: expect.any(String) })])
          expect(o.fulfillments[0].metadata).toMatchObject({ amazon_source: "amazon" })
          // Nothing is left for staff to fulfil.
          expect((await fulfil(id, { items: [{ id: o.items[0].id, quantity: 1 }] })).status).toBe(400)
        }
        // No merchant stock moved, and no level appeared at (or moved in) the FBA location.
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 10, reserved: 0, available: 10 })
        expect(await inventory.listInventoryLevels({ location_id: fbaLocation })).toEqual([])
        expect(await inventory.listReservationItems({ inventory_item_id: store.skus["TEE-M"].itemId })).toEqual([])
      })

      it("an order imported before fulfillments were recorded (no order transaction, no shipping option, a shipped unit decremented by the import) is completed by its next version without moving stock twice", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const orderModule = container.resolve(Modules.ORDER)
        const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
        const store = await seedStore(container, ["TEE-M"])
        const order = seedOrder(store, { fulfillmentStatus: "UNSHIPPED", orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 3, unitPrice: "19.90" }] })
        const itemId = order.orderItems[0].orderItemId
        await runImport(container, store)
        const orderId = await medusaOrderOf(container, order.orderId)

        // What the import left before this release for an order Amazon had partially shipped (1 of 3): the
        // payment without its order transaction, a shipping method without a shipping option, the shipped
        // unit decremented by the import itself and its record without `fulfilled`.
        sim.control.transitionOrder(order.orderId, { to: "PARTIALLY_SHIPPED", items: [{ orderItemId: itemId, quantity: 1 }] })
        const o0 = await adminOrder(orderId)
        await orderModule.deleteOrderTransactions(o0.transactions.map((t: any) => t.id))
        await orderModule.updateOrderShippingMethods({ id: o0.shipping_methods[0].id, shipping_option_id: null } as never)
        const [reservation] = await inventory.listReservationItems({ line_item_id: o0.items[0].id })
        await inventory.updateReservationItems([{ id: reservation.id, quantity: 2 }])
        await inventory.adjustInventory(store.skus["TEE-M"].itemId, store.locationId, -1)
        const [row] = await amazon.listAmazonOrders({ amazon_order_id: order.orderId })
        const applied = row.applied as any
        const { fulfilled: _f, ...legacyItem } = applied.items[itemId]
        // Written as a whole (an ORM update merges JSON objects, which would keep `fulfilled`).
        await container
          .resolve(ContainerRegistrationKeys.PG_CONNECTION)
          .raw(`update amazon_order set status = 'PARTIALLY_SHIPPED', applied = ?::jsonb where id = ?`, [
            JSON.stringify({ version: 1, items: { [itemId]: { ...legacyItem, shipped: 1, reserved: 2 } } }),
            row.id,
          ])
        expect(Number((await adminOrder(orderId)).summary.pending_difference)).toBeGreaterThan(0)
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 9, reserved: 2, available: 7 })

        sim.control.transitionOrder(order.orderId, { to: "SHIPPED" })
        pass2MinuteRule()
        expect(await runImport(container, store)).toMatchObject({ imported: 1, failed: 0 })

        const o = await adminOrder(orderId)
        expect(Number(o.summary.paid_total)).toBeCloseTo(Number(o.total), 2)
        expect(Number(o.summary.pending_difference)).toBeCloseTo(0, 2)
        expect(o.shipping_methods[0].shipping_option_id).toEqual(expect.any(String))
        expect(o.items[0].detail).toMatchObject({ fulfilled_quantity: 3, shipped_quantity: 3 })
        expect(o.fulfillment_status).toBe("shipped")
        // The unit decremented before is recorded without moving stock again; the 2 others go through
        // Medusa's own fulfillment, which consumes their reservation.
        expect(o.fulfillments.map((f: any) => Number(f.items[0].quantity)).sort()).toEqual([1, 2])
        // 1 unit decremented before, 2 now: 3 in all.
        expect(await level(container, store, "TEE-M")).toEqual({ stocked: 7, reserved: 0, available: 7 })
      })
    })
  },
})
