import { defineMiddlewares } from "@medusajs/framework/http"
import { adminAmazonAccountsMiddlewares } from "./admin/amazon/accounts/middlewares"

export default defineMiddlewares({
  routes: [...adminAmazonAccountsMiddlewares],
})
