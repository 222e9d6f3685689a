import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonCancelOrderResponse } from "../../../../../../types/http"
import { cancelAmazonOrderWorkflow } from "../../../../../../workflows/order-actions/cancel-amazon-order"
import { orderActionsView } from "../../helpers"
import type { AdminCancelAmazonOrderType } from "../../validators"

/**
 * Cancels an unshipped merchant-fulfilled Amazon order with the reason staff chose ("Accept cancellation"
 * of a buyer's request sends BuyerCanceled): the workflow refuses (400, saying why) when a unit has shipped,
 * cancels the Medusa order and records the cancellation; the order-actions job sends it to Amazon. No
 * Amazon call here.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminCancelAmazonOrderType>,
  res: MedusaResponse<AdminAmazonCancelOrderResponse>
) => {
  const { result } = await cancelAmazonOrderWorkflow(req.scope).run({
    input: { order_id: req.params.order_id, reason: req.validatedBody.reason, canceled_by: req.auth_context?.actor_id },
  })
  const view = await orderActionsView(req.scope, req.params.order_id)
  res.json({ ...view, action_id: (result as { action_id?: string | null })?.action_id ?? null })
}
