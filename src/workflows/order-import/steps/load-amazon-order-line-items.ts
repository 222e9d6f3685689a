import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export const loadAmazonOrderLineItemsStepId = "amazon-load-order-line-items"

export interface LoadAmazonOrderLineItemsStepInput {
  /** null while the Amazon order has no Medusa order (PENDING): nothing to load. */
  order_id: string | null
}

export interface LoadAmazonOrderLineItemsStepOutput {
  /** Amazon order item id → Medusa line item id. */
  line_items: Record<string, string>
  /** Line item id → units Medusa shows fulfilled (every fulfillment of the order, the store's included). */
  fulfilled: Record<string, number>
  /** Line item id → its quantity in Medusa now (lower than Amazon's once staff removed units in an order edit). */
  quantities: Record<string, number>
  /** Line item id → the shipping profile of its product (null: none). */
  profiles: Record<string, string | null>
  /** The shipping option of the order's shipping method, with its profile. */
  shipping_option: { id: string; shipping_profile_id: string | null } | null
}

type OrderRow = {
  id: string
  items?: {
    id: string
    metadata?: Record<string, unknown> | null
    detail?: { fulfilled_quantity?: unknown; quantity?: unknown } | null
    variant?: { product?: { shipping_profile?: { id: string } | null } | null } | null
  }[]
  shipping_methods?: { id: string; shipping_option_id?: string | null }[]
}

/**
 * What the stock plan needs of an imported order's Medusa side, read after the order was created or
 * repaired in the same run: Amazon order item id → line item (the import writes the Amazon id into each
 * line item's metadata) so reservations are tied to line items; Medusa's fulfilled quantity per line item
 * (the truth for what left stock, whoever fulfilled it); the line items' shipping profiles and the order's
 * shipping option, which decide whether Medusa's createOrderFulfillmentWorkflow can fulfil them.
 *
 * @example
 * const lineItems = loadAmazonOrderLineItemsStep({ order_id })
 */
export const loadAmazonOrderLineItemsStep = createStep(
  loadAmazonOrderLineItemsStepId,
  async (input: LoadAmazonOrderLineItemsStepInput, { container }) => {
    const out: LoadAmazonOrderLineItemsStepOutput = { line_items: {}, fulfilled: {}, quantities: {}, profiles: {}, shipping_option: null }
    if (!input.order_id) {
      return new StepResponse(out)
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "items.id",
        "items.metadata",
        "items.detail.fulfilled_quantity",
        "items.detail.quantity",
        "items.variant.product.shipping_profile.id",
        "shipping_methods.id",
        "shipping_methods.shipping_option_id",
      ],
      filters: { id: input.order_id },
    })
    const order = data[0] as OrderRow | undefined
    for (const item of order?.items ?? []) {
      const key = item.metadata?.amazon_order_item_id
      if (typeof key === "string") {
        out.line_items[key] = item.id
      }
      out.fulfilled[item.id] = Number(item.detail?.fulfilled_quantity ?? 0) || 0
      if (item.detail?.quantity !== undefined && item.detail?.quantity !== null) {
        out.quantities[item.id] = Number(item.detail.quantity)
      }
      out.profiles[item.id] = item.variant?.product?.shipping_profile?.id ?? null
    }
    const optionId = order?.shipping_methods?.find((m) => m.shipping_option_id)?.shipping_option_id
    if (optionId) {
      const { data: options } = await query.graph({ entity: "shipping_option", fields: ["id", "shipping_profile_id"], filters: { id: optionId } })
      const option = options[0] as { id: string; shipping_profile_id?: string | null } | undefined
      if (option) {
        out.shipping_option = { id: option.id, shipping_profile_id: option.shipping_profile_id ?? null }
      }
    }
    return new StepResponse(out)
  }
)
