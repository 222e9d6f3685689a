import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { amazonOrderFacts, cancelRefusal } from "../../../lib/amazon/order-actions"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { loadOrderAmazonContext } from "../utils/order-facts"

export const validateAmazonOrderCancelStepId = "amazon-validate-order-cancel"

export interface ValidateAmazonOrderCancelStepInput {
  order_id: string
}

export interface ValidateAmazonOrderCancelStepOutput {
  order_id: string
  amazon_order_id: string
  /** The order's metadata before the reason is set (restored if the cancellation fails). */
  metadata: Record<string, unknown> | null
}

/**
 * Refuses (400, with a message the admin can act on) to cancel an order Amazon cannot take a seller
 * cancellation for: not an Amazon order, Amazon-fulfilled, already cancelled, any unit shipped (Amazon
 * would refund the whole order), or Medusa fulfillments still open. See cancelRefusal.
 *
 * @example
 * const checked = validateAmazonOrderCancelStep({ order_id })
 */
export const validateAmazonOrderCancelStep = createStep(
  validateAmazonOrderCancelStepId,
  async (input: ValidateAmazonOrderCancelStepInput, { container }) => {
    const context = await loadOrderAmazonContext(container, input.order_id)
    const order = context.order
    if (!order) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${input.order_id} was not found`)
    }
    const [, shipmentActions] = await container
      .resolve<AmazonModuleService>(AMAZON_MODULE)
      .listAndCountAmazonOrderActions(
        { order_id: order.id, kind: "confirm_shipment", status: ["queued", "sending", "done"] },
        { select: ["id"], take: 1 }
      )
    const refusal = cancelRefusal({ order, amazon_order: context.amazon_order, shipment_actions: shipmentActions })
    if (refusal) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, refusal)
    }
    const amazon = amazonOrderFacts(context.amazon_order, order.metadata)!
    return new StepResponse<ValidateAmazonOrderCancelStepOutput>({ order_id: order.id, amazon_order_id: amazon.amazon_order_id, metadata: order.metadata })
  }
)
