import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import {
  batchLinksWorkflow,
  createLocationFulfillmentSetWorkflow,
  createServiceZonesWorkflow,
  createShippingOptionsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import { marketplaceLabel } from "../../lib/amazon/endpoints"
import { MCF_SERVICE_TIERS, type McfServiceTier } from "../../lib/amazon/mcf/mcf-order"
import { AMAZON_MODULE } from "../../modules/amazon"
import type AmazonModuleService from "../../modules/amazon/service"
import { readAccountSettings } from "../../types/account-settings"
import { MCF_PROVIDER_ID } from "./constants"

export interface OfferMcfShippingInput {
  account_id: string
  marketplace_id: string
  /** ISO 3166 countries the options ship to (lower case); default: the FBA location's country. */
  countries?: string[]
  /** Sales channels whose carts may be allocated from the FBA stock (the store's web shop). */
  sales_channel_ids: string[]
  /** Flat price per service tier, in the currency given (the customer pays this; Amazon bills its MCF fee). */
  prices: { service_tier: McfServiceTier; currency_code: string; amount: number }[]
  shipping_profile_id?: string
}

export interface OfferMcfShippingResult {
  location_id: string
  fulfillment_set_id: string
  service_zone_id: string
  shipping_option_ids: Record<string, string>
  created: string[]
}

const TIER_LABEL: Record<McfServiceTier, { label: string; description: string }> = {
  STANDARD: { label: "Standard (shipped by Amazon)", description: "3–5 business days" },
  EXPEDITED: { label: "Expedited (shipped by Amazon)", description: "2 business days" },
  PRIORITY: { label: "Priority (shipped by Amazon)", description: "1 business day" },
}

/**
 * "Ship store orders from FBA": makes the account's FBA stock location a shipping location of the store for
 * the MCF provider: the provider linked to the location, a fulfillment set with a service zone of the given
 * countries, one flat-priced shipping option per chosen service tier, and the location linked to the store's
 * sales channels, so Medusa reserves and allocates those carts from FBA stock (and nothing else ships MCF).
 * Each part is created with Medusa's own workflow and only if missing, so running it again adds what is new.
 *
 * An orchestrator, not one workflow: which parts exist decides which workflows run, and each is its own
 * transaction (a part made stays made; the next run completes the rest).
 */
export async function offerMcfShipping(container: MedusaContainer, input: OfferMcfShippingInput): Promise<OfferMcfShippingResult> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const account = await amazon.retrieveAmazonAccount(input.account_id, { select: ["id", "name", "settings", "marketplace_ids"] })
  if (!((account.marketplace_ids ?? []) as unknown as string[]).includes(input.marketplace_id)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `The account does not sell in ${input.marketplace_id}`)
  }
  const locationId = readAccountSettings(account.settings).fba_location_ids?.[input.marketplace_id]
  if (!locationId) {
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      `There is no Amazon FBA location for ${marketplaceLabel(input.marketplace_id)} yet: run "Sync FBA stock" once, which creates it`
    )
  }
  for (const p of input.prices) {
    if (!(MCF_SERVICE_TIERS as readonly string[]).includes(p.service_tier)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Unknown MCF service tier ${p.service_tier}`)
    }
  }
  const created: string[] = []
  const { data: locations } = await query.graph({
    entity: "stock_location",
    fields: ["id", "name", "address.country_code", "fulfillment_providers.id", "fulfillment_sets.id", "fulfillment_sets.name", "fulfillment_sets.service_zones.id", "sales_channels.id"],
    filters: { id: locationId },
  })
  const location = locations[0] as any
  if (!location) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `The FBA location ${locationId} no longer exists: run "Sync FBA stock" to make it again`)
  }
  if (!(location.fulfillment_providers ?? []).some((p: { id: string }) => p?.id === MCF_PROVIDER_ID)) {
    await batchLinksWorkflow(container).run({
      input: { create: [{ [Modules.STOCK_LOCATION]: { stock_location_id: locationId }, [Modules.FULFILLMENT]: { fulfillment_provider_id: MCF_PROVIDER_ID } }] },
    })
    created.push("provider link")
  }
  const missingChannels = input.sales_channel_ids.filter((id) => !(location.sales_channels ?? []).some((c: { id: string }) => c?.id === id))
  if (missingChannels.length) {
    await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: locationId, add: missingChannels } })
    created.push(`${missingChannels.length} sales channel link(s)`)
  }
  const setName = `Amazon MCF (${marketplaceLabel(input.marketplace_id)})`
  const setOfLocation = async () => {
    const { data } = await query.graph({
      entity: "stock_location",
      fields: ["fulfillment_sets.id", "fulfillment_sets.name", "fulfillment_sets.service_zones.id"],
      filters: { id: locationId },
    })
    return ((data[0] as any)?.fulfillment_sets ?? []).find((s: { name: string } | null) => s?.name === setName)
  }
  let set = (location.fulfillment_sets ?? []).find((s: { name: string }) => s?.name === setName)
  if (!set) {
    await createLocationFulfillmentSetWorkflow(container).run({ input: { location_id: locationId, fulfillment_set_data: { name: setName, type: "shipping" } } })
    // read back from this location (another account's location may have a set of the same name)
    set = await setOfLocation()
    created.push("fulfillment set")
  }
  let zoneId: string | undefined = set.service_zones?.[0]?.id
  if (!zoneId) {
    const countries = (input.countries?.length ? input.countries : [location.address?.country_code].filter(Boolean)).map((c: string) => c.toLowerCase())
    if (!countries.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Name the countries the MCF options ship to")
    }
    const { result } = await createServiceZonesWorkflow(container).run({
      input: { data: [{ fulfillment_set_id: set.id, name: `${setName} zone`, geo_zones: countries.map((country_code: string) => ({ type: "country" as const, country_code })) }] },
    })
    zoneId = result[0].id
    created.push("service zone")
  }
  const existing = await fulfillment.listShippingOptions({ service_zone: { id: zoneId }, provider_id: MCF_PROVIDER_ID } as never, { select: ["id", "data"] })
  const optionIds: Record<string, string> = {}
  for (const o of existing) {
    const tier = (o.data as { service_tier?: string } | null)?.service_tier
    if (tier) optionIds[tier] = o.id
  }
  let profileId = input.shipping_profile_id
  if (!profileId) {
    const [profile] = await fulfillment.listShippingProfiles({ type: "default" }, { take: 1 })
    profileId = profile?.id
  }
  if (!profileId) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "The store has no default shipping profile: name one (shipping_profile_id)")
  }
  const tiers = [...new Set(input.prices.map((p) => p.service_tier))].filter((t) => !optionIds[t])
  if (tiers.length) {
    const { result } = await createShippingOptionsWorkflow(container).run({
      input: tiers.map((tier) => ({
        name: TIER_LABEL[tier].label,
        price_type: "flat" as const,
        provider_id: MCF_PROVIDER_ID,
        service_zone_id: zoneId!,
        shipping_profile_id: profileId!,
        type: { label: TIER_LABEL[tier].label, description: TIER_LABEL[tier].description, code: `amazon-mcf-${tier.toLowerCase()}` },
        data: { id: `amazon-mcf-${tier.toLowerCase()}`, service_tier: tier },
        prices: input.prices.filter((p) => p.service_tier === tier).map((p) => ({ currency_code: p.currency_code.toLowerCase(), amount: p.amount })),
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" as const },
          { attribute: "is_return", value: "false", operator: "eq" as const },
        ],
      })),
    })
    result.forEach((o, i) => (optionIds[tiers[i]] = o.id))
    created.push(`${tiers.length} shipping option(s)`)
  }
  return { location_id: locationId, fulfillment_set_id: set.id, service_zone_id: zoneId!, shipping_option_ids: optionIds, created }
}
