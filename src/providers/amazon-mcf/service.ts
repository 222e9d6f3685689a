import { AbstractFulfillmentProviderService, MedusaError } from "@medusajs/framework/utils"
import type {
  CalculatedShippingOptionPrice,
  CalculateShippingOptionPriceDTO,
  CreateFulfillmentResult,
  CreateShippingOptionDTO,
  FulfillmentDTO,
  FulfillmentItemDTO,
  FulfillmentOption,
  FulfillmentOrderDTO,
} from "@medusajs/framework/types"
import { MCF_SERVICE_TIERS, mcfOrderIdFor, type McfServiceTier } from "../../lib/amazon/mcf/mcf-order"
import { processAmazonModule } from "../../modules/amazon/process-registry"

export interface AmazonMcfProviderOptions {
  /**
   * Prices of "calculated" MCF shipping options per service tier, in the cart's currency (e.g. { STANDARD: 4.9 }).
   * Without them, give the options flat prices (what the plugin's set-up does).
   */
  prices?: Partial<Record<McfServiceTier, number>>
}

const LABEL: Record<McfServiceTier, string> = {
  STANDARD: "Amazon MCF Standard",
  EXPEDITED: "Amazon MCF Expedited",
  PRIORITY: "Amazon MCF Priority",
}

function tierOf(data: Record<string, unknown> | undefined): McfServiceTier | null {
  const tier = (data?.service_tier ?? data?.id?.toString().replace(/^amazon-mcf-/, "").toUpperCase()) as string | undefined
  return tier && (MCF_SERVICE_TIERS as readonly string[]).includes(tier) ? (tier as McfServiceTier) : null
}

/**
 * Multi-Channel Fulfillment as a Medusa fulfillment provider: shipping options of the store ship from the
 * account's FBA stock. The options are Amazon's service tiers. Creating a fulfillment (from the FBA stock
 * location the provider serves) names the MCF order after the fulfillment; the plugin's `fulfillmentCreated`
 * hook then places it at Amazon in the same workflow, so a refusal fails the fulfillment with Amazon's reason
 * (src/workflows/hooks/amazon-mcf-fulfillment-created.ts). Cancelling the fulfillment cancels the MCF order at
 * Amazon first, and is refused with Amazon's reason once Amazon no longer cancels.
 */
export class AmazonMcfFulfillmentProvider extends AbstractFulfillmentProviderService {
  static identifier = "amazon-mcf"

  constructor(_cradle: Record<string, unknown>, protected readonly options_: AmazonMcfProviderOptions = {}) {
    super()
  }

  async getFulfillmentOptions(): Promise<FulfillmentOption[]> {
    return MCF_SERVICE_TIERS.map((tier) => ({ id: `amazon-mcf-${tier.toLowerCase()}`, name: LABEL[tier], service_tier: tier }))
  }

  async validateOption(data: Record<string, unknown>): Promise<boolean> {
    return tierOf(data) !== null
  }

  async validateFulfillmentData(optionData: Record<string, unknown>, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const tier = tierOf(optionData)
    if (!tier) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "This shipping option names no Amazon MCF service tier (STANDARD, EXPEDITED or PRIORITY)")
    }
    return { ...data, service_tier: tier }
  }

  async canCalculate(data: CreateShippingOptionDTO): Promise<boolean> {
    const tier = tierOf((data.data ?? {}) as Record<string, unknown>)
    return !!tier && this.options_.prices?.[tier] !== undefined
  }

  async calculatePrice(
    optionData: CalculateShippingOptionPriceDTO["optionData"],
    _data: CalculateShippingOptionPriceDTO["data"],
    _context: CalculateShippingOptionPriceDTO["context"]
  ): Promise<CalculatedShippingOptionPrice> {
    const tier = tierOf(optionData as Record<string, unknown>)
    const amount = tier ? this.options_.prices?.[tier] : undefined
    if (amount === undefined) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `No price is configured for Amazon MCF ${tier ?? "(unknown tier)"}`)
    }
    return { calculated_amount: amount, is_calculated_price_tax_inclusive: true }
  }

  /** Names the MCF order; the Amazon call is the hook's (it has the store's data and the account). */
  async createFulfillment(
    data: Record<string, unknown>,
    _items: Partial<Omit<FulfillmentItemDTO, "fulfillment">>[],
    _order: Partial<FulfillmentOrderDTO> | undefined,
    fulfillment: Partial<Omit<FulfillmentDTO, "provider_id" | "data" | "items">>
  ): Promise<CreateFulfillmentResult> {
    if (!fulfillment.id) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "An MCF fulfillment needs its id")
    }
    return {
      data: { ...data, mcf_order_id: mcfOrderIdFor(fulfillment.id), fulfillment_id: fulfillment.id, location_id: fulfillment.location_id ?? null },
      labels: [],
    }
  }

  /** Cancels the MCF order at Amazon first; throws (and Medusa keeps the fulfillment) when Amazon refuses. */
  async cancelFulfillment(data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const mcfOrderId = typeof data?.mcf_order_id === "string" ? data.mcf_order_id : null
    if (!mcfOrderId) {
      return {}
    }
    const outcome = await processAmazonModule().cancelMcfOrder(mcfOrderId)
    return { ...data, cancel: outcome.note }
  }

  async createReturnFulfillment(): Promise<CreateFulfillmentResult> {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Returns of Amazon MCF orders are not created from Medusa yet: the buyer returns through Amazon's return process, or use a manual return option"
    )
  }

  async getFulfillmentDocuments(): Promise<never[]> {
    return []
  }

  async getReturnDocuments(): Promise<never[]> {
    return []
  }

  async getShipmentDocuments(): Promise<never[]> {
    return []
  }

  async retrieveDocuments(): Promise<void> {
    return
  }
}
