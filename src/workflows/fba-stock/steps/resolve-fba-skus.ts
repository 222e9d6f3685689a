import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { classifyFbaSku, FbaListingCandidate, FbaSkuMapping, FbaVariantInventory } from "../../../lib/amazon/fba/levels"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { chunked } from "../constants"

export const resolveFbaSkusStepId = "amazon-resolve-fba-skus"

export interface ResolveFbaSkusStepInput {
  account_id: string
  marketplace_id: string
  /** SKUs Amazon reported in this pass. */
  skus: string[]
  /**
   * Full scan: also re-resolve every stored snapshot (they may be zeroed). Otherwise only previously
   * flagged snapshots are re-resolved, so a SKU mapped since then gets its stock without waiting for Amazon
   * to report it again.
   */
  full: boolean
}

export interface ResolveFbaSkusStepOutput {
  mappings: Record<string, FbaSkuMapping>
  /** Stored SKUs resolved again although Amazon did not report them in this pass. */
  rechecked_skus: string[]
}

type ListingGraphRow = {
  id: string
  product_variant?: {
    id: string
    manage_inventory?: boolean | null
    inventory_items?: ({ inventory_item_id: string; required_quantity?: number | string | null } | null)[] | null
  } | null
}

/**
 * Maps SKUs to the store: the AMAZON-channel listing of the account + marketplace, its linked variant and
 * the variant's inventory items (with required quantities, for kits). Bulk: one query per chunk of SKUs.
 *
 * @example
 * const { mappings } = resolveFbaSkusStep({ account_id, marketplace_id, skus: ["SKU-1"], full: false })
 */
export const resolveFbaSkusStep = createStep(
  resolveFbaSkusStepId,
  async (input: ResolveFbaSkusStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)

    const reported = new Set(input.skus)
    const stored = await amazon.listAmazonFbaStocks(
      {
        account_id: input.account_id,
        marketplace_id: input.marketplace_id,
        ...(input.full ? {} : { issue: { $ne: null } }),
      },
      { select: ["seller_sku", "issue"] }
    )
    const rechecked = stored.filter((r) => !reported.has(r.seller_sku)).map((r) => r.seller_sku)
    const skus = [...reported, ...rechecked]

    const listingsBySku = new Map<string, FbaListingCandidate[]>()
    for (const part of chunked(skus)) {
      const listings = await amazon.listAmazonListings(
        { account_id: input.account_id, marketplace_id: input.marketplace_id, seller_sku: part },
        { select: ["id", "seller_sku", "fulfillment_channel"] }
      )
      for (const l of listings) {
        const list = listingsBySku.get(l.seller_sku) ?? []
        list.push({ id: l.id, fulfillment_channel: l.fulfillment_channel })
        listingsBySku.set(l.seller_sku, list)
      }
    }

    const fbaListingIds = [...listingsBySku.values()].flat().filter((l) => l.fulfillment_channel === "AMAZON").map((l) => l.id)
    const variantOfListing = new Map<string, FbaVariantInventory>()
    for (const ids of chunked(fbaListingIds)) {
      const { data } = await query.graph({
        entity: "amazon_listing",
        fields: [
          "id",
          "product_variant.id",
          "product_variant.manage_inventory",
          "product_variant.inventory_items.inventory_item_id",
          "product_variant.inventory_items.required_quantity",
        ],
        filters: { id: ids },
      })
      for (const row of data as ListingGraphRow[]) {
        const v = row.product_variant
        if (!v?.id) {
          continue
        }
        variantOfListing.set(row.id, {
          variant_id: v.id,
          manage_inventory: v.manage_inventory !== false,
          items: (v.inventory_items ?? [])
            .filter((i): i is NonNullable<typeof i> => !!i?.inventory_item_id)
            .map((i) => ({ inventory_item_id: i.inventory_item_id, required_quantity: Number(i.required_quantity ?? 1) })),
        })
      }
    }

    const mappings: Record<string, FbaSkuMapping> = {}
    for (const sku of skus) {
      mappings[sku] = classifyFbaSku(listingsBySku.get(sku) ?? [], (id) => variantOfListing.get(id))
    }
    return new StepResponse<ResolveFbaSkusStepOutput>({ mappings, rechecked_skus: rechecked })
  }
)
