import { MiddlewareRoute, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { AdminCancelAmazonOrder, AdminGetAmazonOrderActionsParams } from "./validators"

export const adminAmazonOrderActionsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/order-actions/:order_id",
    middlewares: [validateAndTransformQuery(AdminGetAmazonOrderActionsParams, {})],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/order-actions/:order_id/cancel",
    middlewares: [validateAndTransformBody(AdminCancelAmazonOrder)],
  },
]
