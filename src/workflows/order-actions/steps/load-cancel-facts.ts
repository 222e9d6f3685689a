import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CancelFacts } from "../../../lib/amazon/order-actions"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { loadOrderAmazonContext, type OrderAmazonContext } from "../utils/order-facts"

export const loadCancelFactsStepId = "amazon-load-cancel-facts"

export interface LoadCancelFactsStepInput {
  /** The order named by `order.canceled`. */
  order_id: string
}

/** Everything planCancellation needs; null when the order is gone. */
export type LoadCancelFactsStepOutput = CancelFacts | null

/**
 * Reads a cancelled order (status, metadata with the chosen reason, line items with their Amazon ids,
 * fulfillments), its Amazon record, the account's default reason and the shipment confirmations already
 * recorded for it (any one that is not failed means a unit has shipped, or is about to be confirmed).
 *
 * @example
 * const facts = loadCancelFactsStep({ order_id: "order_…" })
 */
export const loadCancelFactsStep = createStep(loadCancelFactsStepId, async (input: LoadCancelFactsStepInput, { container }) => {
  const read = await readCancelFacts(container, input.order_id)
  return new StepResponse<LoadCancelFactsStepOutput>(read?.facts ?? null)
})

/** The cancel facts of an order with the Amazon record they were read from; null when the order is gone. */
export async function readCancelFacts(
  container: Pick<MedusaContainer, "resolve">,
  orderId: string
): Promise<{ facts: CancelFacts; context: OrderAmazonContext } | null> {
  const context = await loadOrderAmazonContext(container, orderId)
  if (!context.order) {
    return null
  }
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [, shipmentActions] = await amazon.listAndCountAmazonOrderActions(
    { order_id: orderId, kind: "confirm_shipment", status: ["queued", "sending", "done"] },
    { select: ["id"], take: 1 }
  )
  const facts: CancelFacts = {
    order: context.order,
    amazon_order: context.amazon_order,
    default_cancel_reason: context.settings.default_cancel_reason ?? null,
    shipment_actions: shipmentActions,
  }
  return { facts, context }
}
