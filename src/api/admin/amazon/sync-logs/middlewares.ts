import { MiddlewareRoute, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { listSyncLogsQueryConfig } from "./query-config"
import { AdminGetAmazonSyncLogsParams, AdminResolveAmazonSyncLogs } from "./validators"

export const adminAmazonSyncLogsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/sync-logs",
    middlewares: [validateAndTransformQuery(AdminGetAmazonSyncLogsParams, listSyncLogsQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/sync-logs/resolve",
    middlewares: [validateAndTransformBody(AdminResolveAmazonSyncLogs)],
  },
]
