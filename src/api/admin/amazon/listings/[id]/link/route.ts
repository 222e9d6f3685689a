import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonConflictError, AdminAmazonListingResponse } from "../../../../../../types/http"
import { linkAmazonListingWorkflow } from "../../../../../../workflows/admin/link-amazon-listing"
import { unlinkAmazonListingWorkflow } from "../../../../../../workflows/admin/unlink-amazon-listing"
import { refetchListing, sendConflict } from "../../helpers"
import { AdminLinkAmazonListingType } from "../../validators"

/**
 * Maps the listing to a variant (replacing an earlier mapping); the variant is queued for a push. 409
 * (naming the other SKU) when the variant already sells through another merchant-fulfilled listing of
 * the same account and marketplace.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminLinkAmazonListingType>,
  res: MedusaResponse<AdminAmazonListingResponse | AdminAmazonConflictError>
) => {
  try {
    await linkAmazonListingWorkflow(req.scope).run({ input: { listing_id: req.params.id, variant_id: req.validatedBody.variant_id } })
  } catch (e) {
    if (sendConflict(res, e)) return
    throw e
  }
  res.json({ listing: await refetchListing(req.scope, req.params.id) })
}

/** Removes the mapping; Amazon keeps the quantity it last received. */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonListingResponse>) => {
  await unlinkAmazonListingWorkflow(req.scope).run({ input: { listing_id: req.params.id } })
  res.json({ listing: await refetchListing(req.scope, req.params.id) })
}
