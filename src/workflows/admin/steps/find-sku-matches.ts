import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

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

export interface FindSkuMatchesStepOutput {
  matches: SkuMatch[]
  /** Unlinked listings looked at. */
  unlinked: number
  /** Unlinked listings whose SKU no variant has. */
  unmatched_skus: string[]
}

const PAGE = 2000
const SKU_CHUNK = 1000

/**
 * Finds unlinked listings whose seller SKU equals a variant's SKU (Medusa keeps variant SKUs unique).
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

    const unlinked: { id: string; seller_sku: string; fulfillment_channel: "MERCHANT" | "AMAZON" }[] = []
    for (let skip = 0; ; skip += PAGE) {
      const { data } = await query.graph({
        entity: "amazon_listing",
        fields: ["id", "seller_sku", "fulfillment_channel", "product_variant.id"],
        filters,
        pagination: { skip, take: PAGE, order: { id: "ASC" } },
      })
      for (const l of data as any[]) {
        if (!l.product_variant?.id) {
          unlinked.push({ id: l.id, seller_sku: l.seller_sku, fulfillment_channel: l.fulfillment_channel })
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

    const matches: SkuMatch[] = []
    const unmatched = new Set<string>()
    for (const l of unlinked) {
      const variantId = variantBySku.get(l.seller_sku)
      if (variantId) {
        matches.push({ listing_id: l.id, variant_id: variantId, seller_sku: l.seller_sku, fulfillment_channel: l.fulfillment_channel })
      } else {
        unmatched.add(l.seller_sku)
      }
    }
    const output: FindSkuMatchesStepOutput = { matches, unlinked: unlinked.length, unmatched_skus: [...unmatched].sort() }
    return new StepResponse(output)
  }
)
