import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { planCancellation } from "../../lib/amazon/order-actions"
import { loadCancelFactsStep } from "./steps/load-cancel-facts"
import { recordOrderActionStep } from "./steps/record-order-action"

export const recordAmazonCancelActionWorkflowId = "amazon-record-cancel-action"

export interface RecordAmazonCancelActionWorkflowInput {
  order_id: string
}

/**
 * An order was cancelled in Medusa (`order.canceled`, or the admin's cancel route): records the
 * cancellation Amazon must get (kind cancel, key `cancel:<order id>`, reason from the order's metadata or
 * the account's default), or a failed row when a unit has already shipped (never sent: Amazon would refund
 * the whole order). Nothing for orders Amazon cancelled itself, FBA orders and non-Amazon orders. No Amazon
 * call: the order-actions job sends it as a POST_ORDER_ACKNOWLEDGEMENT_DATA feed.
 *
 * @example
 * await recordAmazonCancelActionWorkflow(container).run({ input: { order_id: "order_…" } })
 */
export const recordAmazonCancelActionWorkflow = createWorkflow(
  recordAmazonCancelActionWorkflowId,
  (input: RecordAmazonCancelActionWorkflowInput) => {
    const facts = loadCancelFactsStep({ order_id: input.order_id })
    const plan = transform({ facts }, ({ facts }) => (facts ? planCancellation(facts) : null))
    return new WorkflowResponse(recordOrderActionStep({ plan }))
  }
)
