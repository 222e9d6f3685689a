import { defineMiddlewares } from "@medusajs/framework/http"
import { adminAmazonAccountsMiddlewares } from "./admin/amazon/accounts/middlewares"
import { adminAmazonFbaStockMiddlewares } from "./admin/amazon/fba-stock/middlewares"
import { adminAmazonFeedsMiddlewares } from "./admin/amazon/feeds/middlewares"
import { adminAmazonListingsMiddlewares } from "./admin/amazon/listings/middlewares"
import { adminAmazonOrdersMiddlewares } from "./admin/amazon/orders/middlewares"
import { adminAmazonStatusMiddlewares } from "./admin/amazon/status/middlewares"
import { adminAmazonSyncLogsMiddlewares } from "./admin/amazon/sync-logs/middlewares"
import { adminAmazonSyncMiddlewares } from "./admin/amazon/sync/middlewares"

export default defineMiddlewares({
  routes: [
    ...adminAmazonAccountsMiddlewares,
    ...adminAmazonListingsMiddlewares,
    ...adminAmazonStatusMiddlewares,
    ...adminAmazonFeedsMiddlewares,
    ...adminAmazonOrdersMiddlewares,
    ...adminAmazonFbaStockMiddlewares,
    ...adminAmazonSyncLogsMiddlewares,
    ...adminAmazonSyncMiddlewares,
  ],
})
