import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonAutoLinkResponse } from "../../../../../types/http"
import { autoLinkAmazonListingsWorkflow } from "../../../../../workflows/admin/auto-link-amazon-listings"
import { AdminAutoLinkAmazonListingsType } from "../validators"

/** Links every unlinked listing whose seller SKU equals a variant SKU. Local only (no Amazon call). */
export const POST = async (req: AuthenticatedMedusaRequest<AdminAutoLinkAmazonListingsType>, res: MedusaResponse<AdminAmazonAutoLinkResponse>) => {
  const { result } = await autoLinkAmazonListingsWorkflow(req.scope).run({ input: req.validatedBody })
  res.json(result)
}
