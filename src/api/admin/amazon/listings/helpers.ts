import type { MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { lookupWords, rankSuggestions } from "../../../../lib/mapping/suggest"
import type { AdminAmazonConflictError, AdminAmazonListingSuggestion } from "../../../../types/http"
import { loadLinkState } from "../../../../workflows/admin/steps/plan-listing-links"
import { sameMarketplaceMerchantListing } from "../../../../workflows/admin/utils/link-conflicts"
import { variantMatchCandidates, type Sql } from "../../../../workflows/shared/medusa-tables"
import { LISTING_FIELDS } from "./query-config"

/** Reads one listing (with its linked variant) for a response; 404 when it does not exist. */
export async function refetchListing(container: MedusaContainer, id: string, fields: string[] = LISTING_FIELDS) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "amazon_listing", fields, filters: { id } }, { throwIfKeyNotFound: true })
  return data[0]
}

/**
 * Answers a refused write as 409 with the workflow's own message and returns true; false for any other
 * error (the caller rethrows it). Medusa's error handler answers every CONFLICT with a generic text about
 * idempotency keys, which would hide what the merchant has to change (e.g. which SKU holds the variant).
 */
export function sendConflict(res: MedusaResponse<AdminAmazonConflictError>, e: unknown): boolean {
  const err = e as { type?: string; message?: string } | null
  if (err?.type !== MedusaError.Types.CONFLICT) {
    return false
  }
  res.status(409).json({ type: MedusaError.Types.CONFLICT, code: "invalid_state_error", message: err.message ?? "Conflict" })
  return true
}

/** Suggestions per listing, and the candidates read to rank them (the SQL prefilter keeps the best signals first). */
const SUGGESTIONS = 5
const CANDIDATES = 200

/**
 * The variants each listing probably sells, best first (lib/mapping/suggest.ts ranks, medusa-tables.ts
 * finds the candidates), each marked when it is the current link or sells through another merchant SKU of
 * the listing's account and marketplace (linking it would be refused). Listings that do not exist are
 * absent from the answer.
 */
export async function suggestVariants(container: MedusaContainer, listingIds: readonly string[]): Promise<Map<string, AdminAmazonListingSuggestion[]>> {
  const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "amazon_listing", fields: ["id", "item_name"], filters: { id: [...listingIds] } })
  const names = new Map((data as { id: string; item_name: string | null }[]).map((l) => [l.id, l.item_name]))
  const { listings } = await loadLinkState(container, [...names.keys()], [])
  const ranked = new Map<string, ReturnType<typeof rankSuggestions>>()
  for (const listing of listings.values()) {
    const item_name = names.get(listing.id) ?? null
    const candidates = await variantMatchCandidates(sql, { seller_sku: listing.seller_sku, words: lookupWords(item_name), limit: CANDIDATES })
    ranked.set(listing.id, rankSuggestions({ seller_sku: listing.seller_sku, item_name }, candidates, SUGGESTIONS))
  }
  const variantIds = [...ranked.values()].flatMap((r) => r.map((s) => s.candidate.id))
  const { variants } = await loadLinkState(container, [], variantIds)
  const out = new Map<string, AdminAmazonListingSuggestion[]>()
  for (const [listingId, suggestions] of ranked) {
    const listing = listings.get(listingId)!
    out.set(
      listingId,
      suggestions.map(({ candidate: c, score, reasons }) => {
        const other = sameMarketplaceMerchantListing(listing, variants.get(c.id)?.listings ?? [])
        return {
          variant_id: c.id,
          variant_sku: c.sku,
          variant_title: c.title,
          product_id: c.product_id,
          product_title: c.product_title,
          score,
          reasons,
          current: listing.variant_id === c.id,
          linked_elsewhere: other ? { listing_id: other.id, seller_sku: other.seller_sku } : null,
        }
      })
    )
  }
  return out
}
