import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { AmazonMcfFulfillmentProvider } from "./service"

/**
 * The Multi-Channel Fulfillment provider, registered with Medusa's Fulfillment Module:
 * `{ resolve: "medusa-amazon-stock-sync/providers/amazon-mcf", id: "amazon-mcf" }` (provider id
 * `amazon-mcf_amazon-mcf`). See the README's "Multi-Channel Fulfillment".
 */
export default ModuleProvider(Modules.FULFILLMENT, {
  services: [AmazonMcfFulfillmentProvider],
})
