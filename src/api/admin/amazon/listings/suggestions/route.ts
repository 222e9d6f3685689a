import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonListingsSuggestionsResponse } from "../../../../../types/http"
import { suggestVariants } from "../helpers"
import type { AdminGetAmazonListingsSuggestionsParamsType } from "../validators"

/** The suggestions of up to 50 listings (the bulk link drawer), by listing id; unknown ids are left out. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonListingsSuggestionsParamsType>,
  res: MedusaResponse<AdminAmazonListingsSuggestionsResponse>
) => {
  const { id } = req.filterableFields as AdminGetAmazonListingsSuggestionsParamsType
  res.json({ suggestions: Object.fromEntries(await suggestVariants(req.scope, id)) })
}
