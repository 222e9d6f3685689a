/**
 * What staff do to an Amazon order in Medusa reaches Amazon (the in-process SP-API simulator):
 * - a Medusa shipment (fulfillment + shipment with a tracking label, through Medusa's admin API) becomes a
 *   confirmShipment with one package per fulfillment, sent once whatever happens;
 * - a backlog of confirmations goes out as a POST_ORDER_FULFILLMENT_DATA feed;
 * - cancelling an unshipped merchant-fulfilled order (the plugin's cancel route, or Medusa's own) becomes a
 *   POST_ORDER_ACKNOWLEDGEMENT_DATA feed; after a unit shipped the route refuses.
 */
import "../helpers/quiet-jobs"

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, type OrderSeed, type SimulatorHandle } from "../../simulator"
import amazonSendOrderActionsJob from "../../src/jobs/amazon-send-order-actions"
import { packageReferenceFor } from "../../src/lib/amazon/order-actions"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { recordAmazonShipmentActionWorkflow } from "../../src/workflows/order-actions/record-amazon-shipment-action"
import { recordMissedOrderActions, runAmazonOrderActions } from "../../src/workflows/order-actions/run-amazon-order-actions"
import type { SendAmazonOrderActionsSummary } from "../../src/workflows/order-actions/send-amazon-order-actions"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import { createAdminUser } from "../helpers/admin"
import { call, DE, waitFor } from "./admin-support"

jest.setTimeout(240_000)

const CONFIRM = "orders-v0.confirmShipment"
const GET_ORDER = "orders-2026-01-01.getOrder"
const CREATE_FEED = "feeds-2021-06-30.createFeed"

let sim: SimulatorHandle
let sellerSeq = 0
const figures: Record<string, unknown> = {}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: 1 })
})
afterAll(async () => {
  await sim?.close()
  process.stdout.write(`\nOrder action figures: ${JSON.stringify(figures)}\n`)
})

interface Store {
  accountId: string
  sellerId: string
  locationId: string
  skus: Record<string, { variantId: string }>
}

/** A store selling `skus` on Amazon.de (10 units each at one warehouse), mapped to MERCHANT listings. */
async function seedStore(container: MedusaContainer, skus: string[], settings: Record<string, unknown> = {}): Promise<Store> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  sim.control.reset()
  sellerSeq += 1
  const seller = {
    sellerId: `A1ACTIONS${sellerSeq}`,
    clientId: "amzn1.application-oa2-client.actions",
    clientSecret: "actions-secret",
    refreshToken: `Atzr|actions-${sellerSeq}`,
    marketplaceIds: [DE],
  }
  sim.control.seedSeller(seller)
  sim.control.seedListings(skus.map((sku) => ({ sku, quantity: 10, price: { amount: "19.90" } })))
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
      settings,
    },
  ])
  const store: Store = { accountId: account.id, sellerId: seller.sellerId, locationId: warehouse.id, skus: {} }
  const inventory = container.resolve(Modules.INVENTORY)
  for (const sku of skus) {
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
    const { data } = await query.graph({ entity: "product_variant", fields: ["inventory_items.inventory_item_id"], filters: { id: variantId } })
    const itemId = (data[0] as any).inventory_items[0].inventory_item_id
    await inventory.createInventoryLevels([{ inventory_item_id: itemId, location_id: warehouse.id, stocked_quantity: 10 }])
    const listing = await amazon.createAmazonListings({ account_id: account.id, marketplace_id: DE, seller_sku: sku })
    await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: variantId } })
    store.skus[sku] = { variantId }
  }
  return store
}

function seedOrder(store: Store, seed: Omit<OrderSeed, "sellerId">) {
  const at = new Date(sim.control.now() - 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z")
  return sim.control.seedOrder({ sellerId: store.sellerId, createdTime: at, lastUpdatedTime: at, fulfillmentStatus: "UNSHIPPED", ...seed })
}

/** The order import, as its job runs it (Amazon serves orders only 2 minutes after their last change). */
async function runImport(container: MedusaContainer, store: Store) {
  sim.control.advanceClock(130_000)
  const result = await importAmazonOrders(container, { account_id: store.accountId, wait_for_quota: true })
  expect(result).toMatchObject({ ran: true })
  return result
}

async function medusaOrder(container: MedusaContainer, amazonOrderId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "status", "metadata", "items.*", "shipping_methods.shipping_option_id"],
    filters: {},
  })
  const order = (data as any[]).find((o) => o.metadata?.amazon_order_id === amazonOrderId)
  expect(order).toBeTruthy()
  const lines = Object.fromEntries(order.items.map((i: any) => [i.metadata.amazon_order_item_id, i.id])) as Record<string, string>
  return { id: order.id as string, status: order.status as string, metadata: order.metadata, lines, shippingOptionId: order.shipping_methods?.[0]?.shipping_option_id ?? null }
}

/**
 * What staff need to fulfil an imported order in Medusa — a shipping option on the manual provider at the
 * warehouse behind the order's shipping method, and reservations tied to the line items — comes from the
 * order import. Checked here so a missing one fails with a clear message instead of inside Medusa.
 */
function expectFulfillable(order: { shippingOptionId: string | null }) {
  expect({ shipping_option_from_import: Boolean(order.shippingOptionId) }).toEqual({ shipping_option_from_import: true })
}

/** Staff ship units in Medusa's admin: a fulfillment, then a shipment with a tracking label. */
async function ship(
  api: any,
  headers: Record<string, string>,
  orderId: string,
  items: { id: string; quantity: number }[],
  tracking: string | null,
  locationId: string
): Promise<string> {
  const before = await call(api, "get", `/admin/orders/${orderId}?fields=id,fulfillments.id`, undefined, headers)
  const known = new Set((before.data.order.fulfillments as { id: string }[]).map((f) => f.id))
  const created = await call(api, "post", `/admin/orders/${orderId}/fulfillments?fields=id,fulfillments.id`, { items, location_id: locationId }, headers)
  expect([created.status, created.data?.message]).toEqual([200, undefined])
  const fresh = (created.data.order.fulfillments as { id: string }[]).filter((f) => !known.has(f.id))
  expect(fresh).toHaveLength(1)
  const fulfillmentId = fresh[0].id
  const shipped = await call(api, "post", `/admin/orders/${orderId}/fulfillments/${fulfillmentId}/shipments`, {
    items,
    labels: tracking ? [{ tracking_number: tracking, tracking_url: `https://tracking.example/${tracking}`, label_url: "https://labels.example/1.pdf" }] : [],
  }, headers)
  expect([shipped.status, shipped.data?.message]).toEqual([200, undefined])
  return fulfillmentId
}

async function actions(container: MedusaContainer, orderId: string) {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  return amazon.listAmazonOrderActions({ order_id: orderId }, { order: { created_at: "ASC" } })
}

/** The subscriber records asynchronously after the admin call returned. */
async function waitForActions(container: MedusaContainer, orderId: string, count: number) {
  return waitFor(`${count} action(s) of ${orderId}`, async () => {
    const rows = await actions(container, orderId)
    return rows.length >= count ? rows : null
  })
}

async function runJob(container: MedusaContainer, store: Store, options: { now?: Date; calls_per_run?: number } = {}) {
  const outcomes = await runAmazonOrderActions(container, {
    account_ids: [store.accountId],
    ...(options.now ? { now: options.now.toISOString() } : {}),
    ...(options.calls_per_run ? { calls_per_run: options.calls_per_run } : {}),
  })
  expect(outcomes).toHaveLength(1)
  expect(outcomes[0].status).toBe("done")
  return (outcomes[0] as { summary: SendAmazonOrderActionsSummary }).summary
}

function counter(operation: string) {
  return sim.control.counters()[operation]?.calls ?? 0
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>
    beforeEach(async () => {
      ;({ headers } = await createAdminUser(getContainer()))
    })

    describe("Medusa ships → Amazon knows", () => {
      it("confirms each Medusa shipment as one package with its tracking number: PARTIALLY_SHIPPED, then SHIPPED, never twice", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M", "MUG-1"], { carriers: { manual_manual: { code: "DHL", shipping_method: "Paket" } } })
        const amazonOrder = seedOrder(store, {
          orderItems: [
            { sellerSku: "TEE-M", quantityOrdered: 2, unitPrice: "19.90" },
            { sellerSku: "MUG-1", quantityOrdered: 1, unitPrice: "9.99" },
          ],
        })
        const [tee, mug] = amazonOrder.orderItems.map((i) => i.orderItemId)
        await runImport(container, store)
        const order = await medusaOrder(container, amazonOrder.orderId)
        expectFulfillable(order)

        // 1 of 3 units leaves: Amazon learns it on the next run, with the label's tracking number.
        const started = Date.now()
        const first = await ship(api, headers, order.id, [{ id: order.lines[tee], quantity: 1 }], "TRACK-0001", store.locationId)
        const [queued] = await waitForActions(container, order.id, 1)
        figures.shipment_recorded_ms = Date.now() - started
        expect(queued).toMatchObject({
          kind: "confirm_shipment",
          status: "queued",
          idempotency_key: `ship:${first}`,
          fulfillment_id: first,
          amazon_order_id: amazonOrder.orderId,
          package_reference: packageReferenceFor(first),
          payload: { tracking_number: "TRACK-0001", items: [{ order_item_id: tee, quantity: 1 }] },
        })
        const runStarted = Date.now()
        const run1 = await runJob(container, store)
        figures.first_run_ms = Date.now() - runStarted
        expect(run1.calls).toEqual({ done: 1, already_confirmed: 0, failed: 0, retried: 0 })
        let atAmazon = sim.control.getOrder(amazonOrder.orderId)!
        expect(atAmazon.fulfillment?.fulfillmentStatus).toBe("PARTIALLY_SHIPPED")
        expect(atAmazon.packages).toEqual([
          expect.objectContaining({
            packageReferenceId: packageReferenceFor(first),
            trackingNumber: "TRACK-0001",
            packageItems: [{ orderItemId: tee, quantity: 1 }],
          }),
        ])
        const [shipmentRecord] = sim.control.listShipments()
        expect(shipmentRecord).toMatchObject({ carrierCode: "DHL", shippingMethod: "Paket", trackingNumber: "TRACK-0001" })
        expect((await actions(container, order.id))[0]).toMatchObject({ status: "done", channel: "call", attempts: 1, last_error: null })
        figures.shipment_to_amazon_ms = Date.now() - started

        // The other 2 units in a second package → SHIPPED.
        const second = await ship(
          api,
          headers,
          order.id,
          [{ id: order.lines[tee], quantity: 1 }, { id: order.lines[mug], quantity: 1 }],
          "TRACK-0002",
          store.locationId
        )
        await waitForActions(container, order.id, 2)
        await runJob(container, store)
        atAmazon = sim.control.getOrder(amazonOrder.orderId)!
        expect(atAmazon.fulfillment?.fulfillmentStatus).toBe("SHIPPED")
        expect(atAmazon.packages?.map((p) => [p.packageReferenceId, p.trackingNumber])).toEqual([
          [packageReferenceFor(first), "TRACK-0001"],
          [packageReferenceFor(second), "TRACK-0002"],
        ])

        // Nothing is confirmed twice: another run, and the same shipment event again, send nothing.
        const confirmsBefore = counter(CONFIRM)
        expect(confirmsBefore).toBe(2)
        const idle = await runJob(container, store)
        expect(idle.calls).toEqual({ done: 0, already_confirmed: 0, failed: 0, retried: 0 })
        await amazonSendOrderActionsJob(container)
        const { result: again } = await recordAmazonShipmentActionWorkflow(container).run({ input: { fulfillment_id: first } })
        expect(again).toMatchObject({ created: false })
        await runJob(container, store)
        expect(counter(CONFIRM)).toBe(confirmsBefore)
        expect(await actions(container, order.id)).toHaveLength(2)

        // The order page shows both packages as confirmed.
        const view = await call(api, "get", `/admin/amazon/order-actions/${order.id}`, undefined, headers)
        expect(view.status).toBe(200)
        expect(view.data).toMatchObject({
          amazon_order: { amazon_order_id: amazonOrder.orderId, fulfillment_channel: "MERCHANT" },
          cancellation_request: null,
          cancel_refusal: expect.stringMatching(/shipped|cancel/i),
          actions: [
            { kind: "confirm_shipment", status: "done", fulfillment_id: first, payload: { tracking_number: "TRACK-0001", carrier_code: "DHL" } },
            { kind: "confirm_shipment", status: "done", fulfillment_id: second, payload: { tracking_number: "TRACK-0002" } },
          ],
        })
        expect(view.data.cancel_reasons).toContain("BuyerCanceled")

        // The import then reads Amazon's SHIPPED order with our two packages: no third fulfillment, no
        // second stock decrement, nothing sent back.
        const levels = async () =>
          (await container.resolve(Modules.INVENTORY).listInventoryLevels({ location_id: store.locationId }))
            .map((l) => [l.inventory_item_id, Number(l.stocked_quantity), Number(l.reserved_quantity)])
            .sort()
        const stockBefore = await levels()
        expect(stockBefore.map(([, stocked, reserved]) => [stocked, reserved]).sort()).toEqual([[8, 0], [9, 0]])
        await runImport(container, store)
        const { data: after } = await container
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "order", fields: ["id", "fulfillments.id"], filters: { id: order.id } })
        expect((after[0] as any).fulfillments.map((f: { id: string }) => f.id).sort()).toEqual([first, second].sort())
        expect(await levels()).toEqual(stockBefore)
        await new Promise((r) => setTimeout(r, 300))
        await runJob(container, store)
        expect(await actions(container, order.id)).toHaveLength(2)
        expect(counter(CONFIRM)).toBe(confirmsBefore)
      })

      it("a refused confirmation is failed with Amazon's message and a sync-log error; one Amazon answered garbled is re-read, not resent", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const store = await seedStore(container, ["TEE-M", "MUG-1"])
        const amazonOrder = seedOrder(store, {
          orderItems: [
            { sellerSku: "TEE-M", quantityOrdered: 1, unitPrice: "19.90" },
            { sellerSku: "MUG-1", quantityOrdered: 1, unitPrice: "9.99" },
          ],
        })
        const [tee, mug] = amazonOrder.orderItems.map((i) => i.orderItemId)
        await runImport(container, store)
        const order = await medusaOrder(container, amazonOrder.orderId)
        expectFulfillable(order)

        // A line item whose Amazon id Amazon does not know (tampered metadata): Amazon refuses.
        const orders = container.resolve(Modules.ORDER)
        await orders.updateOrderLineItems(order.lines[mug], { metadata: { amazon_order_item_id: "99999999999999" } })
        const refused = await ship(api, headers, order.id, [{ id: order.lines[mug], quantity: 1 }], "TRACK-BAD", store.locationId)
        await waitForActions(container, order.id, 1)
        const run = await runJob(container, store)
        expect(run.calls).toMatchObject({ done: 0, failed: 1 })
        const [failed] = await actions(container, order.id)
        expect(failed).toMatchObject({
          fulfillment_id: refused,
          status: "failed",
          last_error_code: "InvalidInput",
          last_error: expect.stringMatching(/order item 99999999999999 is not part of order.*Seller Central/),
        })
        const logs = await amazon.listAmazonSyncLogs({ account_id: store.accountId, stream: "order_actions", level: "error" })
        expect(logs).toEqual([expect.objectContaining({ code: "InvalidInput", message: expect.stringContaining("is not part of order") })])
        expect(sim.control.getOrder(amazonOrder.orderId)!.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")

        // Amazon records the package but its answer arrives garbled: no way to know it went through.
        sim.control.injectFault({ type: "malformed-json", operation: CONFIRM })
        const garbled = await ship(api, headers, order.id, [{ id: order.lines[tee], quantity: 1 }], "TRACK-0003", store.locationId)
        await waitForActions(container, order.id, 2)
        const unsure = await runJob(container, store)
        expect(unsure.calls).toMatchObject({ done: 0, retried: 1 })
        let row = (await actions(container, order.id)).find((a) => a.fulfillment_id === garbled)!
        expect(row).toMatchObject({ status: "queued", last_error_code: "MalformedResponse", attempts: 1 })
        expect(sim.control.getOrder(amazonOrder.orderId)!.packages).toHaveLength(1)

        // Not yet due: nothing happens. Once due, the package is found at Amazon and not sent again.
        const confirms = counter(CONFIRM)
        await runJob(container, store)
        expect(counter(CONFIRM)).toBe(confirms)
        const due = await runJob(container, store, { now: new Date(Date.now() + 3 * 60_000) })
        expect(due.calls).toEqual({ done: 1, already_confirmed: 1, failed: 0, retried: 0 })
        expect(counter(CONFIRM)).toBe(confirms)
        expect(counter(GET_ORDER)).toBeGreaterThanOrEqual(1)
        row = (await actions(container, order.id)).find((a) => a.fulfillment_id === garbled)!
        expect(row).toMatchObject({ status: "done", attempts: 2, last_error_code: null })
        expect(sim.control.getOrder(amazonOrder.orderId)!.packages).toHaveLength(1)
      })

      it("a backlog larger than a minute of confirmShipment goes out as one POST_ORDER_FULFILLMENT_DATA feed", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M"])
        const amazonOrder = seedOrder(store, { orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 3, unitPrice: "19.90" }] })
        const tee = amazonOrder.orderItems[0].orderItemId
        await runImport(container, store)
        const order = await medusaOrder(container, amazonOrder.orderId)
        expectFulfillable(order)
        const fulfillments: string[] = []
        for (const n of [1, 2, 3]) {
          fulfillments.push(await ship(api, headers, order.id, [{ id: order.lines[tee], quantity: 1 }], `FEED-${n}`, store.locationId))
        }
        await waitForActions(container, order.id, 3)

        // 3 fresh confirmations with room for 2 calls: all three in one feed, no call.
        const submitted = await runJob(container, store, { calls_per_run: 2 })
        expect(submitted.feeds_submitted).toEqual([expect.objectContaining({ feed_type: "POST_ORDER_FULFILLMENT_DATA", marketplace_id: DE, messages: 3 })])
        expect(counter(CONFIRM)).toBe(0)
        const feedId = submitted.feeds_submitted[0].feed_id
        const feed = sim.control.getFeed(feedId)!
        expect(feed.inputDocument).toContain("<MessageType>OrderFulfillment</MessageType>")
        expect(feed.inputDocument).toContain(`<MerchantFulfillmentID>${packageReferenceFor(fulfillments[0])}</MerchantFulfillmentID>`)
        expect((await actions(container, order.id)).map((a) => [a.status, a.channel, a.feed_id])).toEqual([
          ["sending", "feed", feedId],
          ["sending", "feed", feedId],
          ["sending", "feed", feedId],
        ])

        // Amazon processes it; the next run reads the report.
        sim.control.advanceClock(40_000)
        const read = await runJob(container, store)
        expect(read.feed_results).toMatchObject({ finished: 1, done: 3, failed: 0 })
        expect((await actions(container, order.id)).map((a) => a.status)).toEqual(["done", "done", "done"])
        const atAmazon = sim.control.getOrder(amazonOrder.orderId)!
        expect(atAmazon.fulfillment?.fulfillmentStatus).toBe("SHIPPED")
        expect(atAmazon.packages?.map((p) => p.packageReferenceId).sort()).toEqual(fulfillments.map(packageReferenceFor).sort())
        expect(atAmazon.packages?.map((p) => p.trackingNumber).sort()).toEqual(["FEED-1", "FEED-2", "FEED-3"])
        expect(counter(CREATE_FEED)).toBe(1)
      })
    })

    describe("Medusa cancels → Amazon cancels", () => {
      it("the cancel route cancels an unshipped order here and at Amazon (acknowledgement feed); a buyer's request is shown until accepted", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M"])
        const amazonOrder = seedOrder(store, { orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 2, unitPrice: "19.90" }] })
        sim.control.requestBuyerCancellation(amazonOrder.orderId, { reason: "ORDERED_BY_MISTAKE" })
        await runImport(container, store)
        const order = await medusaOrder(container, amazonOrder.orderId)

        const before = await call(api, "get", `/admin/amazon/order-actions/${order.id}`, undefined, headers)
        expect(before.data).toMatchObject({
          amazon_order: { amazon_order_id: amazonOrder.orderId, status: "UNSHIPPED" },
          cancellation_request: { requested_by: "BUYER", reason: "ORDERED_BY_MISTAKE" },
          cancel_refusal: null,
          actions: [],
        })

        // Validation: only Amazon's reasons, no other fields, an admin session.
        for (const body of [{ reason: "Because" }, {}, { reason: "BuyerCanceled", extra: 1 }]) {
          const bad = await call(api, "post", `/admin/amazon/order-actions/${order.id}/cancel`, body, headers)
          expect(bad.status).toBe(400)
        }
        expect((await call(api, "post", `/admin/amazon/order-actions/${order.id}/cancel`, { reason: "BuyerCanceled" })).status).toBe(401)

        // "Accept cancellation".
        const accepted = await call(api, "post", `/admin/amazon/order-actions/${order.id}/cancel`, { reason: "BuyerCanceled" }, headers)
        expect(accepted.status).toBe(200)
        expect(accepted.data).toMatchObject({
          cancellation_request: null,
          actions: [{ kind: "cancel", status: "queued", payload: { reason: "BuyerCanceled", items: [{ order_item_id: amazonOrder.orderItems[0].orderItemId, quantity: 2 }] } }],
        })
        expect(accepted.data.action_id).toBe(accepted.data.actions[0].id)
        expect((await medusaOrder(container, amazonOrder.orderId)).status).toBe("canceled")
        // The order.canceled subscriber finds it recorded: still one row.
        await new Promise((r) => setTimeout(r, 500))
        expect(await actions(container, order.id)).toHaveLength(1)
        const again = await call(api, "post", `/admin/amazon/order-actions/${order.id}/cancel`, { reason: "BuyerCanceled" }, headers)
        expect(again.status).toBe(400)
        expect(again.data.message).toMatch(/already cancelled/)

        // The job sends it as an acknowledgement feed; Amazon cancels once it has processed it.
        const sent = await runJob(container, store)
        expect(sent.feeds_submitted).toEqual([expect.objectContaining({ feed_type: "POST_ORDER_ACKNOWLEDGEMENT_DATA", messages: 1 })])
        const feed = sim.control.getFeed(sent.feeds_submitted[0].feed_id)!
        expect(feed.inputDocument).toMatch(/<StatusCode>Failure<\/StatusCode>[\s\S]*<CancelReason>BuyerCanceled<\/CancelReason>/)
        expect(sim.control.getOrder(amazonOrder.orderId)!.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")
        sim.control.advanceClock(40_000)
        const read = await runJob(container, store)
        expect(read.feed_results).toMatchObject({ done: 1, failed: 0 })
        expect(sim.control.getOrder(amazonOrder.orderId)!.fulfillment?.fulfillmentStatus).toBe("CANCELLED")
        expect((await actions(container, order.id))[0]).toMatchObject({ status: "done", channel: "feed", last_error: null })
      })

      it("removing an Amazon item in a Medusa order edit cancels that item at Amazon once; its units are not reserved again; keeping part of an item is refused", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M", "TEE-L"], { default_cancel_reason: "NoInventory" })
        const amazonOrder = seedOrder(store, {
          orderItems: [
            { sellerSku: "TEE-M", quantityOrdered: 2, unitPrice: "19.90" },
            { sellerSku: "TEE-L", quantityOrdered: 1, unitPrice: "19.90" },
          ],
        })
        const [itemM, itemL] = amazonOrder.orderItems.map((i) => i.orderItemId)
        await runImport(container, store)
        const order = await medusaOrder(container, amazonOrder.orderId)
        const inventory = container.resolve(Modules.INVENTORY)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const levelOf = async (sku: string) => {
          const { data } = await query.graph({ entity: "product_variant", fields: ["inventory_items.inventory_item_id"], filters: { id: store.skus[sku].variantId } })
          const [level] = await inventory.listInventoryLevels({ inventory_item_id: (data[0] as any).inventory_items[0].inventory_item_id, location_id: store.locationId })
          return { stocked: Number(level.stocked_quantity), reserved: Number(level.reserved_quantity) }
        }
        expect([await levelOf("TEE-M"), await levelOf("TEE-L")]).toEqual([{ stocked: 10, reserved: 2 }, { stocked: 10, reserved: 1 }])

        // Staff remove TEE-L with Medusa's order edit (the admin's "Remove" sets the quantity to what was fulfilled: 0).
        const edit = async (line: string, quantity: number) => {
          const begun = await call(api, "post", `/admin/order-edits`, { order_id: order.id }, headers)
          expect([begun.status, begun.data?.message]).toEqual([200, undefined])
          const changed = await call(api, "post", `/admin/order-edits/${order.id}/items/item/${line}`, { quantity }, headers)
          expect([changed.status, changed.data?.message]).toEqual([200, undefined])
          expect((await call(api, "post", `/admin/order-edits/${order.id}/request`, {}, headers)).status).toBe(200)
          const confirmed = await call(api, "post", `/admin/order-edits/${order.id}/confirm`, {}, headers)
          expect([confirmed.status, confirmed.data?.message]).toEqual([200, undefined])
        }
        await edit(order.lines[itemL], 0)
        const [cancel] = await waitForActions(container, order.id, 1)
        expect(cancel).toMatchObject({
          kind: "cancel",
          status: "queued",
          idempotency_key: `cancel:${order.id}:items:${itemL}`,
          payload: { reason: "NoInventory", reason_source: "account", items: [{ order_item_id: itemL, quantity: 1 }] },
        })
        // Had the subscriber missed the edit (a crash right after Medusa's workflow), the job's sweep records it.
        await container.resolve<AmazonModuleService>(AMAZON_MODULE).deleteAmazonOrderActions(cancel.id)
        expect(await recordMissedOrderActions(container)).toBe(0) // the subscriber gets 2 minutes first
        expect(await recordMissedOrderActions(container, new Date(Date.now() + 3 * 60_000))).toBe(1)
        expect(await actions(container, order.id)).toEqual([expect.objectContaining({ idempotency_key: `cancel:${order.id}:items:${itemL}`, status: "queued" })])
        expect(await recordMissedOrderActions(container, new Date(Date.now() + 3 * 60_000))).toBe(0)
        // Medusa's edit released TEE-L's reservation; the import, run before Amazon has heard, does not reserve it again.
        expect([await levelOf("TEE-M"), await levelOf("TEE-L")]).toEqual([{ stocked: 10, reserved: 2 }, { stocked: 10, reserved: 0 }])
        await runImport(container, store)
        expect([await levelOf("TEE-M"), await levelOf("TEE-L")]).toEqual([{ stocked: 10, reserved: 2 }, { stocked: 10, reserved: 0 }])

        // The job sends one acknowledgement naming only TEE-L; Amazon cancels that item, the order goes on.
        const sent = await runJob(container, store)
        expect(sent.feeds_submitted).toEqual([expect.objectContaining({ feed_type: "POST_ORDER_ACKNOWLEDGEMENT_DATA", messages: 1 })])
        const xml = sim.control.getFeed(sent.feeds_submitted[0].feed_id)!.inputDocument
        expect(xml).toContain(`<AmazonOrderItemCode>${itemL}</AmazonOrderItemCode>`)
        expect(xml).not.toContain(`<AmazonOrderItemCode>${itemM}</AmazonOrderItemCode>`)
        sim.control.advanceClock(40_000)
        expect((await runJob(container, store)).feed_results).toMatchObject({ done: 1, failed: 0 })
        const atAmazon = sim.control.getOrder(amazonOrder.orderId)!
        expect(atAmazon.fulfillment?.fulfillmentStatus).toBe("UNSHIPPED")
        expect(atAmazon.orderItems.map((i) => [i.orderItemId, Boolean(i.cancellation?.cancellationExecution)])).toEqual([
          [itemM, false],
          [itemL, true],
        ])
        // Amazon's cancelled item comes back in the import: nothing moves twice, nothing is recorded twice.
        await runImport(container, store)
        expect([await levelOf("TEE-M"), await levelOf("TEE-L")]).toEqual([{ stocked: 10, reserved: 2 }, { stocked: 10, reserved: 0 }])
        await new Promise((r) => setTimeout(r, 500))
        expect(await actions(container, order.id)).toHaveLength(1)

        // Keeping 1 of TEE-M's 2 units: Amazon cancels whole items only, so nothing is sent and staff are told.
        await edit(order.lines[itemM], 1)
        const rows = await waitForActions(container, order.id, 2)
        expect(rows[1]).toMatchObject({ kind: "cancel", status: "failed", last_error_code: "PARTIAL_ITEM_CANCEL", last_error: expect.stringContaining(itemM) })
        const logs = await container.resolve<AmazonModuleService>(AMAZON_MODULE).listAmazonSyncLogs({ code: "PARTIAL_ITEM_CANCEL" })
        expect(logs).toHaveLength(1)
        expect(await runJob(container, store)).toMatchObject({ feeds_submitted: [] })
        // Medusa's edit deleted our reservation of TEE-M (and made none: the Amazon channel has no location); the
        // order is applied again at once, so the unit TEE-M keeps is held, and only that one, also after the next import.
        await waitFor("TEE-M reserved again", async () => ((await levelOf("TEE-M")).reserved === 1 ? true : null))
        await runImport(container, store)
        expect([await levelOf("TEE-M"), await levelOf("TEE-L")]).toEqual([{ stocked: 10, reserved: 1 }, { stocked: 10, reserved: 0 }])
        expect(await inventory.listReservationItems({ line_item_id: order.lines[itemM] })).toHaveLength(1)
      })

      it("Medusa's own cancel sends the account's default reason; Amazon's own cancellations are never echoed; after a shipment the route answers 400", async () => {
        const container = getContainer()
        const store = await seedStore(container, ["TEE-M"], { default_cancel_reason: "NoInventory" })
        const mine = seedOrder(store, { orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 1, unitPrice: "19.90" }] })
        const theirs = seedOrder(store, { orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 1, unitPrice: "19.90" }] })
        const shipped = seedOrder(store, { orderItems: [{ sellerSku: "TEE-M", quantityOrdered: 3, unitPrice: "19.90" }] })
        await runImport(container, store)

        // Medusa's own cancel button: the subscriber records it with the account's default reason.
        const m = await medusaOrder(container, mine.orderId)
        const cancelled = await call(api, "post", `/admin/orders/${m.id}/cancel`, {}, headers)
        expect(cancelled.status).toBe(200)
        const [cancel] = await waitForActions(container, m.id, 1)
        expect(cancel).toMatchObject({ kind: "cancel", status: "queued", payload: { reason: "NoInventory", reason_source: "account" } })
        // Had the subscriber missed it (a crash right after Medusa's workflow), the job's sweep records it.
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        await amazon.deleteAmazonOrderActions(cancel.id)
        expect(await recordMissedOrderActions(container)).toBe(0) // the subscriber gets 2 minutes first
        expect(await recordMissedOrderActions(container, new Date(Date.now() + 3 * 60_000))).toBe(1)
        const [swept] = await actions(container, m.id)
        expect(swept).toMatchObject({ kind: "cancel", status: "queued", idempotency_key: `cancel:${m.id}`, payload: { reason: "NoInventory" } })

        // Amazon cancels an order itself: the import cancels it here, and nothing goes back.
        sim.control.transitionOrder(theirs.orderId, { to: "CANCELLED", cancelledBy: "BUYER" })
        await runImport(container, store)
        const t = await medusaOrder(container, theirs.orderId)
        expect(t.status).toBe("canceled")
        // Marked before it was cancelled, so the order actions know it came from Amazon whatever runs first.
        expect(t.metadata).toMatchObject({ amazon_cancelled_by_amazon: true, amazon_order_id: theirs.orderId })

        // One unit shipped (and confirmed): the route refuses, saying why.
        const s = await medusaOrder(container, shipped.orderId)
        expectFulfillable(s)
        await ship(api, headers, s.id, [{ id: s.lines[shipped.orderItems[0].orderItemId], quantity: 1 }], "TRACK-S", store.locationId)
        await waitForActions(container, s.id, 1)
        await runJob(container, store)
        const refused = await call(api, "post", `/admin/amazon/order-actions/${s.id}/cancel`, { reason: "NoInventory" }, headers)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/Cannot cancel: .*(shipped|PARTIALLY_SHIPPED).*refund/i)
        expect((await medusaOrder(container, shipped.orderId)).status).not.toBe("canceled")

        // Only the store's own cancellation went to Amazon; the sweep finds nothing more to record.
        await new Promise((r) => setTimeout(r, 500))
        expect(await recordMissedOrderActions(container, new Date(Date.now() + 3 * 60_000))).toBe(0)
        expect(await actions(container, t.id)).toHaveLength(0)
        expect((await actions(container, s.id)).map((a) => a.kind)).toEqual(["confirm_shipment"])
        sim.control.advanceClock(40_000)
        await runJob(container, store)
        expect(sim.control.getOrder(mine.orderId)!.fulfillment?.fulfillmentStatus).toBe("CANCELLED")
        expect(sim.control.getOrder(shipped.orderId)!.fulfillment?.fulfillmentStatus).toBe("PARTIALLY_SHIPPED")
      })
    })
  },
})
