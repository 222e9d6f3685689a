import { MiddlewareRoute, validateAndTransformQuery } from "@medusajs/framework/http"
import { AdminGetAmazonListingExplainParams } from "./validators"

export const adminAmazonListingExplainMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/listings/:id/explain",
    middlewares: [validateAndTransformQuery(AdminGetAmazonListingExplainParams, { defaults: ["id"], isList: false })],
  },
]
