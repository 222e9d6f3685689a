import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ensureAmazonOrderShipping, shippingOptionKey } from "../utils/amazon-shipping"
import type { FulfilledBy } from "../utils/amazon-shipping"

export const ensureAmazonOrderShippingStepId = "amazon-ensure-order-shipping"

export interface EnsureAmazonOrderShippingStepInput {
  /** The products of the order's variants. */
  product_ids: string[]
  /** The product of the order's first item: its shipping profile picks the order's shipping option. */
  first_product_id: string | null
  /** Merchant orders: where the first item is (or will be) reserved; Amazon orders: the FBA location. */
  location_id: string | null
  fulfilled_by: FulfilledBy
}

export interface EnsureAmazonOrderShippingStepOutput {
  /** The option the order's shipping method points at; null when the order has no location to ship from. */
  shipping_option_id: string | null
  /** product id → shipping profile. */
  profiles: Record<string, string>
}

/**
 * The shipping option of one imported order (see ensureAmazonOrderShipping): the plugin's "Amazon
 * (merchant-fulfilled)" option at the location the order ships from, or "Amazon (Amazon-fulfilled)" at
 * the FBA location, for the shipping profile of the order's first product, created once on Medusa's
 * manual provider. No compensation on purpose: the option is durable and shared by every Amazon order.
 *
 * @example
 * const shipping = ensureAmazonOrderShippingStep({ product_ids, first_product_id, location_id, fulfilled_by: "MERCHANT" })
 */
export const ensureAmazonOrderShippingStep = createStep(
  ensureAmazonOrderShippingStepId,
  async (input: EnsureAmazonOrderShippingStepInput, { container }) => {
    if (!input.location_id || !input.product_ids.length) {
      return new StepResponse<EnsureAmazonOrderShippingStepOutput>({ shipping_option_id: null, profiles: {} })
    }
    const shipping = await ensureAmazonOrderShipping(container, {
      product_ids: input.product_ids,
      targets: [{ location_id: input.location_id, fulfilled_by: input.fulfilled_by }],
    })
    const profile = shipping.profiles[input.first_product_id ?? input.product_ids[0]] ?? Object.values(shipping.profiles)[0]
    return new StepResponse<EnsureAmazonOrderShippingStepOutput>({
      shipping_option_id: profile ? (shipping.options[shippingOptionKey(input.location_id, profile)] ?? null) : null,
      profiles: shipping.profiles,
    })
  }
)
