import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonRetryOrderResponse } from "../../../../../../types/http"
import { retryAmazonOrderImport } from "../../../../../../workflows/order-import/orchestrators/retry-amazon-order"
import { ORDER_FIELDS } from "../../query-config"

/**
 * Imports an order that needs attention again, from the payload kept at import (after the merchant
 * mapped its SKU, published its product, …). The order import's retry workflow makes no Amazon call, so
 * the merchant gets the outcome right away.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonRetryOrderResponse>) => {
  const result = await retryAmazonOrderImport(req.scope, { id: req.params.id })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph(
    { entity: "amazon_order", fields: ORDER_FIELDS, filters: { id: req.params.id } },
    { throwIfKeyNotFound: true }
  )
  res.json({ outcome: result.outcome ?? null, error: ("error" in result ? result.error : null) ?? null, amazon_order: data[0] })
}
