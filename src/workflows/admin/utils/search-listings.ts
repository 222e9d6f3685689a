import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../../../modules/amazon"

/**
 * The link table of links/amazon-listing-product-variant.ts, named as Medusa's link modules name it
 * (composeTableName: module + key without "_id", for both sides).
 */
export const LISTING_VARIANT_LINK_TABLE = `${AMAZON_MODULE}_amazon_listing_${Modules.PRODUCT}_product_variant`

export interface ListingSearchFilters {
  account_id?: string | string[]
  marketplace_id?: string | string[]
  fulfillment_channel?: "MERCHANT" | "AMAZON"
  push_status?: string | string[]
  /** Case-insensitive part of the seller SKU or ASIN. */
  q?: string
  linked?: boolean
  /** Listings linked to this variant. */
  variant_id?: string
  id?: string | string[]
}

function list(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined
  return Array.isArray(v) ? v : [v]
}

/**
 * One page of listing ids matching the filters, ordered by SKU, with the total. Done in SQL because the
 * linked / unlinked filter is a condition on the link table, which query.graph cannot filter on; the
 * caller then reads the page with query.graph (fields and the linked variant).
 */
export async function searchListingIds(
  container: MedusaContainer,
  filters: ListingSearchFilters,
  page: { skip: number; take: number }
): Promise<{ ids: string[]; count: number }> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const linkExists = (qb: any) =>
    qb
      .select(knex.raw("1"))
      .from(LISTING_VARIANT_LINK_TABLE)
      .whereRaw(`${LISTING_VARIANT_LINK_TABLE}.amazon_listing_id = l.id`)
      .whereNull(`${LISTING_VARIANT_LINK_TABLE}.deleted_at`)

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
    base.where((qb: any) => qb.whereILike("l.seller_sku", like).orWhereILike("l.asin", like))
  }
  if (filters.linked === true) base.whereExists(function (this: any) { linkExists(this) })
  if (filters.linked === false) base.whereNotExists(function (this: any) { linkExists(this) })
  if (filters.variant_id) {
    base.whereExists(function (this: any) {
      linkExists(this).where(`${LISTING_VARIANT_LINK_TABLE}.product_variant_id`, filters.variant_id)
    })
  }

  const [{ count }] = await base.clone().count({ count: "*" })
  const rows = await base
    .clone()
    .select("l.id")
    .orderBy([{ column: "l.seller_sku", order: "asc" }, { column: "l.marketplace_id", order: "asc" }, { column: "l.id", order: "asc" }])
    .offset(page.skip)
    .limit(page.take)
  return { ids: rows.map((r: { id: string }) => r.id), count: Number(count) }
}
