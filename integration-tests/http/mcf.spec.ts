/**
 * Multi-Channel Fulfillment (issue 20): the store's own orders, checked out with an Amazon MCF shipping option
 * and fulfilled from the account's FBA location, become MCF orders at Amazon (the simulator's Fulfillment
 * Outbound 2026-07-04); tracking comes back as Medusa shipments; cancellations go both ways; refusals and
 * unfulfillable orders fail or flag the fulfillment, and the order can be re-allocated.
 */
import "../helpers/quiet-jobs"
// the store helpers load Medusa's core flows, which the plugin's link definitions need loaded first
import { createTestProduct, placeStoreOrder, seedTestStore, type TestStore } from "../helpers/store-seed"
import { createSimAccount, mapListings } from "../helpers/stock-push"

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, type SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { runFbaStockSync } from "../../src/workflows/fba-stock/run-fba-stock-sync"
import { placeMcfOrder } from "../../src/workflows/mcf/place-mcf-order"
import { trackMcfOrders } from "../../src/workflows/mcf/track-mcf-orders"
import { createAdminUser } from "../helpers/admin"
import { call, DE } from "./admin-support"

jest.setTimeout(240_000)

const figures: Record<string, unknown> = {}
let sim: SimulatorHandle

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: 1 })
})
afterAll(async () => {
  await sim?.close()
  process.stdout.write(`\nMCF figures: ${JSON.stringify(figures)}\n`)
})

interface McfStore {
  store: TestStore
  accountId: string
  sellerId: string
  variantId: string
  fbaLocationId: string
  mcfOptionId: string
}

function mcfCalls(): number {
  return Object.entries(sim.control.counters())
    .filter(([op]) => op.startsWith("fulfillment-outbound-2026-07-04."))
    .reduce((sum, [, c]) => sum + (c as { calls: number }).calls, 0)
}

async function fbaLevel(container: MedusaContainer, variantId: string, locationId: string): Promise<{ stocked: number; reserved: number }> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "product_variant", fields: ["inventory_items.inventory.location_levels.*"], filters: { id: variantId } })
  const level = ((data[0] as any).inventory_items[0].inventory.location_levels as any[]).find((l) => l.location_id === locationId)
  return { stocked: Number(level?.stocked_quantity ?? 0), reserved: Number(level?.reserved_quantity ?? 0) }
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>
    let ctx: McfStore

    beforeEach(async () => {
      const container = getContainer()
      sim.control.reset()
      headers = (await createAdminUser(container)).headers
      const store = await seedTestStore(container)
      const { account, sellerId } = await createSimAccount(container, sim)
      // the mug is stocked only at Amazon (FBA): 10 sellable units
      const { variants } = await createTestProduct(container, store, "Mug", [{ sku: "MUG", stock: {} }])
      await mapListings(container, account.id, [{ variant_id: variants.MUG.id, sku: "FBA-MUG", fulfillment_channel: "AMAZON" }])
      sim.control.setFbaStock({ sellerId, sku: "FBA-MUG", fulfillable: 10 })
      const pass = await runFbaStockSync(container, { account_id: account.id, marketplace_id: DE, mode: "full" })
      expect(pass.status).toBe("done")
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const fbaLocationId = ((await amazon.retrieveAmazonAccount(account.id)).settings as any).fba_location_ids[DE]
      // "Ship store orders from FBA": the provider, a service zone and a Standard option on the FBA location
      const offered = await call(
        api,
        "post",
        `/admin/amazon/accounts/${account.id}/mcf`,
        { marketplace_id: DE, countries: ["de"], sales_channel_ids: [store.salesChannelId], prices: [{ service_tier: "STANDARD", currency_code: "eur", amount: 4.9 }] },
        headers
      )
      expect(offered.status).toBe(200)
      ctx = { store, accountId: account.id, sellerId, variantId: variants.MUG.id, fbaLocationId, mcfOptionId: offered.data.mcf.shipping_option_ids.STANDARD }
    })

    /** A shopper checks out `quantity` mugs with the Amazon MCF option; then staff fulfil from the FBA location. */
    async function orderAndFulfil(quantity: number, opts: { expectStatus?: number } = {}) {
      const container = getContainer()
      const orderId = await placeStoreOrder(container, { ...ctx.store, shippingOptionId: ctx.mcfOptionId }, [{ variant_id: ctx.variantId, quantity }])
      const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["items.id"], filters: { id: orderId } })
      const lineId = (data[0] as any).items[0].id
      const started = Date.now()
      const res = await call(api, "post", `/admin/orders/${orderId}/fulfillments?fields=id,fulfillments.id,fulfillments.data,fulfillments.canceled_at`, { items: [{ id: lineId, quantity }], location_id: ctx.fbaLocationId }, headers)
      const ms = Date.now() - started
      expect(res.status).toBe(opts.expectStatus ?? 200)
      const fulfillment = (res.data?.order?.fulfillments ?? []).find((f: any) => !f.canceled_at)
      return { orderId, lineId, res, fulfillment, ms }
    }

    it("a checkout with the MCF option, fulfilled from FBA, is shipped by Amazon: tracking comes back as the shipment, FBA stock falls once", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      // the option is offered at checkout for an address in Germany
      const { data: options } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "shipping_option",
        fields: ["id", "name", "provider_id", "data"],
        filters: { id: ctx.mcfOptionId },
      })
      expect(options[0]).toMatchObject({ name: "Standard (shipped by Amazon)", provider_id: "amazon-mcf_amazon-mcf", data: { service_tier: "STANDARD" } })

      const callsBefore = mcfCalls()
      const { orderId, fulfillment, ms } = await orderAndFulfil(2)
      figures.fulfillment_to_amazon_order_ms = ms
      expect(fulfillment.data).toMatchObject({ mcf_order_id: `mdsa-${fulfillment.id}` })
      const atAmazon = sim.control.listMcfOrders(ctx.sellerId)
      expect(atAmazon).toHaveLength(1)
      expect(atAmazon[0].order).toMatchObject({
        orderId: `mdsa-${fulfillment.id}`,
        status: "PROCESSING",
        lineItems: [expect.objectContaining({ product: expect.objectContaining({ productIdentifier: { amazonSku: "FBA-MUG" } }) })],
      })
      const [row] = await amazon.listAmazonMcfOrders({ fulfillment_id: fulfillment.id })
      expect(row).toMatchObject({ status: "processing", order_id: orderId, service_tier: "STANDARD", action: "SHIP" })
      // Medusa moved the FBA stock once: 10 → 8 stocked, the reservation used up
      expect(await fbaLevel(container, ctx.variantId, ctx.fbaLocationId)).toEqual({ stocked: 8, reserved: 0 })

      // Amazon ships: the tracking job records Medusa's shipment with Amazon's tracking number
      const shippedAtAmazon = sim.control.advanceMcfOrder(row.mcf_order_id, "shipped", ctx.sellerId)
      const pkg = (shippedAtAmazon.order as any).shipments[0].packages[0]
      expect(await trackMcfOrders(container)).toMatchObject({ shipped: 1, problems: 0 })
      const { data: shipped } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "fulfillment",
        fields: ["id", "shipped_at", "delivered_at", "labels.tracking_number", "labels.tracking_url"],
        filters: { id: fulfillment.id },
      })
      expect(shipped[0]).toMatchObject({ shipped_at: expect.anything(), labels: [expect.objectContaining({ tracking_number: pkg.tracking.carrier.trackingNumber })] })
      // ... then delivers: the fulfillment is delivered
      sim.control.advanceMcfOrder(row.mcf_order_id, "delivered", ctx.sellerId)
      expect(await trackMcfOrders(container)).toMatchObject({ delivered: 1 })
      expect(await amazon.retrieveAmazonMcfOrder(row.id)).toMatchObject({ status: "complete", delivered_at: expect.anything() })
      // a second pass changes nothing (idempotent)
      expect(await trackMcfOrders(container)).toMatchObject({ checked: 0, shipped: 0, delivered: 0 })

      // the FBA sync then reads Amazon's 8: the level stays 8 (fell once, not twice)
      expect((await runFbaStockSync(container, { account_id: ctx.accountId, marketplace_id: DE, mode: "full" })).status).toBe("done")
      expect(await fbaLevel(container, ctx.variantId, ctx.fbaLocationId)).toEqual({ stocked: 8, reserved: 0 })
      figures.calls_per_mcf_order = mcfCalls() - callsBefore

      // the admin lists it with its tracking
      const listed = await call(api, "get", `/admin/amazon/mcf-orders?order_id=${orderId}`, undefined, headers)
      expect(listed.data).toMatchObject({ count: 1, mcf_orders: [{ status: "complete", packages: [expect.objectContaining({ tracking_number: pkg.tracking.carrier.trackingNumber })] }] })
      expect(JSON.stringify(listed.data)).not.toContain("Str. 1")
    })

    it("places an MCF order exactly once when Amazon's answer is lost or the placing runs again after a crash", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      // Amazon takes the order, the answer arrives cut in half: the plugin asks by its own id instead of resending
      sim.control.injectFault({ type: "malformed-json", operation: "fulfillment-outbound-2026-07-04.createOrder" })
      const { fulfillment } = await orderAndFulfil(1)
      expect(sim.control.listMcfOrders(ctx.sellerId)).toHaveLength(1)
      // the process died after Amazon's answer and before the record: placing again (the tracking job does it for
      // a recorded order Amazon does not know; here the hook itself re-runs) finds Amazon's order
      const again = await placeMcfOrder(container, fulfillment.id)
      expect(again).toMatchObject({ mcf_order_id: `mdsa-${fulfillment.id}`, status: "processing" })
      expect(sim.control.listMcfOrders(ctx.sellerId)).toHaveLength(1)
      expect(await amazon.listAmazonMcfOrders({ fulfillment_id: fulfillment.id })).toHaveLength(1)

      // recorded, but the process died before calling Amazon (the fulfillment stands in Medusa, Amazon has
      // nothing): the tracking job places it, once
      const orderId = await placeStoreOrder(container, { ...ctx.store, shippingOptionId: ctx.mcfOptionId }, [{ variant_id: ctx.variantId, quantity: 1 }])
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data: lines } = await query.graph({ entity: "order", fields: ["items.id"], filters: { id: orderId } })
      const { data: variant } = await query.graph({ entity: "product_variant", fields: ["inventory_items.inventory_item_id"], filters: { id: ctx.variantId } })
      const made = await container.resolve(Modules.FULFILLMENT).createFulfillment({
        location_id: ctx.fbaLocationId,
        provider_id: "amazon-mcf_amazon-mcf",
        delivery_address: { first_name: "Erika", last_name: "Muster", address_1: "Str. 1", city: "Köln", postal_code: "50667", country_code: "de" },
        items: [{ title: "Mug", sku: "MUG", quantity: 1, barcode: "", line_item_id: (lines[0] as any).items[0].id, inventory_item_id: (variant[0] as any).inventory_items[0].inventory_item_id }],
        labels: [],
        order: {},
        data: { service_tier: "STANDARD" },
      } as never)
      await container.resolve(ContainerRegistrationKeys.LINK).create({ [Modules.ORDER]: { order_id: orderId }, [Modules.FULFILLMENT]: { fulfillment_id: made.id } })
      await amazon.createAmazonMcfOrders({
        account_id: ctx.accountId,
        marketplace_id: DE,
        mcf_order_id: `mdsa-${made.id}`,
        fulfillment_id: made.id,
        order_id: orderId,
        status: "requested",
        policy: "FILL_OR_KILL",
        service_tier: "STANDARD",
        lines: [] as never,
      })
      expect(sim.control.getMcfOrder(`mdsa-${made.id}`, ctx.sellerId)).toBeUndefined()
      await trackMcfOrders(container)
      expect(sim.control.getMcfOrder(`mdsa-${made.id}`, ctx.sellerId)?.order).toMatchObject({ status: "PROCESSING" })
      expect((await amazon.listAmazonMcfOrders({ fulfillment_id: made.id }))[0]).toMatchObject({ status: "processing" })
      await trackMcfOrders(container)
      expect(sim.control.listMcfOrders(ctx.sellerId)).toHaveLength(2)
    })

    it("holds MCF orders when the merchant says so, and releases them from the admin", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const settings = await call(api, "post", `/admin/amazon/accounts/${ctx.accountId}`, { settings: { mcf: { action: "HOLD", policy: "FILL_ALL_AVAILABLE" } } }, headers)
      expect(settings.status).toBe(200)
      const { fulfillment } = await orderAndFulfil(1)
      const [row] = await amazon.listAmazonMcfOrders({ fulfillment_id: fulfillment.id })
      expect(row).toMatchObject({ status: "held", action: "HOLD", policy: "FILL_ALL_AVAILABLE" })
      expect(sim.control.getMcfOrder(row.mcf_order_id, ctx.sellerId)?.order).toMatchObject({ fulfillmentConfiguration: expect.objectContaining({ action: "HOLD", policy: "FILL_ALL_AVAILABLE" }) })
      // held orders never ship by themselves
      sim.control.advanceClock(30 * 60_000)
      await trackMcfOrders(container)
      expect((await amazon.retrieveAmazonMcfOrder(row.id)).status).toBe("held")
      const released = await call(api, "post", `/admin/amazon/mcf-orders/${row.id}/release`, {}, headers)
      expect(released.status).toBe(200)
      expect(released.data.mcf_order).toMatchObject({ status: "processing" })
      expect(sim.control.getMcfOrder(row.mcf_order_id, ctx.sellerId)?.order).toMatchObject({ fulfillmentConfiguration: expect.objectContaining({ action: "SHIP" }) })
      expect((await call(api, "post", `/admin/amazon/mcf-orders/${row.id}/release`, {}, headers)).status).toBe(400)
      expect((await call(api, "post", "/admin/amazon/mcf-orders/amzmcf_missing/release", {}, headers)).status).toBe(404)
      expect((await call(api, "post", `/admin/amazon/mcf-orders/${row.id}/release`, { now: true }, headers)).status).toBe(400)
    })

    it("cancels at Amazon while Amazon allows it, refuses with Amazon's reason after, fails refused orders, and flags unfulfillable ones for re-allocation", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)

      // cancel early: Amazon cancels, the units go back to sellable FBA stock, Medusa's fulfillment is cancelled
      const early = await orderAndFulfil(2)
      const cancel = await call(api, "post", `/admin/orders/${early.orderId}/fulfillments/${early.fulfillment.id}/cancel`, {}, headers)
      expect(cancel.status).toBe(200)
      expect(sim.control.getMcfOrder(`mdsa-${early.fulfillment.id}`, ctx.sellerId)?.order).toMatchObject({ status: "CANCELLED" })
      expect(sim.control.listFbaInventory(ctx.sellerId).find((s) => s.sku === "FBA-MUG")).toMatchObject({ fulfillable: 10 })
      expect((await amazon.listAmazonMcfOrders({ fulfillment_id: early.fulfillment.id }))[0]).toMatchObject({ status: "cancelled", cancelled_by: "store" })

      // cancel too late: Amazon has shipped (Medusa does not know yet); the cancellation is refused with Amazon's reason
      const late = await orderAndFulfil(1)
      sim.control.advanceMcfOrder(`mdsa-${late.fulfillment.id}`, "shipped", ctx.sellerId)
      const refused = await call(api, "post", `/admin/orders/${late.orderId}/fulfillments/${late.fulfillment.id}/cancel`, {}, headers)
      expect(refused.status).toBeGreaterThanOrEqual(400)
      expect(refused.data.message).toMatch(/Amazon did not cancel MCF order .*(shipped|window)/i)
      const { data: stillThere } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "fulfillment", fields: ["id", "canceled_at"], filters: { id: late.fulfillment.id } })
      expect(stillThere[0].canceled_at).toBeNull()

      // Amazon's sellable stock fell behind Medusa's back (the FBA sync has not run since): all or nothing, so
      // Amazon cannot ship it and the fulfillment fails with Amazon's reason, nothing stays behind
      sim.control.setFbaStock({ sellerId: ctx.sellerId, sku: "FBA-MUG", fulfillable: 0 })
      const tooMany = await orderAndFulfil(1, { expectStatus: 400 })
      expect(tooMany.res.data.message).toMatch(/Amazon cannot ship it .*not enough sellable units of FBA-MUG/)
      const { data: noFulfillment } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["fulfillments.id", "fulfillments.canceled_at"], filters: { id: tooMany.orderId } })
      expect(((noFulfillment[0] as any).fulfillments ?? []).filter((f: any) => !f.canceled_at)).toEqual([])

      // unfulfillable after Amazon took it: flagged with what to do, then re-allocated to the store's own warehouse
      sim.control.setFbaStock({ sellerId: ctx.sellerId, sku: "FBA-MUG", fulfillable: 10 })
      sim.control.injectFault({ type: "mcf-unfulfillable", count: 1 })
      const doomed = await orderAndFulfil(1)
      sim.control.advanceClock(3 * 60_000)
      expect(await trackMcfOrders(container)).toMatchObject({ problems: 1 })
      const [doomedRow] = await amazon.listAmazonMcfOrders({ fulfillment_id: doomed.fulfillment.id })
      expect(doomedRow).toMatchObject({ status: "unfulfillable", last_error: expect.stringMatching(/Cancel the fulfillment in Medusa and fulfil the order from another location/) })
      const flagged = await amazon.listAmazonSyncLogs({ code: "MCF_UNFULFILLABLE", resolved_at: null })
      expect(flagged).toHaveLength(1)
      expect((await call(api, "post", `/admin/orders/${doomed.orderId}/fulfillments/${doomed.fulfillment.id}/cancel`, {}, headers)).status).toBe(200)
      const inventory = container.resolve(Modules.INVENTORY)
      const { data: items } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "product_variant", fields: ["inventory_items.inventory_item_id"], filters: { id: ctx.variantId } })
      await inventory.createInventoryLevels([{ inventory_item_id: (items[0] as any).inventory_items[0].inventory_item_id, location_id: ctx.store.locationIds[0], stocked_quantity: 5 }])
      const reallocated = await call(
        api,
        "post",
        `/admin/orders/${doomed.orderId}/fulfillments`,
        { items: [{ id: doomed.lineId, quantity: 1 }], location_id: ctx.store.locationIds[0], shipping_option_id: ctx.store.shippingOptionId },
        headers
      )
      expect(reallocated.status).toBe(200)
      await amazon.settleSyncLogs()
      expect(await amazon.listAmazonSyncLogs({ code: "MCF_UNFULFILLABLE", resolved_at: null })).toHaveLength(0)
    })
  },
})
