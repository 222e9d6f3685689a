import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonListingExplainResponse } from "../../../../../../types/http"
import { explainListing, ExplainedListing } from "../../../../../../workflows/admin/utils/listing-explain"
import { refetchListing } from "../../helpers"

/**
 * How the quantity the push sends for this listing comes about (counted stock per location, the rules
 * and which one decided), what Amazon last accepted, whether a push is queued and when the push job runs
 * next, with a one-line summary. Computed now by the push's own functions; reads only. 404 for an unknown listing.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonListingExplainResponse>) => {
  const listing = (await refetchListing(req.scope, req.params.id)) as ExplainedListing
  res.json({ explain: await explainListing(req.scope, listing) })
}
