import { z } from "@medusajs/framework/zod"

export const AdminGetAmazonNotificationsParams = z
  .object({
    account_id: z.string().min(1).max(100).optional(),
    status: z.enum(["received", "applied", "ignored", "failed", "invalid"]).optional(),
    notification_type: z.string().regex(/^[A-Z_]{3,60}$/).optional(),
    subject: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict()

export type AdminGetAmazonNotificationsParamsType = z.infer<typeof AdminGetAmazonNotificationsParams>
