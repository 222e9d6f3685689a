import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonSyncResponse, AdminAmazonSyncRunningError } from "../../../../../types/http"
import { requestSync } from "../../sync/helpers"
import { AdminImportAmazonListingsType } from "../validators"

/**
 * Starts importing the seller's listings from Amazon in the background and returns at once (202). The
 * outcome shows on the dashboard and in the listings list. 409 while an import of the account runs.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminImportAmazonListingsType>,
  res: MedusaResponse<AdminAmazonSyncResponse | AdminAmazonSyncRunningError>
) => {
  await requestSync(req, res, { stream: "listings_import", account_id: req.validatedBody.account_id, requested_by: req.auth_context?.actor_id })
}

