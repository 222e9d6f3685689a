/**
 * Contract of src/workflows/shared/medusa-tables.ts, the plugin's SQL on Medusa's own tables: on a small
 * store (variants with stock at two locations, a kit, an unmanaged and a deleted variant, reservations,
 * listings linked, unlinked, dismissed and deleted, orders shipped, cancelled and deleted), every export
 * answers what query.graph (or the module) answers. A Medusa release that renames one of those tables or
 * columns fails here, in the test named after the function. An export without a case fails too.
 */
import "../helpers/quiet-jobs"

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  beginOrderEditOrderWorkflow,
  cancelOrderWorkflow,
  confirmOrderEditRequestWorkflow,
  createOrderFulfillmentWorkflow,
  createOrderShipmentWorkflow,
  deleteProductVariantsWorkflow,
  orderEditUpdateItemQuantityWorkflow,
  requestOrderEditRequestWorkflow,
} from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import AmazonListingProductVariantLink from "../../src/links/amazon-listing-product-variant"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import * as tables from "../../src/workflows/shared/medusa-tables"
import { createTestInventoryItem, createTestProduct, placeStoreOrder, seedTestStore } from "../helpers/store-seed"

jest.setTimeout(240_000)

const DE = "A1PA6795UKMFR9"
const FR = "A13V1IB3VIYZZH"

interface Fixture {
  variants: { a: string; b: string; unmanaged: string; kit: string; gone: string }
  accounts: { main: string; other: string }
  orders: { shipped: string; recorded: string; cancelled: string; cancelledAtAmazon: string; deleted: string; edited: string }
  fulfillments: { shipped: string; recorded: string }
  /** The edited order's line item (MUG-B) the edit took to 0, and its Amazon order item id. */
  removedLine: { id: string; amazon_order_item_id: string }
  /** metadata.amazon_order_id of each order above. */
  amazonOrderIds: string[]
}

type Ctx = { container: MedusaContainer; sql: tables.Sql; fx: Fixture }

const sortBy = <T>(rows: T[], key: (r: T) => string) => [...rows].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0))
const num = (v: unknown) => (v === null || v === undefined ? v : Number(v))

function queryOf(container: MedusaContainer) {
  return container.resolve(ContainerRegistrationKeys.QUERY)
}

/**
 * Live rows of the listing ↔ variant link, through query.graph. Note: a link to a deleted variant can stay
 * live (Medusa 2.21's deleteProductVariantsWorkflow removes links keyed `variant_id`; ours is keyed
 * `product_variant_id`), and the link table answers it, as these rows do; the callers drop variants
 * stockOfVariants does not know.
 */
async function liveListingLinks(container: MedusaContainer): Promise<{ amazon_listing_id: string; product_variant_id: string }[]> {
  const { data } = await queryOf(container).graph({
    entity: AmazonListingProductVariantLink.entryPoint,
    fields: ["amazon_listing_id", "product_variant_id"],
  })
  return data as { amazon_listing_id: string; product_variant_id: string }[]
}

/** A variant's stock with quantities as numbers and items and levels in a fixed order. */
function normalStock(stock: Map<string, { manage_inventory: boolean; inventory_items: { required_quantity: unknown; location_levels: any[] }[] }>) {
  const out: Record<string, unknown> = {}
  for (const [id, v] of stock) {
    const items = v.inventory_items.map((i) => ({
      required_quantity: num(i.required_quantity),
      location_levels: sortBy(
        i.location_levels.map((l) => ({ location_id: l.location_id, stocked_quantity: num(l.stocked_quantity), reserved_quantity: num(l.reserved_quantity) })),
        (l) => l.location_id
      ),
    }))
    out[id] = { manage_inventory: v.manage_inventory, inventory_items: sortBy(items, (i) => JSON.stringify(i)) }
  }
  return out
}

/** Every export of medusa-tables.ts and how its answer is checked (the type makes a missing case a type error too). */
const CASES: Record<keyof typeof tables, (ctx: Ctx) => Promise<void>> = {
  LINK_TABLES: async ({ container }) => {
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const query = queryOf(container)

    const { rows: listingRows } = await knex.raw(
      `select amazon_listing_id, product_variant_id from ${tables.LINK_TABLES.listingVariant} where deleted_at is null`
    )
    const pair = (r: { amazon_listing_id: string; product_variant_id: string }) => `${r.amazon_listing_id}|${r.product_variant_id}`
    expect(listingRows.map(pair).sort()).toEqual((await liveListingLinks(container)).map(pair).sort())
    expect(listingRows.length).toBeGreaterThanOrEqual(3)

    const { rows: itemRows } = await knex.raw(
      `select variant_id, inventory_item_id, required_quantity from ${tables.LINK_TABLES.variantInventoryItem} where deleted_at is null`
    )
    const { data: itemLinks } = await query.graph({
      entity: "product_variant_inventory_item",
      fields: ["variant_id", "inventory_item_id", "required_quantity"],
    })
    const item = (r: any) => `${r.variant_id}|${r.inventory_item_id}|${Number(r.required_quantity)}`
    expect(itemRows.map(item).sort()).toEqual((itemLinks as any[]).map(item).sort())
    expect(itemRows.length).toBeGreaterThanOrEqual(3)
  },

  stockOfVariants: async ({ container, sql, fx }) => {
    const ids = [...Object.values(fx.variants), "variant_that_never_existed"]
    const got = await tables.stockOfVariants(sql, ids)
    const { data } = await queryOf(container).graph({
      entity: "product_variant",
      fields: ["id", "manage_inventory", "inventory_items.required_quantity", "inventory_items.inventory.location_levels.*"],
      filters: { id: ids },
    })
    const want = new Map(
      (data as any[]).map((v) => [
        v.id as string,
        {
          manage_inventory: Boolean(v.manage_inventory),
          inventory_items: (v.inventory_items ?? []).filter(Boolean).map((ii: any) => ({
            required_quantity: ii.required_quantity,
            location_levels: (ii.inventory?.location_levels ?? []).filter(Boolean),
          })),
        },
      ])
    )
    expect(normalStock(got)).toEqual(normalStock(want))

    // the store really has what the comparison is about
    expect(got.has(fx.variants.gone)).toBe(false)
    expect(got.get(fx.variants.unmanaged)).toEqual({ manage_inventory: false, inventory_items: [] })
    expect(num(got.get(fx.variants.kit)!.inventory_items[0].required_quantity)).toBe(2)
    const levelsOfA = got.get(fx.variants.a)!.inventory_items[0].location_levels
    expect(levelsOfA).toHaveLength(2)
    expect(levelsOfA.some((l) => Number(l.reserved_quantity) > 0)).toBe(true)
  },

  listingsOfVariants: async ({ container, sql, fx }) => {
    const columns = ["id", "account_id", "seller_sku", "fulfillment_channel", "rules"] as const
    const ids = Object.values(fx.variants)
    const got = await tables.listingsOfVariants<Record<(typeof columns)[number], unknown>>(sql, ids, columns)
    const key = (r: any) => `${r.variant_id}|${r.id}`
    const pick = (variantId: string, l: any) => ({ variant_id: variantId, ...Object.fromEntries(columns.map((c) => [c, l[c] ?? null])) })

    // the link's rows and the listings module: what the statement joins
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const links = (await liveListingLinks(container)).filter((k) => ids.includes(k.product_variant_id))
    const listings = new Map(
      (await amazon.listAmazonListings({ id: links.map((k) => k.amazon_listing_id) }, { select: [...columns], take: 1000 })).map((l) => [l.id, l])
    )
    const joined = links.filter((k) => listings.has(k.amazon_listing_id)).map((k) => pick(k.product_variant_id, listings.get(k.amazon_listing_id)))
    expect(sortBy(got, key)).toEqual(sortBy(joined, key))

    // the query.graph it replaced, for the live variants (it leaves deleted variants out)
    const { data } = await queryOf(container).graph({
      entity: "product_variant",
      fields: ["id", ...columns.map((c) => `amazon_listings.${c}`)],
      filters: { id: ids },
    })
    const live = new Set((data as any[]).map((v) => v.id))
    const graphed = (data as any[]).flatMap((v) => (v.amazon_listings ?? []).filter(Boolean).map((l: any) => pick(v.id, l)))
    expect(sortBy(got.filter((r) => live.has(r.variant_id)), key)).toEqual(sortBy(graphed, key))

    // A is sold by a merchant listing, an FBA one and another account's; dismissed and deleted listings are not there
    expect(got.filter((r) => r.variant_id === fx.variants.a)).toHaveLength(3)
    expect(got.map((r) => r.seller_sku)).not.toContain("AE-1")
    expect(got.map((r) => r.seller_sku)).not.toContain("AF-1")
  },

  variantsOfMerchantListings: async ({ container, sql, fx }) => {
    const got = await tables.variantsOfMerchantListings(sql, [fx.accounts.main])
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const merchant = await amazon.listAmazonListings({ account_id: fx.accounts.main, fulfillment_channel: "MERCHANT" }, { select: ["id"], take: 1000 })
    const merchantIds = new Set(merchant.map((l) => l.id))
    const variantIds = [...new Set((await liveListingLinks(container)).filter((k) => merchantIds.has(k.amazon_listing_id)).map((k) => k.product_variant_id))]
    expect({ listings: got.listings, variant_ids: [...got.variant_ids].sort() }).toEqual({ listings: merchant.length, variant_ids: variantIds.sort() })
    expect(got).toEqual({ listings: 4, variant_ids: expect.arrayContaining([fx.variants.a, fx.variants.b]) })
    expect(got.variant_ids).toHaveLength(2)
  },

  searchListingIds: async ({ container, fx }) => {
    const { data } = await queryOf(container).graph({
      entity: "amazon_listing",
      fields: ["id", "account_id", "marketplace_id", "fulfillment_channel", "push_status", "seller_sku", "asin", "item_name"],
    })
    const all = data as any[]
    const variantOf = new Map((await liveListingLinks(container)).map((k) => [k.amazon_listing_id, k.product_variant_id]))
    const has = (v: string | string[] | undefined, x: string) => v === undefined || (Array.isArray(v) ? v : [v]).includes(x)
    const like = (s: string | null, q: string) => (s ?? "").toLowerCase().includes(q.toLowerCase())
    const expected = (f: tables.ListingSearchFilters, page: { skip: number; take: number }) => {
      const rows = all.filter(
        (l) =>
          has(f.id, l.id) &&
          has(f.account_id, l.account_id) &&
          has(f.marketplace_id, l.marketplace_id) &&
          (!f.fulfillment_channel || l.fulfillment_channel === f.fulfillment_channel) &&
          has(f.push_status, l.push_status) &&
          (!f.q || like(l.seller_sku, f.q) || like(l.asin, f.q) || like(l.item_name, f.q)) &&
          (f.linked === undefined || variantOf.has(l.id) === f.linked) &&
          (!f.variant_id || variantOf.get(l.id) === f.variant_id)
      )
      const ordered = sortBy(rows, (l) => `${l.seller_sku}\u0000${l.marketplace_id}\u0000${l.id}`)
      return { ids: ordered.slice(page.skip, page.skip + page.take).map((l) => l.id), count: rows.length }
    }
    const all10 = { skip: 0, take: 10 }
    const cases: [tables.ListingSearchFilters, { skip: number; take: number }][] = [
      [{}, all10],
      [{}, { skip: 2, take: 3 }],
      [{ linked: true }, all10],
      [{ linked: false }, all10],
      [{ variant_id: fx.variants.a }, all10],
      [{ q: "b" }, all10],
      [{ q: "b0contract" }, all10],
      [{ account_id: fx.accounts.main, fulfillment_channel: "MERCHANT" }, all10],
      [{ marketplace_id: [FR] }, all10],
      [{ push_status: "error", linked: true }, all10],
      [{ id: [all[0].id, all[1].id] }, all10],
    ]
    for (const [filters, page] of cases) {
      const got = await tables.searchListingIds(container, filters, page)
      expect({ filters, page, ...got }).toEqual({ filters, page, ...expected(filters, page) })
    }
    expect(expected({ linked: true }, all10).count).toBeGreaterThan(0)
    expect(expected({ linked: false }, all10).count).toBeGreaterThan(0)
    expect(expected({ q: "b0contract" }, all10).count).toBe(1)
  },

  variantMatchCandidates: async ({ container, sql, fx }) => {
    // the query.graph fields it replaced, for the variant it must find
    const { data } = await queryOf(container).graph({
      entity: "product_variant",
      fields: ["id", "sku", "title", "product_id", "product.title", "barcode", "ean", "upc"],
      filters: { id: fx.variants.a },
    })
    const v = (data as any[])[0]
    const want = { id: v.id, sku: v.sku, title: v.title, product_id: v.product_id, product_title: v.product?.title ?? null, barcode: v.barcode ?? null, ean: v.ean ?? null, upc: v.upc ?? null }
    const exact = await tables.variantMatchCandidates(sql, { seller_sku: "MUG-A", words: [], limit: 5 })
    expect(exact[0]).toEqual(want)
    // lower case with another separator: the same normalised SKU, still first
    const loose = await tables.variantMatchCandidates(sql, { seller_sku: "mug_a", words: [], limit: 5 })
    expect(loose[0]?.id).toBe(fx.variants.a)
    // by title words: every live variant of the "Contract mug" product, the deleted one never
    const byTitle = await tables.variantMatchCandidates(sql, { seller_sku: "nothing-alike", words: ["contract", "mug"], limit: 50 })
    const ids = byTitle.map((c) => c.id)
    expect(ids).toEqual(expect.arrayContaining([fx.variants.a, fx.variants.b, fx.variants.kit]))
    expect(ids).not.toContain(fx.variants.gone)
    expect(await tables.variantMatchCandidates(sql, { seller_sku: "MUG-GONE", words: [], limit: 5 })).toEqual([])
  },

  findUnrecordedOrderActions: async ({ container, sql, fx }) => {
    const now = new Date(Date.now() + 3 * 60_000)
    const input = { now, lookbackMs: 7 * 24 * 3_600_000, graceMs: 2 * 60_000, limit: 200 }
    const got = await tables.findUnrecordedOrderActions(sql, input)

    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const { data } = await queryOf(container).graph({
      entity: "order",
      fields: ["id", "status", "canceled_at", "metadata", "fulfillments.id", "fulfillments.shipped_at", "fulfillments.canceled_at", "fulfillments.metadata"],
    })
    const records = await amazon.listAmazonOrders({}, { select: ["order_id", "status", "fulfillment_channel"], take: 1000 })
    const keys = new Set((await amazon.listAmazonOrderActions({}, { select: ["idempotency_key"], take: 1000 })).map((a) => a.idempotency_key))
    const since = now.getTime() - input.lookbackMs
    const until = now.getTime() - input.graceMs
    const inWindow = (at: unknown) => at != null && new Date(at as string).getTime() > since && new Date(at as string).getTime() <= until
    const merchant = (orderId: string) => records.filter((r) => r.order_id === orderId && r.fulfillment_channel === "MERCHANT")

    const shipped = (data as any[])
      .filter((o) => merchant(o.id).length)
      .flatMap((o) => (o.fulfillments ?? []).filter(Boolean))
      .filter((f) => !f.canceled_at && inWindow(f.shipped_at) && (f.metadata?.amazon_source ?? "") !== "amazon" && !keys.has(`ship:${f.id}`))
    const cancelled = (data as any[]).filter(
      (o) =>
        o.status === "canceled" &&
        inWindow(o.canceled_at) &&
        merchant(o.id).some((r) => r.status !== "CANCELLED") &&
        ["", "false"].includes(String(o.metadata?.amazon_cancelled_by_amazon ?? "")) &&
        !keys.has(`cancel:${o.id}`)
    )
    expect(got).toEqual({
      fulfillment_ids: sortBy(shipped, (f) => new Date(f.shipped_at).toISOString()).map((f) => f.id),
      order_ids: sortBy(cancelled, (o) => new Date(o.canceled_at).toISOString()).map((o) => o.id),
    })
    // the recorded shipment, the order Amazon cancelled and the deleted order are left out
    expect(got).toEqual({ fulfillment_ids: [fx.fulfillments.shipped], order_ids: [fx.orders.cancelled] })
  },

  findUnsentItemRemovals: async ({ container, sql, fx }) => {
    const now = new Date(Date.now() + 3 * 60_000)
    const input = { now, lookbackMs: 7 * 24 * 3_600_000, graceMs: 2 * 60_000, limit: 200 }
    const got = await tables.findUnsentItemRemovals(sql, input)

    // The same from query.graph and the module: confirmed edits, their ITEM_UPDATE actions to 0 on a line
    // carrying an Amazon item id, of a live, not-cancelled merchant Amazon order, with no cancel row naming it.
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const { data: changes } = await queryOf(container).graph({
      entity: "order_change",
      fields: ["order_id", "change_type", "status", "confirmed_at", "actions.action", "actions.details"],
    })
    const { data: orders } = await queryOf(container).graph({ entity: "order", fields: ["id", "status"] })
    const orderById = new Map((orders as any[]).map((o) => [o.id, o]))
    // The order module's line items (an order's `items` leave out a line its current version holds 0 of).
    const refs = (changes as any[]).flatMap((c) => (c.actions ?? []).filter(Boolean).map((a: any) => a.details?.reference_id)).filter(Boolean)
    const lines = new Map((await container.resolve(Modules.ORDER).listOrderLineItems({ id: refs }, { select: ["id", "metadata"] })).map((l) => [l.id, l]))
    const records = await amazon.listAmazonOrders({}, { select: ["order_id", "status", "fulfillment_channel"], take: 1000 })
    const cancels = await amazon.listAmazonOrderActions({ kind: "cancel" }, { select: ["order_id", "payload"], take: 1000 })
    const since = now.getTime() - input.lookbackMs
    const until = now.getTime() - input.graceMs
    const want = new Map<string, number>()
    for (const c of changes as any[]) {
      const at = c.confirmed_at ? new Date(c.confirmed_at).getTime() : NaN
      const order = orderById.get(c.order_id)
      if (c.change_type !== "edit" || c.status !== "confirmed" || !(at > since && at <= until) || !order || order.status === "canceled") continue
      if (!records.some((r) => r.order_id === c.order_id && r.fulfillment_channel === "MERCHANT" && r.status !== "CANCELLED")) continue
      for (const a of (c.actions ?? []).filter(Boolean)) {
        const itemId = lines.get(a.details?.reference_id)?.metadata?.amazon_order_item_id
        if (a.action !== "ITEM_UPDATE" || Number(a.details?.quantity) !== 0 || !itemId) continue
        const named = cancels.some((x) => x.order_id === c.order_id && ((x.payload as any)?.items ?? []).some((i: any) => i.order_item_id === itemId))
        if (!named) want.set(c.order_id, Math.min(want.get(c.order_id) ?? Infinity, at))
      }
    }
    expect(got).toEqual(sortBy([...want.keys()], (id) => `${String(want.get(id)).padStart(16, "0")}|${id}`))
    expect(got).toEqual([fx.orders.edited])

    // Once a cancel row names the removed item, the edit is no longer unsent.
    await amazon.createAmazonOrderActions({
      account_id: fx.accounts.main,
      kind: "cancel",
      idempotency_key: `cancel:${fx.orders.edited}:items:${fx.removedLine.amazon_order_item_id}`,
      amazon_order_id: "302-EDITED",
      marketplace_id: DE,
      order_id: fx.orders.edited,
      payload: { reason: "NoInventory", reason_source: "account", items: [{ order_item_id: fx.removedLine.amazon_order_item_id, quantity: 1 }] },
    } as any)
    expect(await tables.findUnsentItemRemovals(sql, input)).toEqual([])
  },

  amazonOrderIdsOfOrders: async ({ container, sql, fx }) => {
    const asked = [...fx.amazonOrderIds, "999-0000000-0000000"]
    const got = await tables.amazonOrderIdsOfOrders(sql, asked)
    const { data } = await queryOf(container).graph({ entity: "order", fields: ["id", "metadata"] })
    const want = (data as any[]).map((o) => o.metadata?.amazon_order_id).filter((id) => asked.includes(id))
    expect([...got].sort()).toEqual(want.sort())
    expect(got).toHaveLength(fx.amazonOrderIds.length - 1) // the deleted order's is not there
    expect(await tables.amazonOrderIdsOfOrders(sql, [])).toEqual([])
  },

  writeImportedShipments: async ({ container, fx }) => {
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as tables.SqlWithTransactions
    const inventory = container.resolve(Modules.INVENTORY)
    const orderModule = container.resolve(Modules.ORDER) as any
    const query = queryOf(container)
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: ["inventory_items.inventory_item_id", "inventory_items.inventory.location_levels.location_id", "inventory_items.inventory.location_levels.stocked_quantity"],
      filters: { id: fx.variants.a },
    })
    const item = (variants[0] as any).inventory_items[0]
    const level = item.inventory.location_levels[0]
    const stocked = Number(level.stocked_quantity)
    const orderId = fx.orders.recorded
    const [detail] = await orderModule.listOrderItems({ order_id: orderId }, { select: ["id", "item_id", "fulfilled_quantity", "shipped_quantity"] })
    expect(Number(detail.fulfilled_quantity)).toBe(0)

    await tables.writeImportedShipments(knex, {
      items: [{ id: detail.id, fulfilled_quantity: 1, shipped_quantity: 1 }],
      levels: [
        { inventory_item_id: item.inventory_item_id, location_id: level.location_id, adjustment: -2 },
        { inventory_item_id: item.inventory_item_id, location_id: level.location_id, adjustment: -1 },
      ],
    })
    // what the modules answer (their bigNumber values come from the raw_ columns)
    const after = await inventory.retrieveInventoryLevelByItemAndLocation(item.inventory_item_id, level.location_id)
    expect(Number(after.stocked_quantity)).toBe(stocked - 3)
    expect(Number(after.available_quantity)).toBe(stocked - 3 - Number(after.reserved_quantity))
    const { data: orders } = await query.graph({ entity: "order", fields: ["items.id", "items.detail.fulfilled_quantity", "items.detail.shipped_quantity"], filters: { id: orderId } })
    const line = (orders[0] as any).items.find((i: any) => i.id === detail.item_id)
    expect([Number(line.detail.fulfilled_quantity), Number(line.detail.shipped_quantity)]).toEqual([1, 1])

    // all or nothing: a level that does not exist writes none of the rest
    await expect(
      tables.writeImportedShipments(knex, {
        items: [{ id: detail.id, fulfilled_quantity: 5, shipped_quantity: 5 }],
        levels: [
          { inventory_item_id: item.inventory_item_id, location_id: level.location_id, adjustment: -1 },
          { inventory_item_id: item.inventory_item_id, location_id: "sloc_that_does_not_exist", adjustment: -1 },
        ],
      })
    ).rejects.toThrow(/not found/)
    expect(Number((await inventory.retrieveInventoryLevelByItemAndLocation(item.inventory_item_id, level.location_id)).stocked_quantity)).toBe(stocked - 3)
    const [unchanged] = await orderModule.listOrderItems({ id: detail.id }, { select: ["fulfilled_quantity"] })
    expect(Number(unchanged.fulfilled_quantity)).toBe(1)
  },
}

/** The store every case reads (created once; the runner restores the database to it before each test). */
async function seedStore(container: MedusaContainer): Promise<Fixture> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const orderModule = container.resolve(Modules.ORDER)
  const query = queryOf(container)

  const store = await seedTestStore(container, { locationNames: ["Main warehouse", "Second warehouse"] })
  const [main, second] = store.locationIds
  const component = await createTestInventoryItem(container, "CONTRACT-COMPONENT", { [main]: 7, [second]: 2 })
  const { variants } = await createTestProduct(container, store, "Contract mug", [
    { sku: "MUG-A", stock: { [main]: 10, [second]: 5 } },
    { sku: "MUG-B", stock: { [main]: 3 } },
    { sku: "MUG-U", manageInventory: false },
    { sku: "MUG-KIT", kit: [{ inventory_item_id: component.id, required_quantity: 2 }] },
    { sku: "MUG-GONE", stock: { [main]: 1 } },
  ])
  const v = { a: variants["MUG-A"].id, b: variants["MUG-B"].id, unmanaged: variants["MUG-U"].id, kit: variants["MUG-KIT"].id, gone: variants["MUG-GONE"].id }

  const accounts = await amazon.createAccounts(
    ["MAIN", "OTHER"].map((name) => ({
      name,
      region: "EU" as const,
      seller_id: `A1CONTRACT${name}`,
      marketplace_ids: [DE, FR],
      lwa_client_id: `amzn1.application-oa2-client.${name.toLowerCase()}`,
      lwa_client_secret: "contract-secret",
      refresh_token: `Atzr|contract-${name}`,
    }))
  )
  const [mainAccount, otherAccount] = accounts.map((a) => a.id)
  const listing = async (input: Record<string, unknown>, variantId?: string) => {
    const created = await amazon.createAmazonListings({ marketplace_id: DE, account_id: mainAccount, ...input } as any)
    if (variantId) {
      await link.create({ [AMAZON_MODULE]: { amazon_listing_id: created.id }, [Modules.PRODUCT]: { product_variant_id: variantId } })
    }
    return created.id as string
  }
  await listing({ seller_sku: "AA-1", asin: "B0CONTRACT", push_status: "error", rules: { buffer: 1 } }, v.a)
  await listing({ seller_sku: "AB-1" }, v.b)
  await listing({ seller_sku: "AC-1", fulfillment_channel: "AMAZON" }, v.a)
  await listing({ seller_sku: "AD-1", marketplace_id: FR })
  const dismissed = await listing({ seller_sku: "AE-1" }, v.kit)
  await link.dismiss({ [AMAZON_MODULE]: { amazon_listing_id: dismissed }, [Modules.PRODUCT]: { product_variant_id: v.kit } })
  const deleted = await listing({ seller_sku: "AF-1" }, v.b)
  await amazon.softDeleteAmazonListings([deleted])
  await listing({ seller_sku: "BA-1", account_id: otherAccount }, v.a)
  await listing({ seller_sku: "BB-1", account_id: otherAccount }, v.gone)

  await deleteProductVariantsWorkflow(container).run({ input: { ids: [v.gone] } })

  // Orders: each reserves one unit of MUG-A (reserved_quantity > 0 at the main warehouse).
  const place = () => placeStoreOrder(container, store, [{ variant_id: v.a, quantity: 1 }])
  const orders = {
    shipped: await place(),
    recorded: await place(),
    cancelled: await place(),
    cancelledAtAmazon: await place(),
    deleted: await place(),
    edited: await placeStoreOrder(container, store, [
      { variant_id: v.a, quantity: 1 },
      { variant_id: v.b, quantity: 1 },
    ]),
  }
  const ship = async (orderId: string) => {
    const { data } = await query.graph({ entity: "order", fields: ["items.id"], filters: { id: orderId } })
    const items = (data[0] as any).items.map((i: any) => ({ id: i.id, quantity: 1 }))
    const { result: fulfillment } = await createOrderFulfillmentWorkflow(container).run({ input: { order_id: orderId, items } })
    await createOrderShipmentWorkflow(container).run({ input: { order_id: orderId, fulfillment_id: fulfillment.id, items } })
    return fulfillment.id as string
  }
  const fulfillments = { shipped: await ship(orders.shipped), recorded: await ship(orders.recorded) }
  await cancelOrderWorkflow(container).run({ input: { order_id: orders.cancelled } })
  await cancelOrderWorkflow(container).run({ input: { order_id: orders.cancelledAtAmazon } })
  // An Amazon order whose MUG-B line staff removed with Medusa's order edit (its quantity to 0).
  const { data: editedRows } = await query.graph({ entity: "order", fields: ["items.id", "items.variant_id"], filters: { id: orders.edited } })
  const editedLines = (editedRows[0] as any).items as { id: string; variant_id: string }[]
  for (const [n, line] of editedLines.entries()) {
    await orderModule.updateOrderLineItems([{ selector: { id: line.id }, data: { metadata: { amazon_order_item_id: `OI-EDIT-${n}` } } }])
  }
  const lineB = editedLines.find((l) => l.variant_id === v.b)!
  const removedLine = { id: lineB.id, amazon_order_item_id: `OI-EDIT-${editedLines.indexOf(lineB)}` }
  await beginOrderEditOrderWorkflow(container).run({ input: { order_id: orders.edited } })
  await orderEditUpdateItemQuantityWorkflow(container).run({ input: { order_id: orders.edited, items: [{ id: lineB.id, quantity: 0 }] } })
  await requestOrderEditRequestWorkflow(container).run({ input: { order_id: orders.edited } })
  await confirmOrderEditRequestWorkflow(container).run({ input: { order_id: orders.edited } })

  // The Amazon side, written after Medusa's workflows so the order-actions subscriber found nothing to record.
  await new Promise((r) => setTimeout(r, 1_000))
  const amazonOrderIds: string[] = []
  const status: Record<keyof typeof orders, string> = {
    shipped: "SHIPPED",
    recorded: "SHIPPED",
    cancelled: "UNSHIPPED",
    cancelledAtAmazon: "CANCELLED",
    deleted: "UNSHIPPED",
    edited: "UNSHIPPED",
  }
  for (const [i, [key, orderId]] of Object.entries(orders).entries()) {
    const amazonOrderId = `302-0000000-000000${i}`
    amazonOrderIds.push(amazonOrderId)
    await orderModule.updateOrders([{ id: orderId, metadata: { amazon_order_id: amazonOrderId } }])
    await amazon.createAmazonOrders({
      account_id: mainAccount,
      amazon_order_id: amazonOrderId,
      marketplace_id: DE,
      status: status[key as keyof typeof orders],
      fulfillment_channel: "MERCHANT",
      amazon_updated_at: new Date(),
      import_status: "imported",
      order_id: orderId,
    } as any)
  }
  await orderModule.softDeleteOrders([orders.deleted])
  const stray = await amazon.listAmazonOrderActions({}, { select: ["id"], take: 1000 })
  if (stray.length) await amazon.deleteAmazonOrderActions(stray.map((a) => a.id))
  await amazon.createAmazonOrderActions({
    account_id: mainAccount,
    kind: "confirm_shipment",
    idempotency_key: `ship:${fulfillments.recorded}`,
    amazon_order_id: amazonOrderIds[1],
    marketplace_id: DE,
    order_id: orders.recorded,
    fulfillment_id: fulfillments.recorded,
    payload: {},
  } as any)

  return { variants: v, accounts: { main: mainAccount, other: otherAccount }, orders, fulfillments, removedLine, amazonOrderIds }
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, utils }) => {
    let fx: Fixture

    beforeAll(async () => {
      fx = await seedStore(getContainer())
      // let subscribers and workflows started by the seed finish before the runner snapshots the database
      await utils.waitWorkflowExecutions()
      await new Promise((r) => setTimeout(r, 1_000))
    })

    it("every export of medusa-tables.ts has a contract case", () => {
      const exported = Object.keys(tables).filter((name) => name !== "__esModule" && name !== "default")
      expect(exported.length).toBeGreaterThan(0)
      const missing = exported.filter((name) => !(name in CASES))
      expect(missing).toEqual([])
    })

    for (const name of Object.keys(CASES) as (keyof typeof tables)[]) {
      it(name, async () => {
        const container = getContainer()
        await CASES[name]({ container, sql: container.resolve<tables.Sql>(ContainerRegistrationKeys.PG_CONNECTION), fx })
      })
    }
  },
})
