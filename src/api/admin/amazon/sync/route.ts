import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonSyncResponse, AdminAmazonSyncRunningError } from "../../../../types/http"
import { requestSync } from "./helpers"
import { AdminRequestAmazonSyncType } from "./validators"

/**
 * "Sync now": returns 202 at once; a subscriber runs the stream's workflow in the background
 * (stock_push, feed_results, reconcile, orders, fba_stock, listings_import). One at a time per stream
 * and account: 409 with the running one otherwise.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminRequestAmazonSyncType>,
  res: MedusaResponse<AdminAmazonSyncResponse | AdminAmazonSyncRunningError>
) => {
  await requestSync(req, res, { ...req.validatedBody, requested_by: req.auth_context?.actor_id })
}
