import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonListingListResponse } from "../../../../types/http"
import { searchListingIds } from "../../../../workflows/shared/medusa-tables"
import { AdminGetAmazonListingsParamsType } from "./validators"

/**
 * Listings (seller SKUs per marketplace) with their mapped variant and push state. Filters: account,
 * marketplace, channel, push status, SKU/ASIN search, linked / unlinked, variant.
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonListingsParamsType>, res: MedusaResponse<AdminAmazonListingListResponse>) => {
  const skip = req.queryConfig.pagination?.skip ?? 0
  const take = req.queryConfig.pagination?.take ?? 50
  const { ids, count } = await searchListingIds(req.scope, req.filterableFields as any, { skip, take })
  let listings: any[] = []
  if (ids.length) {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "amazon_listing", fields: req.queryConfig.fields, filters: { id: ids } })
    const byId = new Map(data.map((l: any) => [l.id, l]))
    listings = ids.map((id) => byId.get(id)).filter(Boolean)
  }
  res.json({ listings, count, offset: skip, limit: take })
}
