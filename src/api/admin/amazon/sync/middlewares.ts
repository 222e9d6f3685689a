import { MiddlewareRoute, validateAndTransformBody } from "@medusajs/framework/http"
import { AdminRequestAmazonSync } from "./validators"

export const adminAmazonSyncMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/amazon/sync",
    middlewares: [validateAndTransformBody(AdminRequestAmazonSync)],
  },
]
