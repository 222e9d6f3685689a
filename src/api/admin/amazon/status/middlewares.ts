import { MiddlewareRoute, validateAndTransformQuery } from "@medusajs/framework/http"
import { statusQueryConfig } from "./query-config"
import { AdminGetAmazonStatusParams } from "./validators"

export const adminAmazonStatusMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/status",
    middlewares: [validateAndTransformQuery(AdminGetAmazonStatusParams, statusQueryConfig)],
  },
]
