import { MiddlewareRoute, validateAndTransformQuery } from "@medusajs/framework/http"
import { AdminGetAmazonNotificationsParams } from "./validators"

export const adminAmazonNotificationsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/notifications",
    middlewares: [validateAndTransformQuery(AdminGetAmazonNotificationsParams, { isList: false })],
  },
]
