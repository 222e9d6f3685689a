import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { AdminAmazonListingSuggestionsResponse } from "../../../../../../types/http"
import { suggestVariants } from "../../helpers"

/** Up to 5 variants the listing probably sells, best first, each with its reasons. 404 for an unknown listing. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonListingSuggestionsResponse>) => {
  const suggestions = (await suggestVariants(req.scope, [req.params.id])).get(req.params.id)
  if (!suggestions) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon listing with id: ${req.params.id} was not found`)
  }
  res.json({ suggestions })
}
