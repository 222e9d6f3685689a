import { MiddlewareRoute, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { listOrdersQueryConfig, retrieveOrderQueryConfig } from "./query-config"
import { AdminGetAmazonOrderParams, AdminGetAmazonOrdersParams, AdminRetryAmazonOrder } from "./validators"

export const adminAmazonOrdersMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/orders",
    middlewares: [validateAndTransformQuery(AdminGetAmazonOrdersParams, listOrdersQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/amazon/orders/:id",
    middlewares: [validateAndTransformQuery(AdminGetAmazonOrderParams, retrieveOrderQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/orders/:id/retry",
    middlewares: [validateAndTransformBody(AdminRetryAmazonOrder)],
  },
]
