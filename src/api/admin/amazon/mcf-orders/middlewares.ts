import { MiddlewareRoute, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { AdminGetAmazonMcfOrdersParams, AdminReleaseAmazonMcfOrder } from "./validators"

export const adminAmazonMcfOrdersMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/mcf-orders",
    middlewares: [validateAndTransformQuery(AdminGetAmazonMcfOrdersParams, { isList: false })],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/mcf-orders/:id/release",
    middlewares: [validateAndTransformBody(AdminReleaseAmazonMcfOrder)],
  },
]
