import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export const loadAmazonOrderLineItemsStepId = "amazon-load-order-line-items"

export interface LoadAmazonOrderLineItemsStepInput {
  /** null while the Amazon order has no Medusa order (PENDING): nothing to load. */
  order_id: string | null
}

/**
 * Amazon order item id → Medusa line item id of an imported order (the import writes the Amazon id into
 * each line item's metadata), so reservations can be tied to the line items.
 *
 * @example
 * const lineItems = loadAmazonOrderLineItemsStep({ order_id })
 */
export const loadAmazonOrderLineItemsStep = createStep(
  loadAmazonOrderLineItemsStepId,
  async (input: LoadAmazonOrderLineItemsStepInput, { container }) => {
    const byOrderItem: Record<string, string> = {}
    if (!input.order_id) {
      return new StepResponse(byOrderItem)
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ["id", "items.id", "items.metadata"], filters: { id: input.order_id } })
    for (const item of ((data[0] as { items?: { id: string; metadata?: Record<string, unknown> | null }[] })?.items ?? [])) {
      const key = item.metadata?.amazon_order_item_id
      if (typeof key === "string") {
        byOrderItem[key] = item.id
      }
    }
    return new StepResponse(byOrderItem)
  }
)
