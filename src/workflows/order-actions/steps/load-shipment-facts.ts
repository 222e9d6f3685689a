import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ShipmentFacts } from "../../../lib/amazon/order-actions"
import { loadOrderAmazonContext } from "../utils/order-facts"

export const loadShipmentFactsStepId = "amazon-load-shipment-facts"

export interface LoadShipmentFactsStepInput {
  /** The fulfillment named by `shipment.created`. */
  fulfillment_id: string
}

/** Everything planShipmentConfirmation needs; null when the fulfillment or its order is gone. */
export type LoadShipmentFactsStepOutput = ShipmentFacts | null

/**
 * Reads a shipped fulfillment (labels, items, provider, shipping option), its order (line items with their
 * Amazon order item ids and kit make-up), the order's Amazon record and the account's carrier settings.
 *
 * @example
 * const facts = loadShipmentFactsStep({ fulfillment_id: "ful_…" })
 */
export const loadShipmentFactsStep = createStep(loadShipmentFactsStepId, async (input: LoadShipmentFactsStepInput, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "fulfillment",
    fields: [
      "id",
      "shipped_at",
      "canceled_at",
      "provider_id",
      "shipping_option_id",
      "metadata",
      "labels.tracking_number",
      "items.line_item_id",
      "items.inventory_item_id",
      "items.quantity",
      "shipping_option.name",
      "order.id",
    ],
    filters: { id: input.fulfillment_id },
  })
  const f = data[0] as any
  const orderId: string | undefined = f?.order?.id
  if (!f || !orderId) {
    return new StepResponse<LoadShipmentFactsStepOutput>(null)
  }
  const context = await loadOrderAmazonContext(container, orderId)
  if (!context.order) {
    return new StepResponse<LoadShipmentFactsStepOutput>(null)
  }
  const facts: ShipmentFacts = {
    fulfillment: {
      id: f.id,
      shipped_at: f.shipped_at ?? null,
      canceled_at: f.canceled_at ?? null,
      provider_id: f.provider_id ?? null,
      shipping_option_id: f.shipping_option_id ?? null,
      shipping_option_name: f.shipping_option?.name ?? null,
      metadata: f.metadata ?? null,
      labels: (f.labels ?? []).filter(Boolean).map((l: any) => ({ tracking_number: l.tracking_number ?? null })),
      items: (f.items ?? []).filter(Boolean).map((i: any) => ({
        line_item_id: i.line_item_id ?? null,
        inventory_item_id: i.inventory_item_id ?? null,
        quantity: Number(i.quantity),
      })),
    },
    order: { id: context.order.id, metadata: context.order.metadata, items: context.order.items },
    amazon_order: context.amazon_order,
    carriers: context.settings.carriers,
  }
  return new StepResponse<LoadShipmentFactsStepOutput>(facts)
})
