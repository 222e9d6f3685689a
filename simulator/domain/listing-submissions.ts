/**
 * One listings submission (a patchListingsItem call or one JSON_LISTINGS_FEED message) checked against the
 * seller's listings. Validation runs first; the change is applied only when the caller invokes `apply`, so
 * VALIDATION_PREVIEW and invalid messages leave the listing untouched.
 */
import type { SimState } from "../state"
import { listingKey } from "../state"
import type { AttributeEntry, SimListing } from "../types"
import { ISSUE_CODES } from "./issue-codes"
import { applyPatches, type IssueDraft, type PatchOperation, validateAttributes, validatePatches } from "./listing-patches"

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
}

export interface SubmissionOutcome {
  accepted: boolean
  issues: IssueDraft[]
  /** Make the change (only present when accepted). */
  apply?: () => void
}

/** The seller's listing for `sku` if it is offered in one of `marketplaceIds`. */
export function findListing(ctx: Pick<SubmissionContext, "state" | "sellerId" | "marketplaceIds">, sku: string): SimListing | undefined {
  const listing = ctx.state.listing(ctx.sellerId, sku)
  if (!listing) return undefined
  return listing.marketplaceIds.some((m) => ctx.marketplaceIds.includes(m)) ? listing : undefined
}

export function evaluateSubmission(ctx: SubmissionContext, sku: string, submission: Submission): SubmissionOutcome {
  const listing = findListing(ctx, sku)

  if (submission.operationType === "DELETE") {
    // Deleting a listing that does not exist is a no-op, not an error.
    return {
      accepted: true,
      issues: [],
      apply: () => {
        if (listing) ctx.state.listings.delete(listingKey(ctx.sellerId, sku))
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
        if (listing) {
          listing.attributes = structuredClone(attributes)
          listing.productType = submission.productType
          listing.updatedAt = ctx.now
          return
        }
        ctx.state.listings.set(listingKey(ctx.sellerId, sku), newListingFromAttributes(ctx, sku, submission.productType, attributes))
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

  return {
    accepted: true,
    issues: [],
    apply: () => {
      listing.attributes = applyPatches(listing.attributes, patches)
      listing.updatedAt = ctx.now
    },
  }
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
