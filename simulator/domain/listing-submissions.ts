/**
 * One listings submission (a patchListingsItem call or one JSON_LISTINGS_FEED message) checked against the
 * seller's listings. Validation runs first; the change is applied only when the caller invokes `apply`, so
 * VALIDATION_PREVIEW and invalid messages leave the listing untouched.
 */
import type { SimState } from "../state"
import type { AttributeEntry, SimListing } from "../types"
import { ISSUE_CODES } from "./issue-codes"
import {
  applyPatches,
  FULFILLMENT_AVAILABILITY,
  type IssueDraft,
  MFN_CHANNEL,
  mfnQuantity,
  type PatchOperation,
  validateAttributes,
  validatePatches,
} from "./listing-patches"

export type Submission =
  | { operationType: "PATCH"; productType: string; patches: PatchOperation[] }
  | { operationType: "PARTIAL_UPDATE"; productType: string; attributes: Record<string, unknown> }
  | { operationType: "UPDATE"; productType: string; attributes: Record<string, unknown> }
  | { operationType: "DELETE" }

export interface SubmissionContext {
  state: SimState
  sellerId: string
  marketplaceIds: string[]
  now: number
  /**
   * Asked once per accepted submission that sets a merchant (DEFAULT channel) quantity, when it is applied;
   * true = accept it but keep the old quantity (the "quantity-not-applied" fault).
   */
  dropQuantityUpdate?: (sku: string) => boolean
  /** Told after an applied change, with the listing's merchant quantity before it (notifications decide whether it changed). */
  onMfnQuantityChange?: (listing: SimListing, before: number | undefined) => void
}

export interface SubmissionOutcome {
  accepted: boolean
  issues: IssueDraft[]
  /** Make the change (only present when accepted). */
  apply?: () => void
}

/**
 * The seller's listings of `sku` offered in `marketplaceIds`, in the order of `marketplaceIds`: one listing when
 * the SKU is unified (or listed in one marketplace), one per marketplace group when it is listed separately.
 */
export function findListings(ctx: Pick<SubmissionContext, "state" | "sellerId" | "marketplaceIds">, sku: string): SimListing[] {
  const all = ctx.state.listingsOfSku(ctx.sellerId, sku)
  const out: SimListing[] = []
  for (const marketplaceId of ctx.marketplaceIds) {
    const listing = all.find((l) => l.marketplaceIds.includes(marketplaceId))
    if (listing && !out.includes(listing)) out.push(listing)
  }
  return out
}

/** The seller's listing for `sku` in the first of `marketplaceIds` that has one. */
export function findListing(ctx: Pick<SubmissionContext, "state" | "sellerId" | "marketplaceIds">, sku: string): SimListing | undefined {
  return findListings(ctx, sku)[0]
}

/** Does an accepted submission set a merchant-fulfilled (DEFAULT channel) quantity? */
function setsMfnQuantity(entries: AttributeEntry[] | undefined): boolean {
  return (entries ?? []).some((e) => e.fulfillment_channel_code === MFN_CHANNEL && "quantity" in e)
}

/** Put back the DEFAULT entry's old quantity (or remove the one the change added). */
function restoreMfnQuantity(listing: SimListing, previous: number | undefined): void {
  const entries = listing.attributes[FULFILLMENT_AVAILABILITY] ?? []
  const entry = entries.find((e) => e.fulfillment_channel_code === MFN_CHANNEL)
  if (!entry) {
    if (previous !== undefined) listing.attributes[FULFILLMENT_AVAILABILITY] = [...entries, { fulfillment_channel_code: MFN_CHANNEL, quantity: previous }]
    return
  }
  if (previous === undefined) delete entry.quantity
  else entry.quantity = previous
}

/** Apply `change` to each listing; a quantity update the fault drops leaves each listing's old quantity. */
function applyEach(ctx: SubmissionContext, sku: string, listings: SimListing[], setsQuantity: boolean, change: (listing: SimListing) => void): void {
  const drop = setsQuantity && listings.length > 0 && ctx.dropQuantityUpdate?.(sku) === true
  for (const listing of listings) {
    const before = mfnQuantity(listing)
    change(listing)
    if (drop) restoreMfnQuantity(listing, before)
    listing.updatedAt = ctx.now
    ctx.onMfnQuantityChange?.(listing, before)
  }
}

export function evaluateSubmission(ctx: SubmissionContext, sku: string, submission: Submission): SubmissionOutcome {
  const listings = findListings(ctx, sku)
  const listing = listings[0]

  if (submission.operationType === "DELETE") {
    // Deleting a listing that does not exist is a no-op, not an error.
    return {
      accepted: true,
      issues: [],
      apply: () => {
        for (const l of listings) ctx.state.removeListing(l)
      },
    }
  }

  if (submission.operationType === "UPDATE") {
    const issues = validateAttributes(submission.attributes)
    if (issues.length > 0) return { accepted: false, issues }
    const attributes = submission.attributes as Record<string, AttributeEntry[]>
    return {
      accepted: true,
      issues: [],
      apply: () => {
        if (listings.length > 0) {
          applyEach(ctx, sku, listings, setsMfnQuantity(attributes[FULFILLMENT_AVAILABILITY]), (l) => {
            l.attributes = structuredClone(attributes)
            l.productType = submission.productType
          })
          return
        }
        const created = newListingFromAttributes(ctx, sku, submission.productType, attributes)
        ctx.state.putListing(created)
        ctx.onMfnQuantityChange?.(created, undefined)
      },
    }
  }

  const patches: PatchOperation[] =
    submission.operationType === "PATCH"
      ? submission.patches
      : Object.entries(submission.attributes).map(([name, value]) => ({ op: "replace", path: `/attributes/${name}`, value: value as AttributeEntry[] }))
  const issues =
    submission.operationType === "PATCH" ? validatePatches(patches) : validateAttributes(submission.attributes)

  if (!listing) {
    // Amazon can only PATCH / PARTIAL_UPDATE an existing listing; creating one needs a full UPDATE.
    issues.unshift({
      code: ISSUE_CODES.SKU_NOT_FOUND,
      message: `The SKU '${sku}' was not found for this seller in marketplace(s) ${ctx.marketplaceIds.join(", ")}. ${submission.operationType} can only change an existing listing.`,
      severity: "ERROR",
    })
  }
  if (issues.length > 0 || !listing) return { accepted: false, issues }

  const setsQuantity = patches.some((p) => p.op !== "delete" && patchTargetsAvailability(p) && setsMfnQuantity(p.value))
  return {
    accepted: true,
    issues: [],
    apply: () => applyEach(ctx, sku, listings, setsQuantity, (l) => (l.attributes = applyPatches(l.attributes, patches))),
  }
}

function patchTargetsAvailability(patch: PatchOperation): boolean {
  return patch.path === `/attributes/${FULFILLMENT_AVAILABILITY}`
}

function newListingFromAttributes(
  ctx: SubmissionContext,
  sku: string,
  productType: string,
  attributes: Record<string, AttributeEntry[]>,
): SimListing {
  const itemName = attributes.item_name?.[0]?.value
  const condition = attributes.condition_type?.[0]?.value
  return {
    sellerId: ctx.sellerId,
    sku,
    productType,
    marketplaceIds: [...ctx.marketplaceIds],
    itemName: typeof itemName === "string" ? itemName : undefined,
    conditionType: typeof condition === "string" ? condition : "new_new",
    attributes: structuredClone(attributes),
    issues: [],
    createdAt: ctx.now,
    updatedAt: ctx.now,
  }
}
