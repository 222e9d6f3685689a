import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { ORDER_STOCK_CHANGE_REASON } from "../constants"

export const enqueueAmazonOrderStockChangesStepId = "amazon-order-enqueue-stock-changes"

export interface EnqueueAmazonOrderStockChangesStepInput {
  variant_ids: string[]
  reason?: string
}

/**
 * Puts the variants whose store stock the import changed into the stock outbox, so the stock push sends
 * the new quantity to every Amazon listing of the variant (other marketplaces, the other offer) and any
 * other channel sees it. The workflow's last step; no compensation: an extra outbox entry only makes the
 * push recompute a quantity that did not change.
 *
 * @example
 * enqueueAmazonOrderStockChangesStep({ variant_ids: plan.variant_ids })
 */
export const enqueueAmazonOrderStockChangesStep = createStep(
  enqueueAmazonOrderStockChangesStepId,
  async (input: EnqueueAmazonOrderStockChangesStepInput, { container }) => {
    if (!input.variant_ids.length) {
      return new StepResponse(0)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const reason = input.reason ?? ORDER_STOCK_CHANGE_REASON
    const count = await amazon.enqueueStockChanges(input.variant_ids.map((variant_id) => ({ variant_id, reason })))
    return new StepResponse(count)
  }
)
