import type { RemoteQueryFunction } from "@medusajs/framework/types"
import AmazonListingProductVariantLink from "../../../links/amazon-listing-product-variant"
import type { VariantInventoryItem, VariantStock } from "../../../lib/stock/available-quantity"

/** What the container's `query` offers (it is registered without the remote-query call signature). */
type Query = Pick<RemoteQueryFunction, "graph">

/**
 * Bulk lookups shared by the stock-push steps. Each takes a list of ids and costs one query per chunk
 * (never one per SKU): query.graph resolves every relation with `id IN (…)`.
 */

/** Ids per query: large enough to be bulk, small enough to keep the IN lists and result sets sane. */
export const QUERY_CHUNK = 500

export function chunk<T>(items: readonly T[], size = QUERY_CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size))
  }
  return out
}

/** Appends `value` to the list under `key` (grouping tens of thousands of candidates in one pass). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Groups `items` by `key`, keeping their order within each group. */
export function groupBy<K, V>(items: Iterable<V>, key: (item: V) => K): Map<K, V[]> {
  const out = new Map<K, V[]>()
  for (const item of items) pushTo(out, key(item), item)
  return out
}

export function unique(values: Iterable<string | null | undefined>): string[] {
  return [...new Set([...values].filter((v): v is string => typeof v === "string" && v.length > 0))]
}

/**
 * Variants that use these inventory items (a kit component belongs to several variants). Deleted links
 * are included: when an inventory item is deleted, its variants lose stock and must be pushed.
 */
export async function variantIdsOfInventoryItems(query: Query, inventoryItemIds: string[]): Promise<string[]> {
  const out: string[] = []
  for (const ids of chunk(unique(inventoryItemIds))) {
    const { data } = await query.graph({
      entity: "product_variant_inventory_item",
      fields: ["variant_id"],
      filters: { inventory_item_id: ids },
      withDeleted: true,
    })
    out.push(...(data as { variant_id: string }[]).map((r) => r.variant_id))
  }
  return unique(out)
}

export interface ListingVariantLink {
  amazon_listing_id: string
  product_variant_id: string
  deleted_at?: string | Date | null
}

/** Rows of the listing ↔ variant link for these variants (optionally including dismissed ones). */
export async function listingLinksOfVariants(
  query: Query,
  variantIds: string[],
  withDeleted = false
): Promise<ListingVariantLink[]> {
  const out: ListingVariantLink[] = []
  for (const ids of chunk(unique(variantIds))) {
    const { data } = await query.graph({
      entity: AmazonListingProductVariantLink.entryPoint,
      fields: ["amazon_listing_id", "product_variant_id", "deleted_at"],
      filters: { product_variant_id: ids },
      withDeleted,
    })
    out.push(...(data as ListingVariantLink[]))
  }
  return out
}

/** Live link rows of these listings (a listing sells exactly one variant). */
export async function liveLinksOfListings(query: Query, listingIds: string[]): Promise<ListingVariantLink[]> {
  const out: ListingVariantLink[] = []
  for (const ids of chunk(unique(listingIds))) {
    const { data } = await query.graph({
      entity: AmazonListingProductVariantLink.entryPoint,
      fields: ["amazon_listing_id", "product_variant_id"],
      filters: { amazon_listing_id: ids },
    })
    out.push(...(data as ListingVariantLink[]))
  }
  return out
}

/**
 * Raw-SQL lookups for whole runs (tens of thousands of variants). Medusa's modules share one PostgreSQL
 * database, so the stock of a variant (product ↔ inventory link, inventory items, levels) and its
 * listings (our link table) are read with two plain selects per 10,000 variants, instead of a
 * query.graph across four modules that builds ORM entities for every row (over 30 s for 100,000 SKUs).
 * Every table's soft-deleted rows are left out, exactly as query.graph does.
 */

/** What `container.resolve(ContainerRegistrationKeys.PG_CONNECTION)` is: a knex instance. */
export type Sql = { raw: (sql: string, bindings: unknown[]) => Promise<{ rows: any[] }> }

/** Variants per raw select: one JSON parameter, a result of ~10,000 rows. */
export const SQL_CHUNK = 10_000

/** Tables of the links read here (Medusa's link modules, and ours: links/amazon-listing-product-variant.ts). */
export const LINK_TABLES = {
  variantInventoryItem: "product_variant_inventory_item",
  listingVariant: "amazon_amazon_listing_product_product_variant",
} as const

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
 * never existed).
 */
export async function stockOfVariants(sql: Sql, variantIds: readonly string[]): Promise<Map<string, VariantStock>> {
  const out = new Map<string, VariantStock>()
  for (const ids of chunk(unique(variantIds), SQL_CHUNK)) {
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

/** Live listings (the given columns) of these variants through live link rows, with the variant id. */
export async function listingsOfVariants<T>(
  sql: Sql,
  variantIds: readonly string[],
  columns: readonly string[]
): Promise<(T & { variant_id: string })[]> {
  const out: (T & { variant_id: string })[] = []
  const select = columns.map((c) => `l."${c.replace(/"/g, "")}"`).join(", ")
  for (const ids of chunk(unique(variantIds), SQL_CHUNK)) {
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
