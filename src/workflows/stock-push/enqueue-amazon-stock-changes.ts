import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { enqueueStockChangesStep } from "./steps/enqueue-stock-changes"
import { resolveStockChangeVariantsStep, StockChangeEvent } from "./steps/resolve-stock-change-variants"

export const enqueueAmazonStockChangesWorkflowId = "amazon-enqueue-stock-changes"

export interface EnqueueAmazonStockChangesWorkflowInput {
  /** Medusa events (name + payload) that may have changed stock; their names become the reasons. */
  events?: StockChangeEvent[]
  /** Or the affected variants directly (e.g. the Amazon order import after it reserved stock). */
  variant_ids?: string[]
  /** Reason stored for `variant_ids`. Default "manual". */
  reason?: string
  urgent?: boolean
}

/**
 * Records in the stock outbox that variants' sellable quantity may have changed, for callers that have the
 * variants (or events) in hand and want the outbox row now. Never calls Amazon. The store subscriber does
 * not run it: it only records the raw event (amazon_stock_event), which the push resolves in bulk with the
 * same lookups (resolveStockChangeVariants) at the start of its run.
 */
export const enqueueAmazonStockChangesWorkflow = createWorkflow(
  enqueueAmazonStockChangesWorkflowId,
  (input: EnqueueAmazonStockChangesWorkflowInput) => {
    const resolved = resolveStockChangeVariantsStep({
      events: input.events,
      variant_ids: input.variant_ids,
      reason: input.reason,
    })
    const enqueueInput = transform({ input, resolved }, ({ input, resolved }) => ({
      items: resolved.items,
      urgent: input.urgent,
    }))
    const result = enqueueStockChangesStep(enqueueInput)
    return new WorkflowResponse(result)
  }
)
