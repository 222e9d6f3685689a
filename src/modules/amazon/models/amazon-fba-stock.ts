import { model } from "@medusajs/framework/utils"
import { AmazonAccount } from "./amazon-account"

/** The last FBA inventory snapshot Amazon reported for a SKU in a marketplace. */
export const AmazonFbaStock = model
  .define("amazon_fba_stock", {
    id: model.id({ prefix: "amzfba" }).primaryKey(),
    marketplace_id: model.text(),
    seller_sku: model.text(),
    asin: model.text().nullable(),
    fn_sku: model.text().nullable(),
    fulfillable: model.number().nullable(),
    inbound_working: model.number().nullable(),
    inbound_shipped: model.number().nullable(),
    inbound_receiving: model.number().nullable(),
    reserved: model.number().nullable(),
    unfulfillable: model.number().nullable(),
    researching: model.number().nullable(),
    total: model.number().nullable(),
    amazon_updated_at: model.dateTime().nullable(),
    synced_at: model.dateTime(),
    /** The listing it maps to; null = Amazon reports a SKU the store does not map (flagged). */
    listing_id: model.text().nullable(),
    /**
     * Why the snapshot could not be applied to store stock (null = applied at the FBA location):
     * unmapped | merchant_only (listed, but only merchant-fulfilled) | no_variant | no_inventory_item.
     */
    issue: model.text().nullable(),
    account: model.belongsTo(() => AmazonAccount, { mappedBy: "fba_stock" }),
  })
  .indexes([{ on: ["account_id", "marketplace_id", "seller_sku"], unique: true, where: "deleted_at IS NULL" }])
