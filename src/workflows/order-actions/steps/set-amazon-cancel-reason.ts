import type { IOrderModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_CANCEL_REASON_KEY } from "../../../lib/amazon/orders/markers"

export const setAmazonCancelReasonStepId = "amazon-set-cancel-reason"

export interface SetAmazonCancelReasonStepInput {
  order_id: string
  reason: string
  /** The order's metadata as read before (the compensation puts it back). */
  metadata: Record<string, unknown> | null
}

/**
 * Writes the CancelReason staff chose into the order's metadata (`amazon_cancel_reason`), where the
 * cancellation recorder reads it — whichever way the order then gets cancelled.
 *
 * Compensation restores the metadata as it was.
 *
 * @example
 * setAmazonCancelReasonStep({ order_id, reason: "BuyerCanceled", metadata })
 */
export const setAmazonCancelReasonStep = createStep(
  setAmazonCancelReasonStepId,
  async (input: SetAmazonCancelReasonStepInput, { container }) => {
    const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
    await orders.updateOrders(input.order_id, { metadata: { ...(input.metadata ?? {}), [ORDER_CANCEL_REASON_KEY]: input.reason } })
    return new StepResponse(true, { order_id: input.order_id, metadata: input.metadata })
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    await container.resolve<IOrderModuleService>(Modules.ORDER).updateOrders(undo.order_id, { metadata: undo.metadata ?? {} })
  }
)
