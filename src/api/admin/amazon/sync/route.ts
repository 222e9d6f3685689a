import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { requestAmazonSyncWorkflow } from "../../../../workflows/admin/request-amazon-sync"
import { AdminRequestAmazonSyncType } from "./validators"

/**
 * "Sync now": emits amazon.sync_requested and returns 202 at once; a subscriber runs the stream's
 * workflow in the background (stock_push, feed_results, reconcile, orders, fba_stock, listings_import).
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminRequestAmazonSyncType>, res: MedusaResponse) => {
  const { result } = await requestAmazonSyncWorkflow(req.scope).run({
    input: { ...req.validatedBody, requested_by: req.auth_context?.actor_id },
  })
  res.status(202).json({ sync: result })
}
