import { MiddlewareRoute, validateAndTransformQuery } from "@medusajs/framework/http"
import { listAccountsQueryConfig } from "./query-config"
import { AdminGetAmazonAccountsParams } from "./validators"

export const adminAmazonAccountsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/accounts",
    middlewares: [validateAndTransformQuery(AdminGetAmazonAccountsParams, listAccountsQueryConfig)],
  },
]
