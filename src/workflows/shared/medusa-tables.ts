import type { MedusaContainer } from "@medusajs/framework/types"
import { composeTableName, ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AMAZON_ORDER_METADATA_KEY } from "../../lib/amazon/orders"
import type { VariantInventoryItem, VariantStock } from "../../lib/stock/available-quantity"
import { gtinKey, normalizeSku, type VariantCandidate } from "../../lib/mapping/suggest"
import type { AmazonListingSortField } from "../../types/http/listings"
import { LISTING_LINK_SIDE, VARIANT_LINK_SIDE } from "../../links/_link-sides"

/**
 * Every SQL statement the plugin runs on Medusa's own tables (product, inventory, order, fulfillment and the
 * link tables, ours included), and their names, in one place. Medusa's modules share one PostgreSQL
 * database, so a plain select can join what query.graph assembles module by module; each function says which
 * query.graph (or module call) it replaces and why. A Medusa release that renames one of these tables or
 * columns fails integration-tests/http/store-tables.spec.ts, which checks every export here against the
 * query.graph answer, by the function's name.
 *
 * Every table's soft-deleted rows are left out, as query.graph leaves them out. Statements on the plugin's
 * own amazon_* tables alone are not here: the module's bulk writes sit in its repositories
 * (src/modules/amazon/repositories), and a few that claim or update rows for one feature sit beside that
 * feature — admin/utils/sync-claims.ts ("sync now" claims), admin/steps/update-listing-rules.ts and
 * admin/utils/listing-pushes.ts, order-actions/utils/action-queries.ts, steps/claim-due-order-actions.ts and
 * steps/read-order-action-feed-results.ts (the order-action queue, `for update skip locked`), and
 * retention/ (batched deletes and buyer-data removal).
 */

/** What `container.resolve(ContainerRegistrationKeys.PG_CONNECTION)` is: a knex instance. */
export type Sql = { raw: (sql: string, bindings: unknown[]) => Promise<{ rows: any[] }> }

/** A link side as defineLink takes it: a linkable, or `{ linkable, isList … }`. */
type LinkSide = { toJSON(): { serviceName: string; linkable: string } } | { linkable: { toJSON(): { serviceName: string; linkable: string } } }

/**
 * The table Medusa's link modules create for a defineLink without `database.table`: composeTableName of
 * both sides' module and key (without "_id"), lower-cased — @medusajs/link-modules utils/generate-entity.js.
 */
function linkTableName(left: LinkSide, right: LinkSide): string {
  const side = (s: LinkSide) => ("toJSON" in s ? s : s.linkable).toJSON()
  const a = side(left)
  const b = side(right)
  return composeTableName(a.serviceName, a.linkable, b.serviceName, b.linkable).toLowerCase()
}

/** The link tables read here. */
export const LINK_TABLES = {
  /** Medusa's product ↔ inventory link: databaseConfig.tableName of @medusajs/link-modules definitions/product-variant-inventory-item. */
  variantInventoryItem: "product_variant_inventory_item",
  /** Ours (links/amazon-listing-product-variant.ts, sides in links/_link-sides.ts): amazon_amazon_listing_product_product_variant. */
  listingVariant: linkTableName(LISTING_LINK_SIDE, VARIANT_LINK_SIDE),
} as const

/** Variants per raw select: one JSON parameter, a result of ~10,000 rows. */
const SQL_CHUNK = 10_000

/**
 * The distinct non-empty ids in chunks of `size`. Local (not stock-queries' chunk/unique): that file imports
 * the link's defineLink, and this one must load before Medusa does (tests import it at the top).
 */
function idChunks(ids: Iterable<string | null | undefined>, size: number): string[][] {
  const distinct = [...new Set([...ids].filter((v): v is string => typeof v === "string" && v.length > 0))]
  const out: string[][] = []
  for (let i = 0; i < distinct.length; i += size) out.push(distinct.slice(i, i + size))
  return out
}

/** `= any(...)` over a JSON array parameter (knex would expand a JS array into one parameter per id). */
const IDS = "any(array(select json_array_elements_text(?::json)))"

export interface VariantInventoryRow {
  variant_id: string
  inventory_item_id: string
  required_quantity: string | number
  location_id: string | null
  stocked_quantity: string | number | null
  reserved_quantity: string | number | null
}

/**
 * Live variants among these ids, with manage_inventory, their live inventory items (with required
 * quantity, for kits) and each item's live levels. A variant missing from the result is deleted (or
 * never existed). Two selects per 10,000 variants.
 *
 * Replaces `query.graph({ entity: "product_variant", fields: ["id", "manage_inventory",
 * "inventory_items.required_quantity", "inventory_items.inventory.location_levels.*"], filters: { id } })`
 * per 500 variants. Measured on the 100,000-SKU reconcile (`npm run bench`, P2, amazon-compute-listing-quantities,
 * together with listingsOfVariants): query.graph 34.5 s (02f61c0), these selects 2.7 s (b7aa827) — the graph
 * builds ORM entities of four modules for every row.
 */
export async function stockOfVariants(sql: Sql, variantIds: readonly string[]): Promise<Map<string, VariantStock>> {
  const out = new Map<string, VariantStock>()
  for (const ids of idChunks(variantIds, SQL_CHUNK)) {
    const param = JSON.stringify(ids)
    const variants = await sql.raw(
      `select v.id, v.manage_inventory from product_variant v where v.id = ${IDS} and v.deleted_at is null`,
      [param]
    )
    for (const v of variants.rows) {
      out.set(v.id, { manage_inventory: Boolean(v.manage_inventory), inventory_items: [] })
    }
    const levels = await sql.raw(
      `select pvi.variant_id, pvi.inventory_item_id, pvi.required_quantity,
              il.location_id, il.stocked_quantity, il.reserved_quantity
         from ${LINK_TABLES.variantInventoryItem} pvi
         join inventory_item ii on ii.id = pvi.inventory_item_id and ii.deleted_at is null
         left join inventory_level il on il.inventory_item_id = ii.id and il.deleted_at is null
        where pvi.variant_id = ${IDS} and pvi.deleted_at is null
        order by pvi.variant_id, pvi.inventory_item_id`,
      [param]
    )
    let last: { key: string; item: VariantInventoryItem } | undefined
    for (const r of levels.rows as VariantInventoryRow[]) {
      const variant = out.get(r.variant_id)
      if (!variant) continue
      const key = r.variant_id + "\u0000" + r.inventory_item_id
      if (last?.key !== key) {
        last = { key, item: { required_quantity: r.required_quantity, location_levels: [] } }
        variant.inventory_items.push(last.item)
      }
      if (r.location_id !== null) {
        last.item.location_levels.push({ location_id: r.location_id, stocked_quantity: r.stocked_quantity, reserved_quantity: r.reserved_quantity })
      }
    }
  }
  return out
}

/**
 * Live listings (the given columns) of these variants through live link rows, with the variant id. One
 * select per 10,000 variants.
 *
 * Replaces the `amazon_listings.<column>` fields of the same query.graph on product_variant as
 * stockOfVariants (measured with it: 34.5 s → 2.7 s for 100,000 SKUs).
 */
export async function listingsOfVariants<T>(
  sql: Sql,
  variantIds: readonly string[],
  columns: readonly string[]
): Promise<(T & { variant_id: string })[]> {
  const out: (T & { variant_id: string })[] = []
  const select = columns.map((c) => `l."${c.replace(/"/g, "")}"`).join(", ")
  for (const ids of idChunks(variantIds, SQL_CHUNK)) {
    const { rows } = await sql.raw(
      `select k.product_variant_id as variant_id, ${select}
         from ${LINK_TABLES.listingVariant} k
         join amazon_listing l on l.id = k.amazon_listing_id and l.deleted_at is null
        where k.product_variant_id = ${IDS} and k.deleted_at is null`,
      [JSON.stringify(ids)]
    )
    for (const r of rows) out.push(r)
  }
  return out
}

/**
 * Variants sold under a live MERCHANT listing of these accounts (distinct), and how many such listings
 * there are (mapped or not): the reconcile's whole catalogue in two selects.
 *
 * Replaces `listAmazonListings({ account_id, fulfillment_channel: "MERCHANT" })` in pages of 5,000, each
 * followed by `query.graph({ entity: "amazon_listing_product_variant", fields: ["amazon_listing_id",
 * "product_variant_id"], filters: { amazon_listing_id } })` per 500 listings. Measured on the 100,000-SKU
 * reconcile (`npm run bench`, P2, amazon-enqueue-mapped-listings): 17.8 s (02f61c0), these selects 1.8 s (b7aa827).
 */
export async function variantsOfMerchantListings(
  sql: Sql,
  accountIds: readonly string[]
): Promise<{ listings: number; variant_ids: string[] }> {
  const param = JSON.stringify(accountIds)
  const count = await sql.raw(
    `select count(*)::int as n from amazon_listing l
      where l.account_id = ${IDS} and l.fulfillment_channel = 'MERCHANT' and l.deleted_at is null`,
    [param]
  )
  const { rows } = await sql.raw(
    `select distinct k.product_variant_id as variant_id
       from amazon_listing l
       join ${LINK_TABLES.listingVariant} k on k.amazon_listing_id = l.id and k.deleted_at is null
      where l.account_id = ${IDS} and l.fulfillment_channel = 'MERCHANT' and l.deleted_at is null`,
    [param]
  )
  return { listings: Number(count.rows[0]?.n ?? 0), variant_ids: rows.map((r: { variant_id: string }) => r.variant_id) }
}

export interface ListingSearchFilters {
  account_id?: string | string[]
  marketplace_id?: string | string[]
  fulfillment_channel?: "MERCHANT" | "AMAZON"
  push_status?: string | string[]
  /** Case-insensitive part of the seller SKU, ASIN or Amazon item name. */
  q?: string
  linked?: boolean
  /** Listings linked to this variant. */
  variant_id?: string
  id?: string | string[]
}

/** A sort of the listings list: an allow-listed field (types/http/listings.ts), ascending or descending. */
export interface ListingSort {
  field: AmazonListingSortField
  desc: boolean
}

/** Each sortable field's column; null-able columns sort their nulls last both ways (never-sent SKUs at the end). */
const LISTING_SORT_COLUMNS: Record<AmazonListingSortField, { column: string; nullable: boolean }> = {
  seller_sku: { column: "l.seller_sku", nullable: false },
  item_name: { column: "l.item_name", nullable: true },
  asin: { column: "l.asin", nullable: true },
  marketplace_id: { column: "l.marketplace_id", nullable: false },
  fulfillment_channel: { column: "l.fulfillment_channel", nullable: false },
  push_status: { column: "l.push_status", nullable: false },
  last_sent_at: { column: "l.last_sent_at", nullable: true },
  last_accepted_at: { column: "l.last_accepted_at", nullable: true },
  created_at: { column: "l.created_at", nullable: false },
  updated_at: { column: "l.updated_at", nullable: false },
}

function list(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined
  return Array.isArray(v) ? v : [v]
}

/**
 * One page of listing ids matching the filters, in the order asked (default: SKU), then SKU, marketplace
 * and id so pages never overlap, with the total (two selects); the caller then reads the page with
 * query.graph (fields and the linked variant).
 *
 * Written as SQL from the start: `query.graph({ entity: "amazon_listing", fields: ["id", "product_variant.id"],
 * filters, pagination })` cannot filter on the link (linked / unlinked / variant), so every listing and its
 * link would be read to filter, count and page in memory. Not a speed measurement.
 */
export async function searchListingIds(
  container: MedusaContainer,
  filters: ListingSearchFilters,
  page: { skip: number; take: number },
  sort?: ListingSort
): Promise<{ ids: string[]; count: number }> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const linkTable = LINK_TABLES.listingVariant
  const linkExists = (qb: any) =>
    qb
      .select(knex.raw("1"))
      .from(linkTable)
      .whereRaw(`${linkTable}.amazon_listing_id = l.id`)
      .whereNull(`${linkTable}.deleted_at`)

  const base = knex("amazon_listing as l").whereNull("l.deleted_at")
  const ids = list(filters.id)
  if (ids) base.whereIn("l.id", ids)
  const accounts = list(filters.account_id)
  if (accounts) base.whereIn("l.account_id", accounts)
  const marketplaces = list(filters.marketplace_id)
  if (marketplaces) base.whereIn("l.marketplace_id", marketplaces)
  if (filters.fulfillment_channel) base.where("l.fulfillment_channel", filters.fulfillment_channel)
  const statuses = list(filters.push_status)
  if (statuses) base.whereIn("l.push_status", statuses)
  if (filters.q) {
    const like = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    base.where((qb: any) => qb.whereILike("l.seller_sku", like).orWhereILike("l.asin", like).orWhereILike("l.item_name", like))
  }
  if (filters.linked === true) base.whereExists(function (this: any) { linkExists(this) })
  if (filters.linked === false) base.whereNotExists(function (this: any) { linkExists(this) })
  if (filters.variant_id) {
    base.whereExists(function (this: any) {
      linkExists(this).where(`${linkTable}.product_variant_id`, filters.variant_id)
    })
  }

  const [{ count }] = await base.clone().count({ count: "*" })
  const rows = base.clone().select("l.id")
  const sorted = sort ? LISTING_SORT_COLUMNS[sort.field] : undefined
  if (sort && sorted) {
    // the column comes from the allow-list above, never from the request
    rows.orderByRaw(`${sorted.column} ${sort.desc ? "desc" : "asc"}${sorted.nullable ? " nulls last" : ""}`)
  }
  rows
    .orderBy([{ column: "l.seller_sku", order: "asc" }, { column: "l.marketplace_id", order: "asc" }, { column: "l.id", order: "asc" }])
    .offset(page.skip)
    .limit(page.take)
  return { ids: (await rows).map((r: { id: string }) => r.id), count: Number(count) }
}

/** A variant found by variantMatchCandidates, with why it was found (the ranking is lib/mapping/suggest.ts). */
export type VariantMatchCandidate = VariantCandidate

/**
 * Live variants (of live products) that may be what a listing sells: the variant SKU equals the seller SKU
 * (exactly, or lower-cased without separators), its EAN, UPC or barcode equals the SKU (leading zeros
 * ignored), or its product/variant title contains one of `words`. At most `limit` rows, those with the
 * most signals and title words first. One select.
 *
 * Written as SQL from the start: query.graph (product module filters) cannot compare a normalised SKU
 * (`regexp_replace(lower(sku))`), strip a GTIN's zeros, or count the title words a row contains, so every
 * variant would be read and scored in memory for each suggestion. Not a speed measurement.
 */
export async function variantMatchCandidates(
  sql: Sql,
  input: { seller_sku: string; words: readonly string[]; limit: number }
): Promise<VariantMatchCandidate[]> {
  // the same keys as the ranking (lib/mapping/suggest.ts) compares
  const normalized = normalizeSku(input.seller_sku)
  const digits = gtinKey(input.seller_sku)
  const patterns = input.words.map((w) => `%${w.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  const { rows } = await sql.raw(
    `select id, sku, title, product_id, product_title, barcode, ean, upc from (
       select v.id, v.sku, v.title, v.product_id, p.title as product_title, v.barcode, v.ean, v.upc,
              (case when v.sku = ? then 4 else 0 end)
              + (case when ? <> '' and regexp_replace(lower(v.sku), '[^a-z0-9]', '', 'g') = ? then 2 else 0 end)
              + (case when ? in (v.ean, v.upc, v.barcode)
                        or ?::text in (ltrim(v.ean, '0'), ltrim(v.upc, '0'), ltrim(v.barcode, '0')) then 2 else 0 end)
              as sku_signals,
              (select count(*) from json_array_elements_text(?::json) w where lower(coalesce(p.title, '') || ' ' || coalesce(v.title, '')) like w.value) as title_hits
         from product_variant v
         join product p on p.id = v.product_id and p.deleted_at is null
        where v.deleted_at is null) c
      where sku_signals > 0 or title_hits > 0
      order by sku_signals desc, title_hits desc, sku asc nulls last, id asc
      limit ?`,
    [input.seller_sku, normalized, normalized, input.seller_sku, digits, JSON.stringify(patterns), input.limit]
  )
  return rows as VariantMatchCandidate[]
}

/**
 * Store changes the `shipment.created` / `order.canceled` subscriber should have recorded but did not (the
 * process stopped between Medusa's workflow and the event, or recording failed): shipped fulfillments and
 * cancelled orders of merchant-fulfilled Amazon orders from the last `lookbackMs`, at least `graceMs` old
 * (the subscriber's time), with no action row. Fulfillments the import made from Amazon's own data, orders
 * Amazon cancelled, and rows already recorded are left out, so a sweep finds only what was missed. Two
 * selects, at most `limit` ids each.
 *
 * Written as SQL from the start; its query.graph equivalent would be `query.graph({ entity: "order", fields:
 * ["id", "status", "canceled_at", "metadata", "fulfillments.*", "amazon_order.*"] })` over every order of the
 * last 7 days plus a read of every recorded action key, filtered in memory on each run of the job: the graph
 * cannot filter on metadata or on a missing amazon_order_action row. Not a speed measurement.
 */
export async function findUnrecordedOrderActions(
  sql: Sql,
  input: { now: Date; lookbackMs: number; graceMs: number; limit: number }
): Promise<{ fulfillment_ids: string[]; order_ids: string[] }> {
  const since = new Date(input.now.getTime() - input.lookbackMs).toISOString()
  const until = new Date(input.now.getTime() - input.graceMs).toISOString()
  const { rows: shipped } = await sql.raw(
    `select f.id from fulfillment f
       join order_fulfillment l on l.fulfillment_id = f.id and l.deleted_at is null
       join amazon_order ao on ao.order_id = l.order_id and ao.deleted_at is null and ao.fulfillment_channel = 'MERCHANT'
      where f.deleted_at is null and f.canceled_at is null and f.shipped_at > ? and f.shipped_at <= ?
        and coalesce(f.metadata ->> 'amazon_source', '') <> 'amazon'
        and not exists (select 1 from amazon_order_action a where a.idempotency_key = 'ship:' || f.id and a.deleted_at is null)
      order by f.shipped_at
      limit ?`,
    [since, until, input.limit]
  )
  const { rows: cancelled } = await sql.raw(
    `select o.id from "order" o
       join amazon_order ao on ao.order_id = o.id and ao.deleted_at is null and ao.fulfillment_channel = 'MERCHANT'
      where o.deleted_at is null and o.status = 'canceled' and o.canceled_at > ? and o.canceled_at <= ?
        and ao.status <> 'CANCELLED'
        and coalesce(o.metadata ->> 'amazon_cancelled_by_amazon', '') in ('', 'false')
        and not exists (select 1 from amazon_order_action a where a.idempotency_key = 'cancel:' || o.id and a.deleted_at is null)
      order by o.canceled_at
      limit ?`,
    [since, until, input.limit]
  )
  return { fulfillment_ids: shipped.map((r: { id: string }) => r.id), order_ids: cancelled.map((r: { id: string }) => r.id) }
}

/**
 * Orders whose confirmed order edit removed an Amazon order item (an `ITEM_UPDATE` to quantity 0 of a line
 * item that carries `metadata.amazon_order_item_id`) with no cancel row naming that item: the
 * `order-edit.confirmed` subscriber should have recorded the item cancellation but did not (the process
 * stopped in between). Merchant-fulfilled Amazon orders only, not cancelled here or at Amazon, edits
 * confirmed within `lookbackMs` and at least `graceMs` ago. One select, at most `limit` order ids, oldest
 * edit first.
 *
 * Written as SQL from the start; its query.graph equivalent would be `query.graph({ entity: "order_change",
 * fields: ["order_id", "confirmed_at", "actions.*"], filters: { change_type: "edit", status: "confirmed" } })`
 * plus each order's line items and Amazon record and every cancel row's payload, filtered in memory on each
 * run of the job: the graph cannot filter on an action's JSON details or a missing amazon_order_action row.
 * Not a speed measurement.
 */
export async function findUnsentItemRemovals(
  sql: Sql,
  input: { now: Date; lookbackMs: number; graceMs: number; limit: number }
): Promise<string[]> {
  const since = new Date(input.now.getTime() - input.lookbackMs).toISOString()
  const until = new Date(input.now.getTime() - input.graceMs).toISOString()
  const { rows } = await sql.raw(
    `select oc.order_id, min(oc.confirmed_at) as confirmed_at
       from order_change oc
       join order_change_action a on a.order_change_id = oc.id and a.deleted_at is null and a.action = 'ITEM_UPDATE'
       join order_line_item li on li.id = a.details ->> 'reference_id' and li.deleted_at is null
       join "order" o on o.id = oc.order_id and o.deleted_at is null and o.status <> 'canceled'
       join amazon_order ao on ao.order_id = oc.order_id and ao.deleted_at is null and ao.fulfillment_channel = 'MERCHANT'
      where oc.deleted_at is null and oc.change_type = 'edit' and oc.status = 'confirmed'
        and oc.confirmed_at > ? and oc.confirmed_at <= ?
        and ao.status <> 'CANCELLED'
        and coalesce(li.metadata ->> 'amazon_order_item_id', '') <> ''
        and (a.details ->> 'quantity') ~ '^[0-9]+(\\.[0-9]+)*$' and (a.details ->> 'quantity')::numeric = 0
        and not exists (
          select 1 from amazon_order_action x
           where x.order_id = oc.order_id and x.kind = 'cancel' and x.deleted_at is null
             and x.payload -> 'items' @> jsonb_build_array(jsonb_build_object('order_item_id', li.metadata ->> 'amazon_order_item_id')))
      group by oc.order_id
      order by min(oc.confirmed_at), oc.order_id
      limit ?`,
    [since, until, input.limit]
  )
  return rows.map((r: { order_id: string }) => r.order_id)
}

/**
 * The Amazon order ids (of these) that a live Medusa order already carries in its metadata
 * (`metadata.amazon_order_id`, written by the import): orders a crashed run created before it recorded
 * them. One select per page of orders.
 *
 * Replaces, for a page of new orders, one `orderModule.listOrders({ metadata: { amazon_order_id } })` per
 * order (what the one-by-one path, load-amazon-order-record.ts, does): the order module cannot filter
 * metadata by a list of values, and metadata has no index, so that scans the order table once per order,
 * this once per page. Not a speed measurement. Used by prepare-amazon-order-batch.ts.
 */
export async function amazonOrderIdsOfOrders(sql: Sql, amazonOrderIds: readonly string[]): Promise<string[]> {
  if (!amazonOrderIds.length) {
    return []
  }
  const { rows } = (await sql.raw(
    `select metadata->>'${AMAZON_ORDER_METADATA_KEY}' as amazon_order_id from "order"
         where deleted_at is null and metadata->>'${AMAZON_ORDER_METADATA_KEY}' = any(?)`,
    [amazonOrderIds]
  )) as { rows: { amazon_order_id: string }[] }
  return rows.map((r) => r.amazon_order_id)
}

/** knex, as PG_CONNECTION is: statements, and a transaction to run several in. */
export type SqlWithTransactions = Sql & { transaction<T>(run: (trx: Sql) => Promise<T>): Promise<T> }

export interface ImportedShipmentWrite {
  /** Order detail rows (`order_item`: an order version's quantities of a line item), with their new totals. */
  items: { id: string; fulfilled_quantity: number; shipped_quantity: number }[]
  /** Inventory levels moved by the same units (negative: units left stock). */
  levels: { inventory_item_id: string; location_id: string; adjustment: number }[]
}

/**
 * Writes, in one transaction, the fulfilled and shipped quantities of units Amazon shipped before the
 * batched import created their order, and the stock those units take off their levels. Medusa's fulfilled
 * quantity is what the import reads back as "already left stock" (plan-stock.ts, planWithMedusaOrder): an
 * order found again after a crash must show both or neither, or the units are decremented twice (or
 * never). The inventory module (adjustInventory) and the order module (updateOrderItems) each commit on
 * their own, so no pair of module calls can give that; one SQL transaction can. Every level and detail row
 * must exist, else nothing is written. Each bigNumber column's `raw_` twin is written as Medusa's
 * MikroORM hooks write it. No `inventory-level.updated` event is emitted: the batch queues the stock push
 * itself (its record step).
 *
 * Replaces `inventoryModule.adjustInventory(levels)` + `orderModule.updateOrderItems(items)` for the
 * batch (record-amazon-fulfilments.ts, `quantities: "items"`); not a speed measurement.
 */
export async function writeImportedShipments(sql: SqlWithTransactions, input: ImportedShipmentWrite): Promise<void> {
  const levels = [...input.levels.reduce((m, l) => {
    const key = `${l.inventory_item_id}|${l.location_id}`
    const entry = m.get(key) ?? { ...l, adjustment: 0 }
    entry.adjustment += l.adjustment
    return m.set(key, entry)
  }, new Map<string, ImportedShipmentWrite["levels"][number]>()).values()].filter((l) => l.adjustment !== 0)
  if (!levels.length && !input.items.length) {
    return
  }
  const raw = (column: string) => `jsonb_build_object('value', (${column})::text, 'precision', 20)`
  await sql.transaction(async (trx) => {
    if (levels.length) {
      const { rows } = await trx.raw(
        `update inventory_level il
            set stocked_quantity = il.stocked_quantity + v.adjustment,
                raw_stocked_quantity = ${raw("il.stocked_quantity + v.adjustment")},
                updated_at = now()
           from json_to_recordset(?::json) as v(inventory_item_id text, location_id text, adjustment numeric)
          where il.inventory_item_id = v.inventory_item_id and il.location_id = v.location_id and il.deleted_at is null
          returning il.id`,
        [JSON.stringify(levels)]
      )
      if (rows.length !== levels.length) {
        throw new Error(`writeImportedShipments: ${levels.length - rows.length} of ${levels.length} inventory levels not found`)
      }
    }
    if (input.items.length) {
      const { rows } = await trx.raw(
        `update order_item oi
            set fulfilled_quantity = v.fulfilled_quantity, raw_fulfilled_quantity = ${raw("v.fulfilled_quantity")},
                shipped_quantity = v.shipped_quantity, raw_shipped_quantity = ${raw("v.shipped_quantity")},
                updated_at = now()
           from json_to_recordset(?::json) as v(id text, fulfilled_quantity numeric, shipped_quantity numeric)
          where oi.id = v.id and oi.deleted_at is null
          returning oi.id`,
        [JSON.stringify(input.items)]
      )
      if (rows.length !== input.items.length) {
        throw new Error(`writeImportedShipments: ${input.items.length - rows.length} of ${input.items.length} order items not found`)
      }
    }
  })
}
