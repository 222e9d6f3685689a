import { MiddlewareRoute, validateAndTransformQuery } from "@medusajs/framework/http"
import { AdminGetAmazonListingPushesParams } from "./validators"

export const adminAmazonListingPushesMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/listings/:id/pushes",
    // The rows are read by one SQL statement (workflows/admin/utils/listing-pushes.ts), not query.graph:
    // the config only turns limit/offset into req.queryConfig.pagination.
    middlewares: [validateAndTransformQuery(AdminGetAmazonListingPushesParams, { defaults: ["id"], isList: true })],
  },
]
