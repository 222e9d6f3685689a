import { createSelectParams } from "@medusajs/medusa/api/utils/validators"
import { boundedFindParams } from "../utils/find-params"
import { z } from "@medusajs/framework/zod"

const FEED_STATUSES = ["building", "uploaded", "submitted", "IN_QUEUE", "IN_PROGRESS", "DONE", "FATAL", "CANCELLED", "processed", "failed"] as const
const booleanParam = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean())

export const AdminGetAmazonFeedsParams = boundedFindParams({ limit: 20, offset: 0, order: "-created_at" }).merge(
  z
    .object({
      account_id: z.string().min(1).optional(),
      marketplace_id: z.string().min(1).optional(),
      status: z.union([z.enum(FEED_STATUSES), z.array(z.enum(FEED_STATUSES))]).optional(),
      purpose: z.enum(["push", "reconcile"]).optional(),
      stuck: booleanParam.optional(),
    })
    .strict()
)

export type AdminGetAmazonFeedsParamsType = z.infer<typeof AdminGetAmazonFeedsParams>

export const AdminGetAmazonFeedParams = createSelectParams()

const MESSAGE_STATUSES = ["pending", "accepted", "error", "warning", "unconfirmed"] as const

export const AdminGetAmazonFeedMessagesParams = boundedFindParams({ limit: 50, offset: 0, order: "message_id" }).merge(
  z
    .object({
      status: z.union([z.enum(MESSAGE_STATUSES), z.array(z.enum(MESSAGE_STATUSES))]).optional(),
      seller_sku: z.string().min(1).optional(),
    })
    .strict()
)

export type AdminGetAmazonFeedMessagesParamsType = z.infer<typeof AdminGetAmazonFeedMessagesParams>
