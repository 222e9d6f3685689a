import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { sellerCentralOrderUrl } from "../../../../lib/amazon/endpoints"
import type { AdminAmazonOrderListResponse } from "../../../../types/http"
import { loadAttentionDetails } from "../../../../workflows/order-import/utils/attention-details"
import { AdminGetAmazonOrdersParamsType } from "./validators"

/**
 * Imported Amazon orders (filter import_status=needs_attention for the ones to act on), each with its
 * Seller Central link; orders in "needs attention" also carry their ship-by time and their SKUs with the
 * listing to map (the payload itself stays on the server).
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonOrdersParamsType>, res: MedusaResponse<AdminAmazonOrderListResponse>) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { q, ...filters } = req.filterableFields as Record<string, unknown>
  const { data, metadata } = await query.graph({
    entity: "amazon_order",
    fields: req.queryConfig.fields,
    filters: q ? { ...filters, amazon_order_id: { $ilike: `%${String(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%` } } : filters,
    pagination: req.queryConfig.pagination,
  })
  const waiting = (data as { id: string; account_id: string; import_status?: string }[]).filter((o) => o.import_status === "needs_attention")
  const details = await loadAttentionDetails(req.scope, waiting)
  const orders = data.map((o: any) => ({
    ...o,
    seller_central_url: o.marketplace_id && o.amazon_order_id ? sellerCentralOrderUrl(o.marketplace_id, o.amazon_order_id) : null,
    ...(details.has(o.id) ? { attention: details.get(o.id) } : {}),
  }))
  res.json({ orders, count: metadata?.count ?? data.length, offset: metadata?.skip ?? 0, limit: metadata?.take ?? data.length })
}
