import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const enqueueVariantStockStepId = "amazon-admin-enqueue-variant-stock"

export interface EnqueueVariantStockStepInput {
  variant_ids: string[]
  /** Kept on the outbox row for the dashboard, e.g. "amazon.listing_linked". */
  reason: string
}

/**
 * Puts variants in the stock outbox after a mapping or rule change, so the next push sends the quantity
 * Amazon should now show. No compensation: an extra outbox row costs one quantity computation, and the
 * push skips a SKU whose quantity Amazon already holds.
 *
 * @example
 * enqueueVariantStockStep({ variant_ids: ["variant_…"], reason: "amazon.listing_linked" })
 */
export const enqueueVariantStockStep = createStep(
  enqueueVariantStockStepId,
  async (input: EnqueueVariantStockStepInput, { container }) => {
    const ids = [...new Set(input.variant_ids.filter(Boolean))]
    if (!ids.length) {
      return new StepResponse({ enqueued: 0 })
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const enqueued = await amazon.enqueueStockChanges(ids.map((variant_id) => ({ variant_id, reason: input.reason })))
    return new StepResponse({ enqueued })
  }
)
