import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonListingListResponse, AmazonListingSortField } from "../../../../types/http"
import { searchListingIds, type ListingSort } from "../../../../workflows/shared/medusa-tables"
import { AdminGetAmazonListingsParamsType } from "./validators"

/**
 * Listings (seller SKUs per marketplace) with their mapped variant and push state. Filters: account,
 * marketplace, channel, push status, SKU/ASIN/item name search, linked / unlinked, variant, ids. `order`:
 * one field of AMAZON_LISTING_SORT_FIELDS, `-` for descending (the validator allows no other).
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonListingsParamsType>, res: MedusaResponse<AdminAmazonListingListResponse>) => {
  const skip = req.queryConfig.pagination?.skip ?? 0
  const take = req.queryConfig.pagination?.take ?? 50
  const [field, direction] = Object.entries((req.queryConfig.pagination?.order ?? {}) as Record<string, string>)[0] ?? []
  const sort: ListingSort | undefined = field ? { field: field as AmazonListingSortField, desc: direction === "DESC" } : undefined
  const { ids, count } = await searchListingIds(req.scope, req.filterableFields as any, { skip, take }, sort)
  let listings: any[] = []
  if (ids.length) {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "amazon_listing", fields: req.queryConfig.fields, filters: { id: ids } })
    const byId = new Map(data.map((l: any) => [l.id, l]))
    listings = ids.map((id) => byId.get(id)).filter(Boolean)
  }
  res.json({ listings, count, offset: skip, limit: take })
}
