import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { redactBuyerData } from "../../../../../lib/amazon/orders/redact-buyer-data"
import type { AdminAmazonOrderDetail, AdminAmazonOrderResponse } from "../../../../../types/http"

/**
 * One imported Amazon order, with the payload kept for review and what was applied to store stock. The
 * payload is served without buyer data (name, e-mail, addresses, phone), even while the retention period
 * still keeps it in the database for retries: staff read the buyer on the Medusa order.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonOrderResponse>) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph(
    { entity: "amazon_order", fields: req.queryConfig.fields, filters: { id: req.params.id } },
    { throwIfKeyNotFound: true }
  )
  const order = data[0] as AdminAmazonOrderDetail
  res.json({ amazon_order: "payload" in order ? { ...order, payload: redactBuyerData(order.payload).payload } : order })
}
