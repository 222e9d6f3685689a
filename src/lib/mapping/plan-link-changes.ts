/**
 * Plans a batch of listing ↔ variant link changes against the current links, with the rules of the
 * single link (workflows/admin/utils/link-conflicts.ts): a variant sells through at most one
 * merchant-fulfilled listing per account and marketplace. Checked on the state after the whole batch, so
 * a batch may move a variant from one SKU to another (unlink A, link B) but not give it to two SKUs.
 * Pure: the caller loads the listings and variants and writes the plan.
 */
import { merchantLinkKey, type LinkedListingRef } from "../../workflows/admin/utils/link-conflicts"

export interface LinkStateListing extends LinkedListingRef {
  /** The variant the listing is linked to now. */
  variant_id: string | null
}

export interface LinkStateVariant {
  id: string
  sku: string | null
  /** The listings linked to the variant now. */
  listings: LinkedListingRef[]
}

export interface LinkChangeRequest {
  link: { listing_id: string; variant_id: string }[]
  unlink: string[]
}

export type LinkChangeErrorCode = "duplicate" | "listing_not_found" | "variant_not_found" | "conflict"

export interface LinkChangeError {
  listing_id: string
  code: LinkChangeErrorCode
  message: string
}

export interface LinkPair {
  listing_id: string
  variant_id: string
}

export interface LinkChangePlan {
  /** Empty, or the reasons nothing may be written. */
  errors: LinkChangeError[]
  /** Links to remove (unlinks, and the old link of a listing moved to another variant). */
  dismiss: LinkPair[]
  create: LinkPair[]
  /** Variants of merchant-fulfilled listings linked by the batch: their stock goes to Amazon with the next push. */
  enqueue_variant_ids: string[]
  linked: number
  unlinked: number
  /** Requested changes that are the current state already. */
  unchanged: number
}

/**
 * The 409 text of the single link, also used per listing by the batch: names the other SKU, so the
 * merchant knows what to unlink.
 */
export function linkConflictMessage(variant: { id: string; sku: string | null }, listing: Pick<LinkedListingRef, "seller_sku" | "marketplace_id">, other: Pick<LinkedListingRef, "seller_sku">): string {
  return (
    `Variant ${variant.sku ?? variant.id} is already linked to Amazon listing ${other.seller_sku} of the same account and ` +
    `marketplace (${listing.marketplace_id}): ${listing.seller_sku} and ${other.seller_sku} would both advertise the same ` +
    `units. Unlink ${other.seller_sku} first.`
  )
}

export function planLinkChanges(
  request: LinkChangeRequest,
  listings: ReadonlyMap<string, LinkStateListing>,
  variants: ReadonlyMap<string, LinkStateVariant>
): LinkChangePlan {
  const errors: LinkChangeError[] = []
  const failed = new Set<string>()
  const fail = (listing_id: string, code: LinkChangeErrorCode, message: string) => {
    errors.push({ listing_id, code, message })
    failed.add(listing_id)
  }

  const mentions = new Map<string, number>()
  for (const id of [...request.link.map((l) => l.listing_id), ...request.unlink]) {
    mentions.set(id, (mentions.get(id) ?? 0) + 1)
  }
  for (const [id, n] of mentions) {
    if (n > 1) fail(id, "duplicate", `Listing ${id} appears ${n} times in the request; send each listing once.`)
  }
  for (const { listing_id, variant_id } of request.link) {
    if (failed.has(listing_id)) continue
    if (!listings.has(listing_id)) fail(listing_id, "listing_not_found", `Amazon listing with id: ${listing_id} was not found`)
    else if (!variants.has(variant_id)) fail(listing_id, "variant_not_found", `Product variant with id: ${variant_id} was not found`)
  }
  for (const listing_id of request.unlink) {
    if (!failed.has(listing_id) && !listings.has(listing_id)) fail(listing_id, "listing_not_found", `Amazon listing with id: ${listing_id} was not found`)
  }

  // The variant each listing of the batch has afterwards.
  const target = new Map<string, string | null>()
  for (const l of request.link) target.set(l.listing_id, l.variant_id)
  for (const id of request.unlink) target.set(id, null)

  // Merchant listings per (variant, account, marketplace) after the batch: the linked variants' current
  // listings that keep their variant, then the batch's links.
  const holders = new Map<string, { listing: LinkedListingRef; from_batch: boolean }[]>()
  const hold = (variantId: string, listing: LinkedListingRef, fromBatch: boolean) => {
    const key = merchantLinkKey(variantId, listing)
    if (!key) return
    const list = holders.get(key) ?? []
    if (!list.some((h) => h.listing.id === listing.id)) list.push({ listing, from_batch: fromBatch })
    holders.set(key, list)
  }
  for (const { variant_id } of request.link) {
    for (const l of variants.get(variant_id)?.listings ?? []) {
      const after = target.has(l.id) ? target.get(l.id) : variant_id
      if (after === variant_id) hold(variant_id, l, false)
    }
  }
  for (const { listing_id, variant_id } of request.link) {
    const listing = listings.get(listing_id)
    if (listing && variants.has(variant_id) && !failed.has(listing_id)) hold(variant_id, listing, true)
  }
  for (const { listing_id, variant_id } of request.link) {
    const listing = listings.get(listing_id)
    const variant = variants.get(variant_id)
    if (!listing || !variant || failed.has(listing_id)) continue
    const key = merchantLinkKey(variant_id, listing)
    const others = (key ? holders.get(key) ?? [] : []).filter((h) => h.listing.id !== listing_id)
    if (!others.length) continue
    const other = others.find((h) => !h.from_batch) ?? others[0]
    fail(
      listing_id,
      "conflict",
      other.from_batch
        ? `Variant ${variant.sku ?? variant.id} would be linked to both ${listing.seller_sku} and ${other.listing.seller_sku} of the same ` +
            `account and marketplace (${listing.marketplace_id}): both would advertise the same units. Link it to one of them.`
        : linkConflictMessage(variant, listing, other.listing)
    )
  }

  const plan: LinkChangePlan = { errors, dismiss: [], create: [], enqueue_variant_ids: [], linked: 0, unlinked: 0, unchanged: 0 }
  if (errors.length) {
    return plan
  }
  for (const { listing_id, variant_id } of request.link) {
    const listing = listings.get(listing_id)!
    // Re-linking to the same variant still queues a push, as the single link does.
    if (listing.fulfillment_channel === "MERCHANT") plan.enqueue_variant_ids.push(variant_id)
    if (listing.variant_id === variant_id) {
      plan.unchanged++
      continue
    }
    if (listing.variant_id) plan.dismiss.push({ listing_id, variant_id: listing.variant_id })
    plan.create.push({ listing_id, variant_id })
    plan.linked++
  }
  for (const listing_id of request.unlink) {
    const current = listings.get(listing_id)!.variant_id
    if (!current) {
      plan.unchanged++
      continue
    }
    plan.dismiss.push({ listing_id, variant_id: current })
    plan.unlinked++
  }
  plan.enqueue_variant_ids = [...new Set(plan.enqueue_variant_ids)]
  return plan
}
