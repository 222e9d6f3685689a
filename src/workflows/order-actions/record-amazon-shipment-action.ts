import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { planShipmentConfirmation } from "../../lib/amazon/order-actions"
import { loadShipmentFactsStep } from "./steps/load-shipment-facts"
import { recordOrderActionStep } from "./steps/record-order-action"

export const recordAmazonShipmentActionWorkflowId = "amazon-record-shipment-action"

export interface RecordAmazonShipmentActionWorkflowInput {
  fulfillment_id: string
}

/**
 * Staff marked a fulfillment of an order shipped (`shipment.created`): records the shipment confirmation
 * Amazon must get (amazon_order_action, kind confirm_shipment, key `ship:<fulfillment id>`), or nothing for
 * an order that is not a merchant-fulfilled Amazon order or a fulfillment the plugin made from Amazon's own
 * shipment data. No Amazon call: the order-actions job sends it within the quota.
 *
 * @example
 * await recordAmazonShipmentActionWorkflow(container).run({ input: { fulfillment_id: "ful_…" } })
 */
export const recordAmazonShipmentActionWorkflow = createWorkflow(
  recordAmazonShipmentActionWorkflowId,
  (input: RecordAmazonShipmentActionWorkflowInput) => {
    const facts = loadShipmentFactsStep({ fulfillment_id: input.fulfillment_id })
    const plan = transform({ facts }, ({ facts }) => (facts ? planShipmentConfirmation(facts) : null))
    return new WorkflowResponse(recordOrderActionStep({ plan }))
  }
)
