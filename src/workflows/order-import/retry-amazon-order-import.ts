import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { loadAmazonOrderForRetryStep } from "./steps/load-amazon-order-for-retry"
import { runAmazonOrderImportStep } from "./steps/run-amazon-order-import"

export const retryAmazonOrderImportWorkflowId = "amazon-retry-order-import"

export interface RetryAmazonOrderImportWorkflowInput {
  /** Our amazon_order record id (amzord_…), e.g. of an order that needs attention. */
  id: string
}

/**
 * Imports an Amazon order again from the payload we kept, typically after the admin mapped its unknown
 * SKU or published its product. The version is applied even though it was seen before; everything else
 * is the normal import (same decisions, same exactly-once guarantees: an order that already has its
 * Medusa order is not created twice, stock already moved is not moved again). Makes no Amazon call.
 *
 * @example
 * const { result } = await retryAmazonOrderImportWorkflow(container).run({ input: { id: "amzord_01…" } })
 * // result.outcome: "imported" | "pending" | "needs_attention" | "failed" | "skipped"
 */
export const retryAmazonOrderImportWorkflow = createWorkflow(
  retryAmazonOrderImportWorkflowId,
  (input: RetryAmazonOrderImportWorkflowInput) => {
    const target = loadAmazonOrderForRetryStep({ id: input.id })
    const result = runAmazonOrderImportStep(
      transform({ target }, ({ target }) => ({
        account_id: target.account_id,
        marketplace_id: target.marketplace_id,
        order: target.payload,
        force: true,
      }))
    )
    return new WorkflowResponse(result)
  }
)
