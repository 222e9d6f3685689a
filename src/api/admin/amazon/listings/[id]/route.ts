import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonListingResponse } from "../../../../../types/http"
import { setAmazonListingRulesWorkflow } from "../../../../../workflows/admin/set-amazon-listing-rules"
import { refetchListing } from "../helpers"
import { AdminUpdateAmazonListingType } from "../validators"

export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonListingResponse>) => {
  res.json({ listing: await refetchListing(req.scope, req.params.id, req.queryConfig.fields) })
}

/**
 * Replaces the SKU's own quantity rules with the ones sent (a field left out is no longer overridden;
 * null = the account's rules apply); its variant is queued for a push. min above max → 400.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminUpdateAmazonListingType>, res: MedusaResponse<AdminAmazonListingResponse>) => {
  await setAmazonListingRulesWorkflow(req.scope).run({ input: { listing_id: req.params.id, rules: req.validatedBody.rules } })
  res.json({ listing: await refetchListing(req.scope, req.params.id) })
}
