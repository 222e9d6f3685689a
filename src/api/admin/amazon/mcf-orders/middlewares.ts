import { MiddlewareRoute, validateAndTransformQuery } from "@medusajs/framework/http"
import { AdminGetAmazonMcfOrdersParams } from "./validators"

export const adminAmazonMcfOrdersMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/mcf-orders",
    middlewares: [validateAndTransformQuery(AdminGetAmazonMcfOrdersParams, { isList: false })],
  },
]
