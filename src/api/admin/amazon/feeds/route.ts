import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonFeedListResponse } from "../../../../types/http"
import { AdminGetAmazonFeedsParamsType } from "./validators"

/** Quantity feeds sent to Amazon, newest first, with their lifecycle and accepted / error counts. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonFeedsParamsType>, res: MedusaResponse<AdminAmazonFeedListResponse>) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "amazon_feed",
    fields: req.queryConfig.fields,
    filters: req.filterableFields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ feeds: data, count: metadata?.count ?? data.length, offset: metadata?.skip ?? 0, limit: metadata?.take ?? data.length })
}
