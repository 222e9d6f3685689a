import { MiddlewareRoute, validateAndTransformQuery } from "@medusajs/framework/http"
import { listFbaStockQueryConfig } from "./query-config"
import { AdminGetAmazonFbaStockParams } from "./validators"

export const adminAmazonFbaStockMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/fba-stock",
    middlewares: [validateAndTransformQuery(AdminGetAmazonFbaStockParams, listFbaStockQueryConfig)],
  },
]
