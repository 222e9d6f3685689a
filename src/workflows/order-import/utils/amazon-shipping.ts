import type { Link } from "@medusajs/framework/modules-sdk"
import type { IFulfillmentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"

/**
 * Medusa's built-in manual fulfillment provider ("manual" registered by @medusajs/fulfillment-manual, which
 * Medusa 2.21's defineConfig loads by default): it records a fulfillment and moves nothing, which is all an
 * Amazon order needs — the merchant ships it (and confirms it at Amazon) or Amazon does.
 */
export const AMAZON_FULFILLMENT_PROVIDER_ID = "manual_manual"

/** Metadata marking the service zones and shipping options the plugin owns. */
export const AMAZON_SHIPPING_METADATA_FLAG = "amazon_plugin"

export type FulfilledBy = "MERCHANT" | "AMAZON"

const OPTION_NAME: Record<FulfilledBy, string> = {
  MERCHANT: "Amazon (merchant-fulfilled)",
  AMAZON: "Amazon (Amazon-fulfilled)",
}

export interface AmazonShippingTarget {
  /** The stock location the order's items are reserved at (merchant), or the FBA location (Amazon). */
  location_id: string
  fulfilled_by: FulfilledBy
}

export interface AmazonOrderShipping {
  /** product id → the shipping profile its items are fulfilled under. */
  profiles: Record<string, string>
  /** `${location_id}|${shipping_profile_id}` → the plugin's shipping option there. */
  options: Record<string, string>
}

export function shippingOptionKey(locationId: string, profileId: string): string {
  return `${locationId}|${profileId}`
}

type LocationRow = {
  id: string
  name: string
  fulfillment_sets?: { id: string; name: string; type: string }[] | null
  fulfillment_providers?: { id: string }[] | null
}

/** One shipping option the plugin still has to create (createShippingOptionsWorkflow, in the workflow). */
export interface MissingAmazonShippingOption {
  service_zone_id: string
  location_id: string
  fulfilled_by: FulfilledBy
  shipping_profile_id: string
}

/**
 * What Medusa's own checkout gives an order and an imported Amazon order needs so Medusa's fulfillment
 * flows work on it (createOrderFulfillmentWorkflow reads the shipping option of the order's shipping
 * method: its provider, its stock location, its shipping profile, which must be the profile of every
 * item fulfilled):
 *
 * - every product of the order in a shipping profile. A product without one is put in the store's default
 *   profile, the rule of Medusa's own migrate-product-shipping-profile script (the profile whose name
 *   contains "default", else the first; "Default Shipping Profile" is created when there is none). Medusa
 *   cannot fulfil an item whose product has no profile, whatever the order's origin.
 * - per stock location a service zone "Amazon (merchant-fulfilled) · <location>" (or "Amazon
 *   (Amazon-fulfilled)" at an FBA location) in the location's shipping fulfillment set (created, named as
 *   the admin names it, when the location has none), with the manual provider enabled at the location;
 * - in it one shipping option per shipping profile, on the manual provider, hidden from the storefront
 *   (rule enabled_in_store = false, and the zone has no geo zone, so no cart address ever matches it).
 *
 * This function does the first two and finds the options that exist (by the `amazon_plugin` metadata);
 * the missing ones are created by ensureAmazonOrderShippingWorkflow with Medusa's
 * createShippingOptionsWorkflow (amazonShippingOptionInput). Idempotent: what exists is reused, so a
 * steady-state call costs a handful of reads. Nothing is ever removed: options and zones are durable and
 * shared by every order that points at them. The caller holds the "amazon:ensure-order-shipping" lock.
 */
export async function planAmazonOrderShipping(
  container: MedusaContainer,
  input: { product_ids: string[]; targets: AmazonShippingTarget[] }
): Promise<AmazonOrderShipping & { missing: MissingAmazonShippingOption[] }> {
  const productIds = [...new Set(input.product_ids)]
  const targets = [...new Map(input.targets.map((t) => [`${t.location_id}|${t.fulfilled_by}`, t])).values()]
  if (!productIds.length) {
    return { profiles: {}, options: {}, missing: [] }
  }
  const profiles = await ensureProductProfiles(container, productIds)
  const options: Record<string, string> = {}
  const missing: MissingAmazonShippingOption[] = []
  const profileIds = [...new Set(Object.values(profiles))]
  for (const target of targets) {
    const zoneId = await ensureServiceZone(container, target)
    const found = await existingOptions(container, zoneId)
    for (const profileId of profileIds) {
      if (found[profileId]) {
        options[shippingOptionKey(target.location_id, profileId)] = found[profileId]
      } else {
        missing.push({ service_zone_id: zoneId, location_id: target.location_id, fulfilled_by: target.fulfilled_by, shipping_profile_id: profileId })
      }
    }
  }
  return { profiles, options, missing }
}

async function ensureProductProfiles(container: MedusaContainer, productIds: string[]): Promise<Record<string, string>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "product", fields: ["id", "shipping_profile.id"], filters: { id: productIds } })
  const profiles: Record<string, string> = {}
  const missing: string[] = []
  for (const p of data as { id: string; shipping_profile?: { id: string } | null }[]) {
    if (p.shipping_profile?.id) {
      profiles[p.id] = p.shipping_profile.id
    } else {
      missing.push(p.id)
    }
  }
  if (!missing.length) {
    return profiles
  }
  const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
  const all = await fulfillment.listShippingProfiles({}, { select: ["id", "name", "type"], order: { created_at: "ASC" } })
  let profileId = (all.find((sp) => sp.type === "default") ?? all.find((sp) => sp.name.toLowerCase().includes("default")) ?? all[0])?.id
  if (!profileId) {
    const [created] = await fulfillment.createShippingProfiles([{ name: "Default Shipping Profile", type: "default" }])
    profileId = created.id
  }
  const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)
  await link.create(missing.map((id) => ({ [Modules.PRODUCT]: { product_id: id }, [Modules.FULFILLMENT]: { shipping_profile_id: profileId } })))
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  logger.info(`amazon orders: ${missing.length} product(s) without a shipping profile were put in the default profile ${profileId}`)
  for (const id of missing) {
    profiles[id] = profileId
  }
  return profiles
}

async function ensureServiceZone(container: MedusaContainer, target: AmazonShippingTarget): Promise<string> {
  const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)

  const { data } = await query.graph({
    entity: "stock_location",
    fields: ["id", "name", "fulfillment_sets.id", "fulfillment_sets.name", "fulfillment_sets.type", "fulfillment_providers.id"],
    filters: { id: target.location_id },
  })
  const location = data[0] as LocationRow | undefined
  if (!location) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Stock location ${target.location_id} does not exist`)
  }

  if (!(location.fulfillment_providers ?? []).some((p) => p?.id === AMAZON_FULFILLMENT_PROVIDER_ID)) {
    const [provider] = await fulfillment.listFulfillmentProviders({ id: AMAZON_FULFILLMENT_PROVIDER_ID }, { take: 1 })
    if (!provider) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `The fulfillment provider ${AMAZON_FULFILLMENT_PROVIDER_ID} (@medusajs/medusa/fulfillment-manual) is not registered; add it to the fulfillment module's providers so imported Amazon orders can be fulfilled`
      )
    }
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_provider_id: AMAZON_FULFILLMENT_PROVIDER_ID },
    })
  }

  const setIds = (location.fulfillment_sets ?? []).filter(Boolean).map((s) => s.id)
  if (setIds.length) {
    const zones = await fulfillment.listServiceZones({ fulfillment_set_id: setIds } as never, { select: ["id", "name", "metadata"] })
    const ours = zones.find(
      (z) => z.metadata?.[AMAZON_SHIPPING_METADATA_FLAG] === true && z.metadata?.fulfilled_by === target.fulfilled_by
    )
    if (ours) {
      return ours.id
    }
  }

  let setId = (location.fulfillment_sets ?? []).filter(Boolean).find((s) => s.type === "shipping")?.id
  if (!setId) {
    // Named as the admin names a location's shipping set; names are unique, hence the fallback.
    const name = await freeName(`${location.name} shipping`, location.id, async (n) =>
      (await fulfillment.listFulfillmentSets({ name: n }, { take: 1, select: ["id"] })).length > 0
    )
    const created = await fulfillment.createFulfillmentSets({ name, type: "shipping" })
    await link.create({ [Modules.STOCK_LOCATION]: { stock_location_id: location.id }, [Modules.FULFILLMENT]: { fulfillment_set_id: created.id } })
    setId = created.id
  }
  const zoneName = await freeName(`${OPTION_NAME[target.fulfilled_by]} · ${location.name}`, location.id, async (n) =>
    (await fulfillment.listServiceZones({ name: n }, { take: 1, select: ["id"] })).length > 0
  )
  // The model keeps metadata although CreateServiceZoneDTO does not list it.
  const [zone] = await fulfillment.createServiceZones([
    {
      name: zoneName,
      fulfillment_set_id: setId,
      geo_zones: [],
      metadata: { [AMAZON_SHIPPING_METADATA_FLAG]: true, fulfilled_by: target.fulfilled_by, location_id: location.id },
    } as never,
  ])
  return zone.id
}

async function existingOptions(container: MedusaContainer, zoneId: string): Promise<Record<string, string>> {
  const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
  const existing = await fulfillment.listShippingOptions(
    { service_zone_id: zoneId } as never,
    { select: ["id", "shipping_profile_id", "provider_id", "metadata"] }
  )
  const out: Record<string, string> = {}
  for (const o of existing) {
    if (o.metadata?.[AMAZON_SHIPPING_METADATA_FLAG] === true && o.shipping_profile_id && !out[o.shipping_profile_id]) {
      out[o.shipping_profile_id] = o.id
    }
  }
  return out
}

/**
 * createShippingOptionsWorkflow's input for a missing option: Medusa's own workflow checks the provider is
 * enabled at the zone's location and gives the option its (empty) price set, as an option made in the
 * admin has. No price: the order's shipping method carries what Amazon charged, and the option is never
 * offered at a checkout.
 */
export function amazonShippingOptionInput(missing: MissingAmazonShippingOption) {
  const name = OPTION_NAME[missing.fulfilled_by]
  return {
    name,
    service_zone_id: missing.service_zone_id,
    shipping_profile_id: missing.shipping_profile_id,
    provider_id: AMAZON_FULFILLMENT_PROVIDER_ID,
    price_type: "flat" as const,
    prices: [],
    type: {
      label: name,
      description:
        missing.fulfilled_by === "MERCHANT" ? "Amazon orders the merchant ships (FBM)" : "Amazon orders Amazon ships from its warehouses (FBA)",
      code: missing.fulfilled_by === "MERCHANT" ? "amazon-fbm" : "amazon-fba",
    },
    data: {},
    rules: [
      { attribute: "enabled_in_store", operator: "eq" as const, value: "false" },
      { attribute: "is_return", operator: "eq" as const, value: "false" },
    ],
    metadata: { [AMAZON_SHIPPING_METADATA_FLAG]: true, fulfilled_by: missing.fulfilled_by },
  }
}

async function freeName(base: string, id: string, taken: (name: string) => Promise<boolean>): Promise<string> {
  return (await taken(base)) ? `${base} (${id})` : base
}
