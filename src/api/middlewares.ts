import { defineMiddlewares } from "@medusajs/framework/http"
import { adminAmazonAccountsMiddlewares } from "./admin/amazon/accounts/middlewares"
import { adminAmazonDriftChecksMiddlewares } from "./admin/amazon/drift-checks/middlewares"
import { adminAmazonFbaStockMiddlewares } from "./admin/amazon/fba-stock/middlewares"
import { adminAmazonFeedsMiddlewares } from "./admin/amazon/feeds/middlewares"
import { adminAmazonListingExplainMiddlewares } from "./admin/amazon/listings/[id]/explain/middlewares"
import { adminAmazonListingPushesMiddlewares } from "./admin/amazon/listings/[id]/pushes/middlewares"
import { adminAmazonListingsMiddlewares } from "./admin/amazon/listings/middlewares"
import { adminAmazonMcfOrdersMiddlewares } from "./admin/amazon/mcf-orders/middlewares"
import { adminAmazonNotificationsMiddlewares } from "./admin/amazon/notifications/middlewares"
import { adminAmazonOrderActionsMiddlewares } from "./admin/amazon/order-actions/middlewares"
import { adminAmazonOrdersMiddlewares } from "./admin/amazon/orders/middlewares"
import { adminAmazonStatusMiddlewares } from "./admin/amazon/status/middlewares"
import { adminAmazonSyncLogsMiddlewares } from "./admin/amazon/sync-logs/middlewares"
import { adminAmazonSyncMiddlewares } from "./admin/amazon/sync/middlewares"
import { rejectUnsafeInput, requireJsonWrites } from "./utils/input-hygiene"

export default defineMiddlewares({
  routes: [
    // No method: Medusa registers it as a global middleware (app.use), sorted before every route
    // middleware, so before the body and query validators; it runs after the body parser and the admin
    // auth check. app.use matches whole path segments: /admin/amazon and below, not /admin/amazon-other.
    { matcher: "/admin/amazon", middlewares: [requireJsonWrites, rejectUnsafeInput] },
    ...adminAmazonAccountsMiddlewares,
    ...adminAmazonListingsMiddlewares,
    ...adminAmazonListingPushesMiddlewares,
    ...adminAmazonListingExplainMiddlewares,
    ...adminAmazonStatusMiddlewares,
    ...adminAmazonFeedsMiddlewares,
    ...adminAmazonOrdersMiddlewares,
    ...adminAmazonOrderActionsMiddlewares,
    ...adminAmazonFbaStockMiddlewares,
    ...adminAmazonDriftChecksMiddlewares,
    ...adminAmazonNotificationsMiddlewares,
    ...adminAmazonMcfOrdersMiddlewares,
    ...adminAmazonSyncLogsMiddlewares,
    ...adminAmazonSyncMiddlewares,
  ],
})
