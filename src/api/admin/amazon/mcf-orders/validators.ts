import { z } from "@medusajs/framework/zod"

export const AdminGetAmazonMcfOrdersParams = z
  .object({
    account_id: z.string().min(1).max(100).optional(),
    order_id: z.string().min(1).max(100).optional(),
    status: z.enum(["requested", "processing", "held", "complete", "complete_partial", "cancelled", "unfulfillable", "invalid", "refused"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict()

export type AdminGetAmazonMcfOrdersParamsType = z.infer<typeof AdminGetAmazonMcfOrdersParams>

/** POST /admin/amazon/mcf-orders/:id/release: no fields. */
export const AdminReleaseAmazonMcfOrder = z.object({}).strict()
