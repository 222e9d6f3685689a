import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { AMAZON_STOCK_QUEUED_EVENT } from "../constants"

export const enqueueVariantStockStepId = "amazon-admin-enqueue-variant-stock"

export interface EnqueueVariantStockStepInput {
  variant_ids: string[]
  /** Kept on the outbox row for the dashboard, e.g. "amazon.listing_linked". */
  reason: string
}

/**
 * Puts variants in the stock outbox after a mapping or rule change, so the next push sends the quantity
 * Amazon should now show. No compensation: an extra outbox row costs one quantity computation, and the
 * push skips a SKU whose quantity Amazon already holds. Then it emits `amazon.stock_queued`, whose
 * subscriber (on the worker) starts the push a second later: the mapping reaches Amazon in seconds. It is
 * emitted at once, not with the workflow's event group: a run that fails later only costs a push that
 * finds nothing to change.
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
    await container.resolve<IEventBusModuleService>(Modules.EVENT_BUS).emit({ name: AMAZON_STOCK_QUEUED_EVENT, data: { reason: input.reason, variants: ids.length } })
    return new StepResponse({ enqueued })
  }
)
