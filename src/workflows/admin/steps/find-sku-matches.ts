import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { merchantLinkKey, type LinkedListingRef } from "../utils/link-conflicts"

export const findSkuMatchesStepId = "amazon-find-sku-matches"

export interface FindSkuMatchesStepInput {
  account_id?: string
  marketplace_id?: string
}

export interface SkuMatch {
  listing_id: string
  variant_id: string
  seller_sku: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
}

/** A listing left unlinked: its variant already sells through another merchant SKU of the marketplace. */
export interface SkuLinkConflict {
  listing_id: string
  seller_sku: string
  variant_id: string
  /** The listing the variant is linked to already (or was matched to earlier in the same run). */
  linked_listing_id: string
  linked_seller_sku: string
}

export interface FindSkuMatchesStepOutput {
  matches: SkuMatch[]
  /** Matches not linked because two merchant SKUs of one marketplace would advertise the same units. */
  conflicts: SkuLinkConflict[]
  /** Unlinked listings looked at. */
  unlinked: number
  /** Unlinked listings whose SKU no variant has. */
  unmatched_skus: string[]
}

const PAGE = 2000
const SKU_CHUNK = 1000

/**
 * Finds unlinked listings whose seller SKU equals a variant's SKU (Medusa keeps variant SKUs unique).
 * A merchant-fulfilled match whose variant is already linked to another merchant-fulfilled listing of the
 * same account and marketplace is reported as a conflict instead (see utils/link-conflicts.ts).
 * Read-only; the links are created by the workflow.
 *
 * @example
 * const { matches } = findSkuMatchesStep({ account_id: "amzacc_…" })
 */
export const findSkuMatchesStep = createStep(
  findSkuMatchesStepId,
  async (input: FindSkuMatchesStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const filters: Record<string, unknown> = {}
    if (input.account_id) filters.account_id = input.account_id
    if (input.marketplace_id) filters.marketplace_id = input.marketplace_id

    const unlinked: LinkedListingRef[] = []
    for (let skip = 0; ; skip += PAGE) {
      const { data } = await query.graph({
        entity: "amazon_listing",
        fields: ["id", "seller_sku", "account_id", "marketplace_id", "fulfillment_channel", "product_variant.id"],
        filters,
        pagination: { skip, take: PAGE, order: { id: "ASC" } },
      })
      for (const l of data as any[]) {
        if (!l.product_variant?.id) {
          unlinked.push({
            id: l.id,
            seller_sku: l.seller_sku,
            account_id: l.account_id,
            marketplace_id: l.marketplace_id,
            fulfillment_channel: l.fulfillment_channel,
          })
        }
      }
      if (data.length < PAGE) break
    }

    const skus = [...new Set(unlinked.map((l) => l.seller_sku))]
    const variantBySku = new Map<string, string>()
    for (let i = 0; i < skus.length; i += SKU_CHUNK) {
      const { data } = await query.graph({
        entity: "product_variant",
        fields: ["id", "sku"],
        filters: { sku: skus.slice(i, i + SKU_CHUNK) },
      })
      for (const v of data as any[]) {
        if (v.sku) variantBySku.set(v.sku, v.id)
      }
    }

    // The merchant SKUs the matched variants already sell through, per variant + account + marketplace.
    const taken = new Map<string, { id: string; seller_sku: string }>()
    const matchedVariantIds = [...new Set(unlinked.map((l) => variantBySku.get(l.seller_sku)).filter((id): id is string => !!id))]
    for (let i = 0; i < matchedVariantIds.length; i += SKU_CHUNK) {
      const { data } = await query.graph({
        entity: "product_variant",
        fields: [
          "id",
          "amazon_listings.id",
          "amazon_listings.seller_sku",
          "amazon_listings.account_id",
          "amazon_listings.marketplace_id",
          "amazon_listings.fulfillment_channel",
        ],
        filters: { id: matchedVariantIds.slice(i, i + SKU_CHUNK) },
      })
      for (const v of data as { id: string; amazon_listings?: (LinkedListingRef | null)[] | null }[]) {
        for (const l of v.amazon_listings ?? []) {
          const key = l ? merchantLinkKey(v.id, l) : null
          if (l && key && !taken.has(key)) taken.set(key, { id: l.id, seller_sku: l.seller_sku })
        }
      }
    }

    const matches: SkuMatch[] = []
    const conflicts: SkuLinkConflict[] = []
    const unmatched = new Set<string>()
    for (const l of unlinked) {
      const variantId = variantBySku.get(l.seller_sku)
      if (!variantId) {
        unmatched.add(l.seller_sku)
        continue
      }
      const key = merchantLinkKey(variantId, l)
      const other = key ? taken.get(key) : undefined
      if (other) {
        conflicts.push({ listing_id: l.id, seller_sku: l.seller_sku, variant_id: variantId, linked_listing_id: other.id, linked_seller_sku: other.seller_sku })
        continue
      }
      if (key) taken.set(key, { id: l.id, seller_sku: l.seller_sku })
      matches.push({ listing_id: l.id, variant_id: variantId, seller_sku: l.seller_sku, fulfillment_channel: l.fulfillment_channel })
    }
    const output: FindSkuMatchesStepOutput = { matches, conflicts, unlinked: unlinked.length, unmatched_skus: [...unmatched].sort() }
    return new StepResponse(output)
  }
)
