import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonOrderListResponse } from "../../../../types/http"
import { AdminGetAmazonOrdersParamsType } from "./validators"

/** Imported Amazon orders (filter import_status=needs_attention for the ones to act on). */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonOrdersParamsType>, res: MedusaResponse<AdminAmazonOrderListResponse>) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { q, ...filters } = req.filterableFields as Record<string, unknown>
  const { data, metadata } = await query.graph({
    entity: "amazon_order",
    fields: req.queryConfig.fields,
    filters: q ? { ...filters, amazon_order_id: { $ilike: `%${String(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%` } } : filters,
    pagination: req.queryConfig.pagination,
  })
  res.json({ orders: data, count: metadata?.count ?? data.length, offset: metadata?.skip ?? 0, limit: metadata?.take ?? data.length })
}
