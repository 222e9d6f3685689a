import { z } from "@medusajs/framework/zod"
import { SYNC_STREAMS } from "../../../../workflows/admin/constants"

export const AdminRequestAmazonSync = z
  .object({
    stream: z.enum(SYNC_STREAMS),
    /** Default: every enabled account (the stock push and feed results are store-wide anyway). */
    account_id: z.string().min(1).optional(),
  })
  .strict()

export type AdminRequestAmazonSyncType = z.infer<typeof AdminRequestAmazonSync>
