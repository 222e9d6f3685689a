import type { IOrderModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { AmazonTaxPlan } from "../../../lib/amazon/orders"

export const setAmazonOrderTaxLinesStepId = "amazon-set-order-tax-lines"

export interface SetAmazonOrderTaxLinesStepInput {
  order_id: string
  tax: AmazonTaxPlan
}

type TaxLineRow = { item_id?: string; shipping_method_id?: string; rate: unknown; code: string; description?: string | null; provider_id?: string | null }

export const AMAZON_TAX_CODE = "AMAZON"
export const AMAZON_TAX_DESCRIPTION = "Tax collected by Amazon"

/**
 * Replaces the tax lines of an imported order with Amazon's tax, always in full: the amounts Amazon
 * charged are the truth, whatever tax the region would compute (and an Amazon order without tax must not
 * keep tax lines a region's automatic taxes added). Medusa keeps tax as a rate, so each line gets the rate
 * that reproduces Amazon's amount on its subtotal (see buildMedusaOrderInput).
 *
 * @example
 * setAmazonOrderTaxLinesStep({ order_id: order.id, tax })
 */
export const setAmazonOrderTaxLinesStep = createStep(
  setAmazonOrderTaxLinesStepId,
  async (input: SetAmazonOrderTaxLinesStepInput, { container }) => {
    const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", "items.id", "items.metadata", "shipping_methods.id"],
      filters: { id: input.order_id },
    })
    const order = data[0] as {
      items?: { id: string; metadata?: Record<string, unknown> | null }[]
      shipping_methods?: { id: string }[]
    }
    const itemIds = (order?.items ?? []).map((i) => i.id)
    const shippingIds = (order?.shipping_methods ?? []).map((s) => s.id)
    const [previousItems, previousShipping] = await Promise.all([
      itemIds.length ? orders.listOrderLineItemTaxLines({ item_id: itemIds }) : [],
      shippingIds.length ? orders.listOrderShippingMethodTaxLines({ shipping_method_id: shippingIds }) : [],
    ])

    const lineOf = new Map((order?.items ?? []).map((i) => [i.metadata?.amazon_order_item_id, i.id]))
    const itemLines = input.tax.items
      .filter((t) => lineOf.has(t.order_item_id) && t.rate !== 0)
      .map((t) => ({ item_id: lineOf.get(t.order_item_id) as string, rate: t.rate, code: AMAZON_TAX_CODE, description: AMAZON_TAX_DESCRIPTION }))
    const shippingLines =
      input.tax.shipping && input.tax.shipping.rate !== 0 && shippingIds[0]
        ? [{ shipping_method_id: shippingIds[0], rate: input.tax.shipping.rate, code: AMAZON_TAX_CODE, description: AMAZON_TAX_DESCRIPTION }]
        : []

    // Writes only what changes (an order without tax in a region without automatic taxes: nothing).
    if (itemLines.length || previousItems.length) {
      await orders.setOrderLineItemTaxLines(input.order_id, itemLines as never)
    }
    if (shippingLines.length || previousShipping.length) {
      await orders.setOrderShippingMethodTaxLines(input.order_id, shippingLines as never)
    }
    return new StepResponse(void 0, {
      order_id: input.order_id,
      items: (previousItems as unknown as TaxLineRow[]).map(restorable),
      shipping: (previousShipping as unknown as TaxLineRow[]).map(restorable),
    })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
    await orders.setOrderLineItemTaxLines(previous.order_id, previous.items as never)
    await orders.setOrderShippingMethodTaxLines(previous.order_id, previous.shipping as never)
  }
)

function restorable(line: TaxLineRow) {
  return {
    ...(line.item_id ? { item_id: line.item_id } : {}),
    ...(line.shipping_method_id ? { shipping_method_id: line.shipping_method_id } : {}),
    rate: line.rate,
    code: line.code,
    description: line.description ?? undefined,
    provider_id: line.provider_id ?? undefined,
  }
}
