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

/** `account_id|stream|code` of a group on the dashboard (account and code may be empty). */
const GROUP_KEY = /^[^|]*\|[a-z_]+\|[^|]*$/

/** Entries by id, or whole causes by group key (every open entry of that account, stream and code). */
export const AdminResolveAmazonSyncLogs = z
  .object({
    ids: z.array(z.string().min(1)).min(1).max(500).optional(),
    groups: z.array(z.string().max(300).regex(GROUP_KEY, "a group key is account_id|stream|code")).min(1).max(100).optional(),
  })
  .strict()
  .refine((b) => !!b.ids || !!b.groups, { message: "Give ids or groups to mark handled", path: ["ids"] })

export type AdminResolveAmazonSyncLogsType = z.infer<typeof AdminResolveAmazonSyncLogs>
