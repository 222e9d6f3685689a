import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordAmazonOrderBackfillStep } from "./steps/record-amazon-order-backfill"
import type { RecordAmazonOrderBackfillStepInput } from "./steps/record-amazon-order-backfill"

export const requestAmazonOrderBackfillWorkflowId = "amazon-request-order-backfill"

/**
 * The admin's "import older orders": records a back-import of the account's orders created since a date
 * (per marketplace, progress on its cursor), which the order import carries out within its searchOrders
 * quota on its next runs (backfillMarketplaceOrders). Orders already imported are skipped; units Amazon
 * shipped before the back-import are recorded without moving the store's stock.
 *
 * @example
 * const { result } = await requestAmazonOrderBackfillWorkflow(container).run({ input: { account_id, created_after: "2026-06-01" } })
 */
export const requestAmazonOrderBackfillWorkflow = createWorkflow(requestAmazonOrderBackfillWorkflowId, (input: RecordAmazonOrderBackfillStepInput) => {
  return new WorkflowResponse(recordAmazonOrderBackfillStep(input))
})
