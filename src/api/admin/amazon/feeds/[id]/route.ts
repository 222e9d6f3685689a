import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../../../../../modules/amazon"
import type AmazonModuleService from "../../../../../modules/amazon/service"
import { feedOutcome } from "../../../../../lib/amazon/feeds/feed-outcome"
import type { AdminAmazonFeedResponse, AmazonFeedMessageStatus } from "../../../../../types/http"

/** One feed with its per-SKU outcome counts (the messages themselves are paged under /messages). */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonFeedResponse>) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph(
    { entity: "amazon_feed", fields: req.queryConfig.fields, filters: { id: req.params.id } },
    { throwIfKeyNotFound: true }
  )
  const amazon = req.scope.resolve<AmazonModuleService>(AMAZON_MODULE)
  const statuses = ["pending", "accepted", "error", "warning", "unconfirmed"] as const
  const counts = await Promise.all(
    statuses.map(async (status) => {
      const [, count] = await amazon.listAndCountAmazonFeedMessages({ feed_id: req.params.id, status }, { take: 1, select: ["id"] })
      return [status, count] as const
    })
  )
  res.json({ feed: { ...data[0], outcome: feedOutcome(data[0] as any), message_counts: Object.fromEntries(counts) as Record<AmazonFeedMessageStatus, number> } })
}
