import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonOrderActionsResponse } from "../../../../../types/http"
import { orderActionsView } from "../helpers"

/**
 * The Amazon side of a Medusa order for its order page: Amazon's status, the latest ship date, a buyer's
 * cancellation request, whether staff can cancel it on Amazon, and every shipment confirmation and
 * cancellation sent for it with its state and error. An order that did not come from Amazon answers with
 * `amazon_order: null`.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonOrderActionsResponse>) => {
  res.json(await orderActionsView(req.scope, req.params.order_id))
}
