import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const enqueueStockChangesStepId = "amazon-enqueue-stock-changes"

export interface EnqueueStockChangesStepInput {
  /** Each variant with why it changed, kept on the outbox row for the admin ("order.placed", "retry" …). */
  items: { variant_id: string; reason: string }[]
  /** Push ahead of the feed (patchListingsItem). */
  urgent?: boolean
}

/**
 * Upserts outbox rows for variants (bulk; repeated changes of a variant coalesce into one row).
 * No compensation: an extra outbox row only costs a quantity computation, and the push skips a SKU whose
 * quantity Amazon already holds, so undoing it would buy nothing.
 *
 * @example
 * enqueueStockChangesStep({ items: [{ variant_id: "variant_1", reason: "order.placed" }] })
 */
export const enqueueStockChangesStep = createStep(
  enqueueStockChangesStepId,
  async (input: EnqueueStockChangesStepInput, { container }) => {
    if (!input.items.length) {
      return new StepResponse({ enqueued: 0 })
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const enqueued = await amazon.enqueueStockChanges(input.items.map((i) => ({ ...i, urgent: input.urgent })))
    return new StepResponse({ enqueued })
  }
)
