import { MiddlewareRoute, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { listAccountsQueryConfig, retrieveAccountQueryConfig } from "./query-config"
import {
  AdminCreateAmazonAccount,
  AdminGetAmazonAccountParams,
  AdminGetAmazonAccountsParams,
  AdminRequestAmazonOrderBackfill,
  AdminOfferAmazonMcfShipping,
  AdminSetupAmazonNotifications,
  AdminTestAmazonConnection,
  AdminUpdateAmazonAccount,
} from "./validators"

export const adminAmazonAccountsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/accounts",
    middlewares: [validateAndTransformQuery(AdminGetAmazonAccountsParams, listAccountsQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/accounts",
    middlewares: [validateAndTransformBody(AdminCreateAmazonAccount)],
  },
  {
    method: ["GET"],
    matcher: "/admin/amazon/accounts/:id",
    middlewares: [validateAndTransformQuery(AdminGetAmazonAccountParams, retrieveAccountQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/accounts/:id",
    middlewares: [validateAndTransformBody(AdminUpdateAmazonAccount)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/accounts/:id/test-connection",
    middlewares: [validateAndTransformBody(AdminTestAmazonConnection)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/accounts/:id/order-backfill",
    middlewares: [validateAndTransformBody(AdminRequestAmazonOrderBackfill)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/accounts/:id/notifications",
    middlewares: [validateAndTransformBody(AdminSetupAmazonNotifications)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/accounts/:id/mcf",
    middlewares: [validateAndTransformBody(AdminOfferAmazonMcfShipping)],
  },
]
