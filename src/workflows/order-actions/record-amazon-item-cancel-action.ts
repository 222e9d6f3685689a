import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { planItemCancellation } from "../../lib/amazon/order-actions"
import { loadItemCancelFactsStep } from "./steps/load-item-cancel-facts"
import { recordOrderActionStep } from "./steps/record-order-action"

export const recordAmazonItemCancelActionWorkflowId = "amazon-record-item-cancel-action"

export interface RecordAmazonItemCancelActionWorkflowInput {
  order_id: string
}

/**
 * An order edit was confirmed in Medusa (`order-edit.confirmed`): when it removed Amazon order items
 * before shipping (quantity edited to 0), records the item cancellation Amazon must get (kind cancel, key
 * `cancel:<order id>:items:<Amazon item ids>`, reason from the order's metadata or the account's default).
 * A failed row instead when a unit has shipped, or when an item kept part of its units (Amazon cancels
 * whole items only), with what to do. No Amazon call: the order-actions job sends it as a
 * POST_ORDER_ACKNOWLEDGEMENT_DATA feed.
 *
 * @example
 * await recordAmazonItemCancelActionWorkflow(container).run({ input: { order_id: "order_…" } })
 */
export const recordAmazonItemCancelActionWorkflow = createWorkflow(
  recordAmazonItemCancelActionWorkflowId,
  (input: RecordAmazonItemCancelActionWorkflowInput) => {
    const facts = loadItemCancelFactsStep({ order_id: input.order_id })
    const plan = transform({ facts }, ({ facts }) => (facts ? planItemCancellation(facts) : null))
    return new WorkflowResponse(recordOrderActionStep({ plan }))
  }
)
