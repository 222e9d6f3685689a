import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { planLinkChanges, type LinkChangePlan, type LinkChangeRequest, type LinkStateListing, type LinkStateVariant } from "../../../lib/mapping/plan-link-changes"
import type { LinkedListingRef } from "../utils/link-conflicts"

export const planListingLinksStepId = "amazon-plan-listing-links"

export type PlanListingLinksStepInput = LinkChangeRequest

/** Ids per query.graph filter: far below PostgreSQL's parameter limit, and the batch allows 500 changes. */
const CHUNK = 1000

const LISTING_REF_FIELDS = ["id", "seller_sku", "account_id", "marketplace_id", "fulfillment_channel"] as const

/**
 * The listings (with the variant each is linked to now) and the variants (with the listings linked to
 * them now) that a batch of link changes names. Unknown ids are simply absent from the maps.
 */
export async function loadLinkState(
  container: MedusaContainer,
  listingIds: readonly string[],
  variantIds: readonly string[]
): Promise<{ listings: Map<string, LinkStateListing>; variants: Map<string, LinkStateVariant> }> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const listings = new Map<string, LinkStateListing>()
  const variants = new Map<string, LinkStateVariant>()
  const lids = [...new Set(listingIds)]
  const vids = [...new Set(variantIds)]
  for (let i = 0; i < lids.length; i += CHUNK) {
    const { data } = await query.graph({
      entity: "amazon_listing",
      fields: [...LISTING_REF_FIELDS, "product_variant.id"],
      filters: { id: lids.slice(i, i + CHUNK) },
    })
    for (const l of data as any[]) {
      listings.set(l.id, {
        id: l.id,
        seller_sku: l.seller_sku,
        account_id: l.account_id,
        marketplace_id: l.marketplace_id,
        fulfillment_channel: l.fulfillment_channel,
        variant_id: l.product_variant?.id ?? null,
      })
    }
  }
  for (let i = 0; i < vids.length; i += CHUNK) {
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["id", "sku", ...LISTING_REF_FIELDS.map((f) => `amazon_listings.${f}`)],
      filters: { id: vids.slice(i, i + CHUNK) },
    })
    for (const v of data as { id: string; sku?: string | null; amazon_listings?: (LinkedListingRef | null)[] | null }[]) {
      variants.set(v.id, { id: v.id, sku: v.sku ?? null, listings: (v.amazon_listings ?? []).filter((l): l is LinkedListingRef => !!l) })
    }
  }
  return { listings, variants }
}

/**
 * Checks a batch of links and unlinks against the current links (unknown or repeated listings, unknown
 * variants, and the single link's rule: one merchant SKU per variant, account and marketplace, judged on
 * the state after the batch) and says what to write. Read-only: errors are returned, not thrown, so the
 * workflow writes nothing and the route can answer each listing's reason.
 *
 * @example
 * const plan = planListingLinksStep({ link: [{ listing_id: "amzlst_…", variant_id: "variant_…" }], unlink: [] })
 */
export const planListingLinksStep = createStep(planListingLinksStepId, async (input: PlanListingLinksStepInput, { container }) => {
  const { listings, variants } = await loadLinkState(
    container,
    [...input.link.map((l) => l.listing_id), ...input.unlink],
    input.link.map((l) => l.variant_id)
  )
  const plan: LinkChangePlan = planLinkChanges(input, listings, variants)
  return new StepResponse(plan)
})
