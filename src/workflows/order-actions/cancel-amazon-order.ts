import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import { recordAmazonCancelActionWorkflow } from "./record-amazon-cancel-action"
import { setAmazonCancelReasonStep } from "./steps/set-amazon-cancel-reason"
import { validateAmazonOrderCancelStep } from "./steps/validate-amazon-order-cancel"

export const cancelAmazonOrderWorkflowId = "amazon-cancel-order"

export interface CancelAmazonOrderWorkflowInput {
  order_id: string
  /** One of Amazon's CancelReason values (validated by the route). */
  reason: string
  /** The admin user, for Medusa's record of who cancelled. */
  canceled_by?: string
}

/**
 * Staff cancel an unshipped merchant-fulfilled Amazon order from the order page ("Cancel on Amazon",
 * "Accept cancellation"): checks that Amazon can take a seller cancellation (no unit shipped …), writes the
 * chosen reason into the order's metadata, cancels the order with Medusa's cancelOrderWorkflow (stock
 * released, payment refunded through the system provider) and records the cancellation for Amazon at once,
 * so the page shows it queued. The `order.canceled` subscriber then finds it recorded. The job sends it.
 *
 * @example
 * await cancelAmazonOrderWorkflow(container).run({ input: { order_id, reason: "BuyerCanceled" } })
 */
export const cancelAmazonOrderWorkflow = createWorkflow(cancelAmazonOrderWorkflowId, (input: CancelAmazonOrderWorkflowInput) => {
  const checked = validateAmazonOrderCancelStep({ order_id: input.order_id })
  setAmazonCancelReasonStep(
    transform({ input, checked }, ({ input, checked }) => ({ order_id: input.order_id, reason: input.reason, metadata: checked.metadata }))
  )
  cancelOrderWorkflow.runAsStep({
    input: transform({ input }, ({ input }) => ({ order_id: input.order_id, canceled_by: input.canceled_by, no_notification: true })),
  })
  const recorded = recordAmazonCancelActionWorkflow.runAsStep({
    input: transform({ input }, ({ input }) => ({ order_id: input.order_id })),
  })
  return new WorkflowResponse(recorded)
})
