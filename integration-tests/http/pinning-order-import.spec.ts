/**
 * Pinning tests for the Amazon order import (issue 15) when Amazon fails mid-backlog: searchOrders 5xx, an
 * expired page token, an unreadable answer, the quota running out. Whatever happens, the next run resumes
 * from the right point (page token or watermark) and every Amazon order ends up exactly once: one Medusa
 * order, one amazon_order record, its stock moved once.
 *
 * Written against the import's contract (orders, records, cursor, stock, the run summary), not its
 * internals, so it holds while the import itself changes. Pages are made small (2 orders instead of
 * Amazon's 100) by a wrapper around SpApi.searchOrders that only changes maxResultsPerPage (a parameter
 * Amazon allows to change between pages); every call still goes through the plugin's SP-API client to the simulator.
 */
import "../helpers/quiet-jobs"
import type { IInventoryService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { randomBytes } from "node:crypto"
import { startSimulator, type OrderSeed, type SimulatorHandle } from "../../simulator"
import { SpApi } from "../../src/lib/amazon/api"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import type { MarketplaceImportSummary } from "../../src/workflows/order-import/import-amazon-orders"

jest.setTimeout(240_000)

const DE = "A1PA6795UKMFR9"
const SEARCH_ORDERS = "orders-2026-01-01.searchOrders"
const PAGE_SIZE = 2
const STOCK = 10

type SearchQuery = Parameters<SpApi["searchOrders"]>[0]
type SearchResult = Awaited<ReturnType<SpApi["searchOrders"]>>

interface Store {
  sim: SimulatorHandle
  accountId: string
  sellerId: string
  locationId: string
  /** sku → variant + inventory item */
  skus: Record<string, { variantId: string; itemId: string }>
}

/**
 * Every searchOrders call of the plugin, with 2 orders a page. `around` may act before a call (inject a
 * fault, move the clock) or replace its answer; calls are numbered from 1 since the last reset.
 */
function pageWrapper() {
  const original = SpApi.prototype.searchOrders
  const state = {
    calls: [] as SearchQuery[],
    before: undefined as ((n: number, query: SearchQuery) => void) | undefined,
    answer: undefined as ((n: number, res: SearchResult) => SearchResult) | undefined,
  }
  SpApi.prototype.searchOrders = async function (this: SpApi, query: SearchQuery) {
    state.calls.push({ ...query })
    const n = state.calls.length
    state.before?.(n, query)
    const res = await original.call(this, { ...query, maxResultsPerPage: PAGE_SIZE })
    return state.answer ? state.answer(n, res) : res
  }
  return {
    state,
    reset() {
      state.calls = []
      state.before = undefined
      state.answer = undefined
    },
    restore() {
      SpApi.prototype.searchOrders = original
    },
  }
}

/**
 * A simulator of its own (a test may move its clock by a day or change a usage plan), a store with one
 * warehouse, `skus` at STOCK units each mapped to MERCHANT listings, and an account pointing there. The
 * seller is new every time, so the SP-API client's quota buckets (per seller) start full.
 */
async function seedStore(container: MedusaContainer, skus: string[]): Promise<Store> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  const sim = await startSimulator({ port: 0, timeScale: 1 })
  const suffix = randomBytes(4).toString("hex").toUpperCase()
  const seller = {
    sellerId: `A1PIN${suffix}`,
    clientId: `amzn1.application-oa2-client.pin${suffix.toLowerCase()}`,
    clientSecret: `pin-secret-${suffix}`,
    refreshToken: `Atzr|pin-${suffix}`,
    marketplaceIds: [DE],
  }
  sim.control.seedSeller(seller)
  sim.control.seedListings(skus.map((sku) => ({ sku, quantity: STOCK, price: { amount: "19.90" } })))
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
  const store: Store = { sim, accountId: account.id, sellerId: seller.sellerId, locationId: warehouse.id, skus: {} }
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
    const itemId = (data[0] as { inventory_items: { inventory_item_id: string }[] }).inventory_items[0].inventory_item_id
    await inventory.createInventoryLevels([{ inventory_item_id: itemId, location_id: warehouse.id, stocked_quantity: STOCK }])
    const listing = await amazon.createAmazonListings({ account_id: account.id, marketplace_id: DE, seller_sku: sku })
    await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: variantId } })
    store.skus[sku] = { variantId, itemId }
  }
  return store
}

/**
 * `count` Amazon orders, one a minute, the oldest 40 minutes ago: order i buys 1 unit of skus[i % n]
 * (UNSHIPPED, or as `status(i)` says).
 */
interface Seeded {
  orderId: string
  createdTime: string
  status: OrderSeed["fulfillmentStatus"]
  sku: string
}

function seedBacklog(store: Store, count: number, status: (i: number) => OrderSeed["fulfillmentStatus"] = () => "UNSHIPPED"): Seeded[] {
  const skus = Object.keys(store.skus)
  const now = store.sim.control.now()
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(now - (40 - i) * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z")
    const sku = skus[i % skus.length]
    const order = store.sim.control.seedOrder({
      sellerId: store.sellerId,
      createdTime: at,
      lastUpdatedTime: at,
      fulfillmentStatus: status(i),
      buyer: { buyerEmail: `buyer${i}@marketplace.amazon.de` },
      orderItems: [{ sellerSku: sku, quantityOrdered: 1, unitPrice: "19.90" }],
    })
    return { orderId: order.orderId, createdTime: order.createdTime, status: status(i), sku }
  })
}

async function run(container: MedusaContainer, store: Store, extra: Record<string, unknown> = {}): Promise<MarketplaceImportSummary> {
  const result = await importAmazonOrders(container, { account_id: store.accountId, wait_for_quota: true, ...extra })
  expect(result).toMatchObject({ ran: true })
  return result.marketplaces[0]
}

async function cursorOf(container: MedusaContainer, store: Store) {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [cursor] = await amazon.listAmazonSyncCursors({ account_id: store.accountId, stream: "orders", scope: DE })
  return cursor as unknown as { watermark: Date | null; last_error: string | null; state: { resume?: { last_updated_after: string; pagination_token: string } | null } }
}

async function levels(container: MedusaContainer, store: Store) {
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  const out: Record<string, { stocked: number; reserved: number }> = {}
  for (const [sku, { itemId }] of Object.entries(store.skus)) {
    const [l] = await inventory.listInventoryLevels({ inventory_item_id: itemId, location_id: store.locationId })
    out[sku] = { stocked: Number(l.stocked_quantity), reserved: Number(l.reserved_quantity) }
  }
  return out
}

/**
 * The import's contract for these Amazon orders: exactly `imported` of them (the first ones) each have one
 * Medusa order and one imported amazon_order record linked to it; the others have neither; there is no
 * other order or record; the store's stock moved once per imported unit (held for an unshipped order,
 * taken for a shipped one).
 */
async function expectImportedOnce(container: MedusaContainer, store: Store, seeds: Seeded[], imported: number) {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = await query.graph({ entity: "order", fields: ["id", "metadata"] })
  const records = await amazon.listAmazonOrders({}, { take: 1000 })
  const ordersById = new Map<string, string[]>()
  for (const o of orders as { id: string; metadata: Record<string, unknown> | null }[]) {
    const key = String(o.metadata?.amazon_order_id)
    ordersById.set(key, [...(ordersById.get(key) ?? []), o.id])
  }
  const want = seeds.slice(0, imported).map((s) => s.orderId)
  expect(orders).toHaveLength(imported)
  expect(records).toHaveLength(imported)
  for (const id of want) {
    const medusa = ordersById.get(id) ?? []
    expect({ id, medusa_orders: medusa.length }).toEqual({ id, medusa_orders: 1 })
    const rows = records.filter((r) => r.amazon_order_id === id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ import_status: "imported", order_id: medusa[0] })
  }
  const expected: Record<string, { stocked: number; reserved: number }> = {}
  for (const sku of Object.keys(store.skus)) expected[sku] = { stocked: STOCK, reserved: 0 }
  for (const s of seeds.slice(0, imported)) {
    if (s.status === "SHIPPED") expected[s.sku].stocked -= 1
    else expected[s.sku].reserved += 1
  }
  expect(await levels(container, store)).toEqual(expected)
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    let pages: ReturnType<typeof pageWrapper>
    let store: Store | undefined

    beforeEach(() => {
      pages = pageWrapper()
    })
    afterEach(async () => {
      pages.restore()
      await store?.sim.close()
      store = undefined
    })

    it("searchOrders failing with 5xx on page 2: the run stops there (cursor keeps the page token, watermark untouched, the failure logged), the next run resumes at page 2; nothing lost or doubled", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      store = await seedStore(container, ["TEE-M", "MUG-1"])
      const s = store
      const seeds = seedBacklog(s, 6)

      // Every attempt of page 2 answers 500 (the SP-API client tries 5 times).
      pages.state.before = (n) => n === 2 && s.sim.control.injectFault({ type: "server-error", operation: "searchOrders", count: 5 })
      const failed = await run(container, s)
      expect(failed).toMatchObject({ status: "failed", pages: 1, calls: 2, orders: 2, imported: 2, failed: 0 })
      expect(failed.error).toMatch(/^InternalFailure: /)
      const page2Token = pages.state.calls[1].paginationToken
      expect(page2Token).toEqual(expect.any(String))
      let cursor = await cursorOf(container, s)
      expect(cursor.watermark).toBeNull()
      expect(cursor.last_error).toMatch(/^InternalFailure: /)
      expect(cursor.state.resume).toMatchObject({ last_updated_after: failed.last_updated_after, pagination_token: page2Token })
      const logs = await amazon.listAmazonSyncLogs({ account_id: s.accountId, stream: "orders", code: "InternalFailure" })
      expect(logs).toEqual([expect.objectContaining({ context: expect.objectContaining({ marketplace_id: DE, page: 2 }) })])
      expect(s.sim.control.counters()[SEARCH_ORDERS]).toMatchObject({ serverErrors: 5 })
      await expectImportedOnce(container, s, seeds, 2)

      // The next run starts with the stored token (page 2), not page 1.
      pages.reset()
      const resumed = await run(container, s)
      expect(pages.state.calls[0]).toMatchObject({ paginationToken: page2Token, lastUpdatedAfter: failed.last_updated_after })
      expect(resumed).toMatchObject({ status: "done", pages: 2, calls: 2, orders: 4, imported: 4, skipped: 0, failed: 0, last_updated_after: failed.last_updated_after })
      cursor = await cursorOf(container, s)
      expect(cursor.state.resume).toBeNull()
      expect(cursor.last_error).toBeNull()
      expect(cursor.watermark).not.toBeNull()
      await expectImportedOnce(container, s, seeds, 6)

      // A later run whose window overlaps everything (watermark − overlap) finds only recorded versions.
      s.sim.control.advanceClock(130_000)
      const [row] = await amazon.listAmazonSyncCursors({ account_id: s.accountId, stream: "orders", scope: DE })
      await amazon.updateAmazonSyncCursors({ id: row.id, watermark: new Date(Date.parse(seeds[0].createdTime) - 3_600_000) })
      expect(await run(container, s)).toMatchObject({ status: "done", orders: 6, skipped: 6, imported: 0 })
      await expectImportedOnce(container, s, seeds, 6)
    })

    it("a stored page token that has expired (Amazon keeps them 24 h): the window is read again from its start, recorded versions skipped, stock not moved twice", async () => {
      const container = getContainer()
      store = await seedStore(container, ["TEE-M", "MUG-1"])
      const s = store
      // The first order (page 1) has shipped already: its stock is taken, not held.
      const seeds = seedBacklog(s, 5, (i) => (i === 0 ? "SHIPPED" : "UNSHIPPED"))

      // One page per run: the rest of the window waits behind a stored token.
      const first = await run(container, s, { max_pages: 1 })
      expect(first).toMatchObject({ status: "partial", pages: 1, imported: 2 })
      const stored = (await cursorOf(container, s)).state.resume!
      expect(stored).toMatchObject({ last_updated_after: first.last_updated_after, pagination_token: expect.any(String) })
      expect((await cursorOf(container, s)).watermark).toBeNull()
      await expectImportedOnce(container, s, seeds, 2)

      // A day and an hour later the token is refused (400): the run starts the same window again.
      s.sim.control.advanceClock(25 * 3_600_000)
      pages.reset()
      const resumed = await run(container, s)
      expect(pages.state.calls.map((q) => [q.lastUpdatedAfter, q.paginationToken ?? null])).toEqual([
        [stored.last_updated_after, stored.pagination_token],
        [stored.last_updated_after, null],
        [stored.last_updated_after, expect.any(String)],
        [stored.last_updated_after, expect.any(String)],
      ])
      expect(resumed).toMatchObject({ status: "done", calls: 4, pages: 3, orders: 5, skipped: 2, imported: 3, failed: 0 })
      expect(await cursorOf(container, s)).toMatchObject({ last_error: null, state: expect.objectContaining({ resume: null }) })
      await expectImportedOnce(container, s, seeds, 5)
    })

    it("an unreadable answer (not JSON, or JSON that is not a searchOrders page) stops the run at that page; the next run resumes there", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      store = await seedStore(container, ["TEE-M", "MUG-1"])
      const s = store
      const seeds = seedBacklog(s, 6)

      // Page 2 comes back cut in half on every attempt.
      pages.state.before = (n) => n === 2 && s.sim.control.injectFault({ type: "malformed-json", operation: "searchOrders", count: 5 })
      const first = await run(container, s)
      expect(first).toMatchObject({ status: "failed", pages: 1, imported: 2 })
      expect(first.error).toMatch(/^MalformedResponse: /)
      const token2 = pages.state.calls[1].paginationToken
      expect((await cursorOf(container, s)).state.resume).toMatchObject({ pagination_token: token2 })
      expect(await amazon.listAmazonSyncLogs({ account_id: s.accountId, stream: "orders", code: "MalformedResponse" })).toHaveLength(1)
      await expectImportedOnce(container, s, seeds, 2)

      // Next run: page 2 is cut once (the SP-API client asks again and gets it), page 3 is well-formed JSON of
      // another shape (a v0 answer from a misrouted proxy).
      pages.reset()
      pages.state.before = (n) => n === 1 && s.sim.control.injectFault({ type: "malformed-json", operation: "searchOrders", count: 1 })
      pages.state.answer = (n, res) => (n === 2 ? { ...res, data: { payload: { Orders: [] } } as unknown as SearchResult["data"] } : res)
      const second = await run(container, s)
      expect(pages.state.calls[0].paginationToken).toBe(token2)
      expect(second).toMatchObject({ status: "failed", pages: 1, imported: 2 })
      expect(second.error).toMatch(/^INVALID_RESPONSE: /)
      const token3 = pages.state.calls[1].paginationToken
      expect(token3).toEqual(expect.any(String))
      expect((await cursorOf(container, s)).state.resume).toMatchObject({ pagination_token: token3 })
      expect(await amazon.listAmazonSyncLogs({ account_id: s.accountId, stream: "orders", code: "INVALID_RESPONSE" })).toHaveLength(1)
      await expectImportedOnce(container, s, seeds, 4)

      pages.reset()
      const third = await run(container, s)
      expect(pages.state.calls[0].paginationToken).toBe(token3)
      expect(third).toMatchObject({ status: "done", pages: 1, imported: 2 })
      expect((await cursorOf(container, s)).state.resume).toBeNull()
      await expectImportedOnce(container, s, seeds, 6)
    })

    it("the searchOrders quota running out mid-backlog: a scheduled run stops after the page it could pay for, a run without quota does nothing, the next run resumes with the stored token", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      store = await seedStore(container, ["TEE-M", "MUG-1"])
      const s = store
      const seeds = seedBacklog(s, 6)
      // Amazon's plan for this seller: one call per 20 s, burst 20 (announced in x-amzn-RateLimit-Limit,
      // which the SP-API client follows), so a token comes back within a test's patience but not within a page.
      s.sim.control.setUsagePlan(SEARCH_ORDERS, { rate: 0.05, burst: 20 })
      // Something else (an admin sync, another instance) spent 19 of the 20 calls of the burst.
      const api = await amazon.getSpApi(s.accountId)
      const hourAgo = new Date(s.sim.control.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z")
      const spent = Date.now()
      for (let i = 0; i < 19; i++) {
        await api.searchOrders({ createdAfter: hourAgo, marketplaceIds: [DE] })
      }
      expect(await api.client.availableTokens(SEARCH_ORDERS)).toBe(1)

      // As the scheduled job runs it: no waiting for quota.
      pages.reset()
      const first = await run(container, s, { wait_for_quota: false })
      expect(first).toMatchObject({ status: "partial", pages: 1, calls: 1, imported: 2 })
      const token2 = (await cursorOf(container, s)).state.resume!.pagination_token
      expect(token2).toEqual(expect.any(String))
      expect(await cursorOf(container, s)).toMatchObject({ watermark: null, last_error: null })
      await expectImportedOnce(container, s, seeds, 2)

      // The next tick, still without quota: nothing is asked, nothing changes.
      const idle = await run(container, s, { wait_for_quota: false })
      // (only meaningful while the 20 s refill has not happened yet)
      expect(Date.now() - spent).toBeLessThan(20_000)
      expect(idle).toMatchObject({ status: "skipped_quota", calls: 0, pages: 0 })
      expect(pages.state.calls).toHaveLength(1)
      expect((await cursorOf(container, s)).state.resume).toMatchObject({ pagination_token: token2 })
      expect(s.sim.control.counters()[SEARCH_ORDERS]).toMatchObject({ calls: 20, throttled: 0 })

      // Once a token is back, the run continues at page 2 and finishes the window.
      pages.reset()
      const resumed = await run(container, s)
      expect(pages.state.calls[0].paginationToken).toBe(token2)
      expect(resumed).toMatchObject({ status: "done", pages: 2, imported: 4, skipped: 0 })
      expect(s.sim.control.counters()[SEARCH_ORDERS]).toMatchObject({ throttled: 0 })
      expect((await cursorOf(container, s)).state.resume).toBeNull()
      await expectImportedOnce(container, s, seeds, 6)
    })
  },
})
