import type { IOrderModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_CANCELLED_BY_AMAZON_KEY } from "../../../lib/amazon/orders/markers"

export const markCancelledByAmazonStepId = "amazon-order-mark-cancelled-by-amazon"

/**
 * Marks a Medusa order as cancelled because Amazon cancelled it (ORDER_CANCELLED_BY_AMAZON_KEY in its
 * metadata), right before the import cancels it: the order actions then never send that cancellation back
 * to Amazon, whatever the order of the events and the import's record. Merges into the metadata (the
 * order module replaces it whole); compensation puts the previous metadata back.
 *
 * @example
 * markCancelledByAmazonStep({ order_id })
 */
export const markCancelledByAmazonStep = createStep(
  markCancelledByAmazonStepId,
  async (input: { order_id: string }, { container }) => {
    const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
    const order = await orders.retrieveOrder(input.order_id, { select: ["id", "metadata"] })
    const previous = (order.metadata ?? null) as Record<string, unknown> | null
    if (previous?.[ORDER_CANCELLED_BY_AMAZON_KEY] === true) {
      return new StepResponse(false, null)
    }
    await orders.updateOrders(input.order_id, { metadata: { ...(previous ?? {}), [ORDER_CANCELLED_BY_AMAZON_KEY]: true } })
    return new StepResponse(true, { order_id: input.order_id, metadata: previous ?? {} })
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    await container.resolve<IOrderModuleService>(Modules.ORDER).updateOrders(undo.order_id, { metadata: undo.metadata })
  }
)
