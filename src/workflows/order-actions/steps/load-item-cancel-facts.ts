import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CancelActionPayload, ItemCancelFacts } from "../../../lib/amazon/order-actions"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { readCancelFacts } from "./load-cancel-facts"

export const loadItemCancelFactsStepId = "amazon-load-item-cancel-facts"

export interface LoadItemCancelFactsStepInput {
  /** The order named by `order-edit.confirmed`. */
  order_id: string
}

/** Everything planItemCancellation needs; null when the order is gone. */
export type LoadItemCancelFactsStepOutput = ItemCancelFacts | null

/**
 * Reads an edited order as for a cancellation (its lines with their current quantities and Amazon ids,
 * fulfillments, Amazon record, shipment confirmations), plus the Amazon order as last imported (Amazon's
 * items and quantities) and the Amazon items already in a cancel row that is not failed, so an item is
 * never cancelled twice.
 *
 * @example
 * const facts = loadItemCancelFactsStep({ order_id: "order_…" })
 */
export const loadItemCancelFactsStep = createStep(loadItemCancelFactsStepId, async (input: LoadItemCancelFactsStepInput, { container }) => {
  const read = await readCancelFacts(container, input.order_id)
  if (!read) {
    return new StepResponse<LoadItemCancelFactsStepOutput>(null)
  }
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const cancels = await amazon.listAmazonOrderActions(
    { order_id: input.order_id, kind: "cancel", status: ["queued", "sending", "done"] },
    { select: ["id", "payload"] }
  )
  const items = cancels.flatMap((row) => ((row.payload as unknown as CancelActionPayload | null)?.items ?? []).map((i) => i.order_item_id))
  const facts: ItemCancelFacts = {
    ...read.facts,
    amazon_payload: read.context.amazon_order?.payload ?? null,
    items_in_cancel_actions: [...new Set(items)],
  }
  return new StepResponse<LoadItemCancelFactsStepOutput>(facts)
})
