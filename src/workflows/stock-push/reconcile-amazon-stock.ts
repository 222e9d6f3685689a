import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { enqueueMappedListingsStep } from "./steps/enqueue-mapped-listings"

export const reconcileAmazonStockWorkflowId = "amazon-reconcile-stock"

export interface ReconcileAmazonStockWorkflowInput {
  account_id?: string
}

/**
 * The scheduled full pass: queues every mapped merchant-fulfilled SKU. The next push recomputes them and
 * sends only the quantities that differ from what Amazon last accepted, so events that were missed (a
 * crash, a change made outside Medusa's workflows) heal within a day.
 */
export const reconcileAmazonStockWorkflow = createWorkflow(
  reconcileAmazonStockWorkflowId,
  (input: ReconcileAmazonStockWorkflowInput) => {
    const result = enqueueMappedListingsStep({ account_id: input.account_id })
    return new WorkflowResponse(result)
  }
)
