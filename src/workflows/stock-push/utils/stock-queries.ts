import type { RemoteQueryFunction } from "@medusajs/framework/types"
import AmazonListingProductVariantLink from "../../../links/amazon-listing-product-variant"

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
