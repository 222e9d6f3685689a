import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { createOrderFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { MCF_PROVIDER_ID } from "../mcf/constants"
import { placeMcfOrder } from "../mcf/place-mcf-order"

/**
 * A fulfillment made with the Amazon MCF provider places its Multi-Channel Fulfillment order at Amazon within
 * Medusa's own create-fulfillment workflow: when Amazon refuses, the workflow fails with Amazon's reason and
 * Medusa undoes the fulfillment (and its stock moves). Other providers' fulfillments pass through untouched.
 */
createOrderFulfillmentWorkflow.hooks.fulfillmentCreated(async ({ fulfillment }, { container }) => {
  // decided on what the workflow hands over: every other fulfillment (the order import's included) costs nothing
  if (fulfillment.provider_id !== MCF_PROVIDER_ID) {
    return new StepResponse(null)
  }
  const placed = await placeMcfOrder(container, fulfillment.id)
  return new StepResponse(placed)
})
