import { MiddlewareRoute, validateAndTransformQuery } from "@medusajs/framework/http"
import { AdminGetAmazonDriftChecksParams } from "./validators"

export const adminAmazonDriftChecksMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/drift-checks",
    middlewares: [validateAndTransformQuery(AdminGetAmazonDriftChecksParams, { isList: false })],
  },
]
