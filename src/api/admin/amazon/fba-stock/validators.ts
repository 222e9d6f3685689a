import { boundedFindParams } from "../utils/find-params"
import { z } from "@medusajs/framework/zod"

export const AdminGetAmazonFbaStockParams = boundedFindParams({ limit: 50, offset: 0, order: "seller_sku" }).merge(
  z
    .object({
      account_id: z.string().min(1).optional(),
      marketplace_id: z.string().min(1).optional(),
      /** Part of the seller SKU. */
      q: z.string().trim().min(1).max(200).optional(),
      /** A problem kind, or "any" for every SKU that could not be applied. */
      issue: z.enum(["any", "unmapped", "merchant_only", "no_variant", "no_inventory_item"]).optional(),
    })
    .strict()
)

export type AdminGetAmazonFbaStockParamsType = z.infer<typeof AdminGetAmazonFbaStockParams>
