import { createSelectParams } from "@medusajs/medusa/api/utils/validators"
import { boundedFindParams } from "../utils/find-params"
import { z } from "@medusajs/framework/zod"

const IMPORT_STATUSES = ["pending", "imported", "needs_attention"] as const

export const AdminGetAmazonOrdersParams = boundedFindParams({ limit: 20, offset: 0, order: "-amazon_updated_at" }).merge(
  z
    .object({
      account_id: z.string().min(1).optional(),
      marketplace_id: z.string().min(1).optional(),
      import_status: z.union([z.enum(IMPORT_STATUSES), z.array(z.enum(IMPORT_STATUSES))]).optional(),
      /** Amazon's fulfillment status, e.g. UNSHIPPED. */
      status: z.string().min(1).optional(),
      fulfillment_channel: z.enum(["MERCHANT", "AMAZON"]).optional(),
      /** The Medusa order id (the order page widget). */
      order_id: z.string().min(1).optional(),
      /** Part of the Amazon order id. */
      q: z.string().trim().min(1).max(100).optional(),
    })
    .strict()
)

export type AdminGetAmazonOrdersParamsType = z.infer<typeof AdminGetAmazonOrdersParams>

export const AdminGetAmazonOrderParams = createSelectParams()

export const AdminRetryAmazonOrder = z.object({}).strict()
