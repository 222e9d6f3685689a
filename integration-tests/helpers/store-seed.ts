import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  addShippingMethodToCartWorkflow,
  completeCartWorkflow,
  createCartWorkflow,
  createInventoryItemsWorkflow,
  createInventoryLevelsWorkflow,
  createPaymentCollectionForCartWorkflow,
  createPaymentSessionsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"

/**
 * A minimal but real store for tests: a region (EUR, Germany) with the system payment provider, a sales
 * channel, stock locations that ship through the manual fulfillment provider, and a flat shipping option.
 * Orders placed with {@link placeStoreOrder} go through completeCartWorkflow, which is exactly what
 * `POST /store/carts/:id/complete` runs (reservations, `order.placed`, …).
 */
export interface TestStore {
  regionId: string
  salesChannelId: string
  shippingProfileId: string
  shippingOptionId: string
  /** The stock locations, in the order of `locationNames`. */
  locationIds: string[]
}

export async function seedTestStore(
  container: MedusaContainer,
  options: { locationNames?: string[] } = {}
): Promise<TestStore> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const fulfillment = container.resolve(Modules.FULFILLMENT)

  const {
    result: [salesChannel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Webshop" }] },
  })
  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [{ name: "Germany", currency_code: "eur", countries: ["de"], payment_providers: ["pp_system_default"] }],
    },
  })
  const {
    result: [shippingProfile],
  } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: "Parcels", type: "default" }] },
  })

  const names = options.locationNames ?? ["Main warehouse"]
  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: { locations: names.map((name) => ({ name, address: { address_1: "Lager 1", city: "Berlin", country_code: "DE" } })) },
  })

  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: "Germany delivery",
    type: "shipping",
    service_zones: [{ name: "Germany", geo_zones: [{ country_code: "de", type: "country" }] }],
  })
  for (const location of locations) {
    await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [salesChannel.id] } })
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
    })
  }
  // One fulfillment set belongs to one location; the first location ships.
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: locations[0].id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })

  const {
    result: [shippingOption],
  } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "Standard",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: shippingProfile.id,
        type: { label: "Standard", description: "2-3 days", code: "standard" },
        prices: [
          { currency_code: "eur", amount: 5 },
          { region_id: region.id, amount: 5 },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })

  return {
    regionId: region.id,
    salesChannelId: salesChannel.id,
    shippingProfileId: shippingProfile.id,
    shippingOptionId: shippingOption.id,
    locationIds: locations.map((l) => l.id),
  }
}

export interface TestVariantSpec {
  sku: string
  /** Stocked quantity per location id (managed inventory, one inventory item of its own). */
  stock?: Record<string, number>
  manageInventory?: boolean
  /** A kit: existing inventory items and how many of each one unit of the variant needs. */
  kit?: { inventory_item_id: string; required_quantity: number }[]
}

/** Creates a published product with one variant per spec, priced in EUR and sold in the store's channel. */
export async function createTestProduct(
  container: MedusaContainer,
  store: TestStore,
  title: string,
  variants: TestVariantSpec[]
) {
  const {
    result: [product],
  } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title,
          status: "published",
          shipping_profile_id: store.shippingProfileId,
          sales_channels: [{ id: store.salesChannelId }],
          options: [{ title: "Variant", values: variants.map((v) => v.sku) }],
          variants: variants.map((v) => ({
            title: v.sku,
            sku: v.sku,
            manage_inventory: v.manageInventory ?? true,
            options: { Variant: v.sku },
            prices: [{ currency_code: "eur", amount: 10 }],
            ...(v.kit ? { inventory_items: v.kit } : {}),
          })),
        },
      ],
    },
  })

  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "inventory_items.inventory_item_id"],
    filters: { product_id: product.id },
  })
  const levels: { inventory_item_id: string; location_id: string; stocked_quantity: number }[] = []
  for (const spec of variants) {
    const variant = data.find((v: any) => v.sku === spec.sku)
    if (!spec.kit && spec.stock) {
      const itemId = variant.inventory_items[0].inventory_item_id
      for (const [location_id, stocked_quantity] of Object.entries(spec.stock)) {
        levels.push({ inventory_item_id: itemId, location_id, stocked_quantity })
      }
    }
  }
  if (levels.length) {
    await createInventoryLevelsWorkflow(container).run({ input: { inventory_levels: levels } })
  }
  const bySku: Record<string, { id: string; inventoryItemId?: string }> = {}
  for (const v of data as any[]) {
    bySku[v.sku] = { id: v.id, inventoryItemId: v.inventory_items?.[0]?.inventory_item_id }
  }
  return { product, variants: bySku }
}

/** A standalone inventory item (a kit component) with stock per location. */
export async function createTestInventoryItem(container: MedusaContainer, sku: string, stock: Record<string, number>) {
  const {
    result: [item],
  } = await createInventoryItemsWorkflow(container).run({
    input: {
      items: [
        {
          sku,
          title: sku,
          location_levels: Object.entries(stock).map(([location_id, stocked_quantity]) => ({ location_id, stocked_quantity })),
        },
      ],
    },
  })
  return item
}

/** Places an order the way a shopper does: cart → shipping method → payment session → complete. */
export async function placeStoreOrder(
  container: MedusaContainer,
  store: TestStore,
  items: { variant_id: string; quantity: number }[]
): Promise<string> {
  const { result: cart } = await createCartWorkflow(container).run({
    input: {
      region_id: store.regionId,
      sales_channel_id: store.salesChannelId,
      email: "shopper@example.com",
      currency_code: "eur",
      items,
      shipping_address: { first_name: "Erika", last_name: "Muster", address_1: "Str. 1", city: "Köln", postal_code: "50667", country_code: "de" },
    },
  })
  await addShippingMethodToCartWorkflow(container).run({
    input: { cart_id: cart.id, options: [{ id: store.shippingOptionId }] },
  })
  const { result: collection } = await createPaymentCollectionForCartWorkflow(container).run({
    input: { cart_id: cart.id },
  })
  await createPaymentSessionsWorkflow(container).run({
    input: { payment_collection_id: collection.id, provider_id: "pp_system_default" },
  })
  const { result } = await completeCartWorkflow(container).run({ input: { id: cart.id } })
  return result.id
}
