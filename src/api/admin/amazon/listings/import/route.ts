import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { requestAmazonSyncWorkflow } from "../../../../../workflows/admin/request-amazon-sync"
import { AdminImportAmazonListingsType } from "../validators"

/**
 * Starts importing the seller's listings from Amazon in the background and returns at once (202). The
 * outcome shows on the dashboard and in the listings list.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminImportAmazonListingsType>, res: MedusaResponse) => {
  const { result } = await requestAmazonSyncWorkflow(req.scope).run({
    input: { stream: "listings_import", account_id: req.validatedBody.account_id, requested_by: req.auth_context?.actor_id },
  })
  res.status(202).json({ sync: result })
}
