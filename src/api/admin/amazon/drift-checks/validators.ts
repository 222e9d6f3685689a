import { z } from "@medusajs/framework/zod"

export const AdminGetAmazonDriftChecksParams = z
  .object({
    account_id: z.string().min(1).optional(),
    marketplace_id: z.string().min(1).optional(),
  })
  .strict()

export type AdminGetAmazonDriftChecksParamsType = z.infer<typeof AdminGetAmazonDriftChecksParams>
