import { z } from "@medusajs/framework/zod"

export const AdminGetAmazonStatusParams = z
  .object({
    account_id: z.string().min(1).optional(),
    /** Hours of chart samples to return (default 24, at most a week). */
    hours: z.preprocess((v) => (typeof v === "string" && v !== "" ? Number(v) : v), z.number().int().min(1).max(168)).optional(),
  })
  .strict()

export type AdminGetAmazonStatusParamsType = z.infer<typeof AdminGetAmazonStatusParams>
