import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { feedOutcome } from "../../../../lib/amazon/feeds/feed-outcome"
import type { AdminAmazonFeedListResponse } from "../../../../types/http"
import { AdminGetAmazonFeedsParamsType } from "./validators"

/**
 * Quantity feeds sent to Amazon, newest first, with their lifecycle, accepted / error counts and their
 * outcome in one word (a FATAL feed is "failed", whatever its lifecycle status says).
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonFeedsParamsType>, res: MedusaResponse<AdminAmazonFeedListResponse>) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "amazon_feed",
    fields: req.queryConfig.fields,
    filters: req.filterableFields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ feeds: data.map((f: any) => ({ ...f, outcome: feedOutcome(f) })), count: metadata?.count ?? data.length, offset: metadata?.skip ?? 0, limit: metadata?.take ?? data.length })
}
