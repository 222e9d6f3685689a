import { z } from "@medusajs/framework/zod"
import { CANCEL_REASONS } from "../../../../lib/amazon/feeds/build-order-acknowledgement-feed"

export const AdminGetAmazonOrderActionsParams = z.object({}).strict()

/** POST /admin/amazon/order-actions/:order_id/cancel */
export const AdminCancelAmazonOrder = z
  .object({
    /** Amazon's CancelReason (OrderAcknowledgement.xsd); "BuyerCanceled" accepts a buyer's request. */
    reason: z.enum(CANCEL_REASONS, { message: `must be one of Amazon's cancel reasons: ${CANCEL_REASONS.join(", ")}` }),
  })
  .strict()

export type AdminCancelAmazonOrderType = z.infer<typeof AdminCancelAmazonOrder>
