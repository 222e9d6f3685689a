import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ResolvedVariant } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { readAccountSettings } from "../../../types/account-settings"

export const resolveAmazonOrderVariantsStepId = "amazon-resolve-order-variants"

export interface ResolveAmazonOrderVariantsStepInput {
  account_id: string
  marketplace_id: string
  fulfilled_by: "MERCHANT" | "AMAZON"
  skus: string[]
}

export interface ResolveAmazonOrderVariantsStepOutput {
  /** Seller SKU → mapped variant; SKUs without a mapped variant are absent. */
  variants: Record<string, ResolvedVariant>
  /** Merchant locations whose stock counts for Amazon, oldest first (the reservation preference order). */
  location_ids: string[]
  sales_channel_id: string | null
  region_id: string | null
  /** settings.fba_location_ids[marketplace]: the FBA location Amazon-fulfilled orders ship from, if made. */
  fba_location_id: string | null
  account_name: string
}

type ListingRow = {
  id: string
  seller_sku: string
  marketplace_id: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  product_variant?: {
    id: string
    manage_inventory?: boolean | null
    product?: { id?: string; status?: string | null } | null
    inventory_items?: {
      inventory_item_id: string
      required_quantity?: number | null
      inventory?: { location_levels?: { location_id: string; stocked_quantity?: unknown; reserved_quantity?: unknown }[] | null } | null
    }[]
  } | null
}

/** Stock location metadata flag the FBA sync puts on the locations that mirror Amazon's warehouses. */
const FBA_LOCATION_FLAG = "amazon_fba"

/**
 * The lookup of resolveAmazonOrderVariantsStep as a function, for callers that resolve the SKUs of many
 * orders at once (the batched import of a page).
 */
export async function resolveAmazonOrderVariants(
  container: MedusaContainer,
  input: ResolveAmazonOrderVariantsStepInput
): Promise<ResolveAmazonOrderVariantsStepOutput> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const account = await amazon.retrieveAmazonAccount(input.account_id)
  const settings = readAccountSettings(account.settings)

  const fbaLocationIds = new Set(Object.values(settings.fba_location_ids ?? {}))
  let locationIds = settings.stock_location_ids
  if (!locationIds) {
    const { data } = await query.graph({ entity: "stock_location", fields: ["id", "metadata", "created_at"] })
    locationIds = (data as { id: string; metadata?: Record<string, unknown> | null; created_at: string | Date }[])
      .filter((l) => !l.metadata?.[FBA_LOCATION_FLAG])
      .sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime())
      .map((l) => l.id)
  }
  locationIds = locationIds.filter((id) => !fbaLocationIds.has(id))

  const skus = [...new Set(input.skus)]
  const variants: Record<string, ResolvedVariant> = {}
  if (skus.length) {
    const { data } = await query.graph({
      entity: "amazon_listing",
      fields: [
        "id",
        "seller_sku",
        "marketplace_id",
        "fulfillment_channel",
        "product_variant.id",
        "product_variant.manage_inventory",
        "product_variant.product.id",
        "product_variant.product.status",
        "product_variant.inventory_items.inventory_item_id",
        "product_variant.inventory_items.required_quantity",
        "product_variant.inventory_items.inventory.location_levels.*",
      ],
      filters: { account_id: input.account_id, seller_sku: skus } as Record<string, unknown>,
    })
    const rank = (l: ListingRow) =>
      (l.marketplace_id === input.marketplace_id ? 2 : 0) + (l.fulfillment_channel === input.fulfilled_by ? 1 : 0)
    const listings = (data as ListingRow[]).filter((l) => l.product_variant?.id).sort((a, b) => rank(b) - rank(a))
    for (const sku of skus) {
      const listing = listings.find((l) => l.seller_sku === sku)
      const variant = listing?.product_variant
      if (!listing || !variant) {
        continue
      }
      variants[sku] = {
        variant_id: variant.id,
        ...(variant.product?.id ? { product_id: variant.product.id } : {}),
        listing_id: listing.id,
        product_status: variant.product?.status ?? null,
        manage_inventory: variant.manage_inventory !== false,
        inventory: (variant.inventory_items ?? []).map((ii) => ({
          inventory_item_id: ii.inventory_item_id,
          required_quantity: Number(ii.required_quantity ?? 1) || 1,
          levels: (ii.inventory?.location_levels ?? [])
            .filter((lvl) => (locationIds as string[]).includes(lvl.location_id))
            .map((lvl) => ({
              location_id: lvl.location_id,
              available: Number(lvl.stocked_quantity ?? 0) - Number(lvl.reserved_quantity ?? 0),
            })),
        })),
      }
    }
  }

  return {
    variants,
    location_ids: locationIds,
    sales_channel_id: settings.sales_channel_id ?? null,
    region_id: settings.region_ids?.[input.marketplace_id] ?? null,
    fba_location_id: settings.fba_location_ids?.[input.marketplace_id] ?? null,
    account_name: account.name,
  }
}

/**
 * Maps the seller SKUs of an Amazon order to Medusa variants through the listing ↔ variant link, with the
 * inventory facts the stock plan needs, and reads the account's settings that shape the import.
 *
 * A SKU can be listed twice (merchant offer and FBA offer) and in several marketplaces (EU unified
 * SKUs): the listing of the order's marketplace and fulfillment channel wins, then the same marketplace,
 * then the same channel, then any listing of the account.
 *
 * @example
 * const resolved = resolveAmazonOrderVariantsStep({ account_id, marketplace_id, fulfilled_by: "MERCHANT", skus: ["SKU-1"] })
 */
export const resolveAmazonOrderVariantsStep = createStep(
  resolveAmazonOrderVariantsStepId,
  async (input: ResolveAmazonOrderVariantsStepInput, { container }) =>
    new StepResponse<ResolveAmazonOrderVariantsStepOutput>(await resolveAmazonOrderVariants(container, input))
)
