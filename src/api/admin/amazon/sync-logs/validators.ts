import { boundedFindParams } from "../utils/find-params"
import { z } from "@medusajs/framework/zod"

const LEVELS = ["info", "warn", "error"] as const
const booleanParam = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean())

export const AdminGetAmazonSyncLogsParams = boundedFindParams({ limit: 20, offset: 0, order: "-created_at" }).merge(
  z
    .object({
      account_id: z.string().min(1).optional(),
      stream: z.string().min(1).optional(),
      level: z.union([z.enum(LEVELS), z.array(z.enum(LEVELS))]).optional(),
      code: z.string().min(1).optional(),
      /** false = still to act on. */
      resolved: booleanParam.optional(),
    })
    .strict()
)

export type AdminGetAmazonSyncLogsParamsType = z.infer<typeof AdminGetAmazonSyncLogsParams>

export const AdminResolveAmazonSyncLogs = z.object({ ids: z.array(z.string().min(1)).min(1).max(500) }).strict()

export type AdminResolveAmazonSyncLogsType = z.infer<typeof AdminResolveAmazonSyncLogs>
