import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonRetryOrderResponse } from "../../../../../../types/http"
import { retryAmazonOrderImportWorkflow } from "../../../../../../workflows/order-import/retry-amazon-order-import"
import { ORDER_FIELDS } from "../../query-config"

/**
 * Imports an order that needs attention again, from the payload kept at import (after the merchant
 * mapped its SKU, published its product, …). The order import's retry workflow makes no Amazon call, so
 * the merchant gets the outcome right away.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonRetryOrderResponse>) => {
  const { result } = await retryAmazonOrderImportWorkflow(req.scope).run({ input: { id: req.params.id } })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph(
    { entity: "amazon_order", fields: ORDER_FIELDS, filters: { id: req.params.id } },
    { throwIfKeyNotFound: true }
  )
  const r = result as { outcome?: string; error?: string }
  res.json({ outcome: r.outcome ?? null, error: r.error ?? null, amazon_order: data[0] })
}
