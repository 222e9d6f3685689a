import { MiddlewareRoute, validateAndTransformQuery } from "@medusajs/framework/http"
import { listFeedMessagesQueryConfig, listFeedsQueryConfig, retrieveFeedQueryConfig } from "./query-config"
import { AdminGetAmazonFeedMessagesParams, AdminGetAmazonFeedParams, AdminGetAmazonFeedsParams } from "./validators"

export const adminAmazonFeedsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/feeds",
    middlewares: [validateAndTransformQuery(AdminGetAmazonFeedsParams, listFeedsQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/amazon/feeds/:id",
    middlewares: [validateAndTransformQuery(AdminGetAmazonFeedParams, retrieveFeedQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/amazon/feeds/:id/messages",
    middlewares: [validateAndTransformQuery(AdminGetAmazonFeedMessagesParams, listFeedMessagesQueryConfig)],
  },
]
