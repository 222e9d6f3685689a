import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonFeedMessageListResponse } from "../../../../../../types/http"
import { AdminGetAmazonFeedMessagesParamsType } from "../../validators"

/** The per-SKU results of a feed: quantity sent, Amazon's verdict and its issues. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonFeedMessagesParamsType>, res: MedusaResponse<AdminAmazonFeedMessageListResponse>) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  // 404 for an unknown feed rather than an empty page
  await query.graph({ entity: "amazon_feed", fields: ["id"], filters: { id: req.params.id } }, { throwIfKeyNotFound: true })
  const { data, metadata } = await query.graph({
    entity: "amazon_feed_message",
    fields: req.queryConfig.fields,
    filters: { ...req.filterableFields, feed_id: req.params.id },
    pagination: req.queryConfig.pagination,
  })
  res.json({ messages: data, count: metadata?.count ?? data.length, offset: metadata?.skip ?? 0, limit: metadata?.take ?? data.length })
}
