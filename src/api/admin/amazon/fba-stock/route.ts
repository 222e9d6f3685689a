import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../../../../modules/amazon"
import type AmazonModuleService from "../../../../modules/amazon/service"
import type { AdminAmazonFbaStockListResponse, WithDates } from "../../../../types/http"
import { CURSOR_STREAM } from "../../../../workflows/admin/constants"
import { AdminGetAmazonFbaStockParamsType } from "./validators"

/**
 * FBA sync state: the last snapshot Amazon reported per SKU (with why it could not be applied, if so)
 * and the FBA cursor of each account + marketplace (last run, last success, watermark, last error).
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonFbaStockParamsType>, res: MedusaResponse<WithDates<AdminAmazonFbaStockListResponse>>) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { q, issue, ...rest } = req.filterableFields as Record<string, unknown>
  const filters: Record<string, unknown> = { ...rest }
  if (q) filters.seller_sku = { $ilike: `%${String(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%` }
  if (issue === "any") filters.issue = { $ne: null }
  else if (issue) filters.issue = issue
  const { data, metadata } = await query.graph({
    entity: "amazon_fba_stock",
    fields: req.queryConfig.fields,
    filters,
    pagination: req.queryConfig.pagination,
  })
  const amazon = req.scope.resolve<AmazonModuleService>(AMAZON_MODULE)
  const cursors = await amazon.listAmazonSyncCursors(
    { stream: CURSOR_STREAM.fbaStock, ...(rest.account_id ? { account_id: rest.account_id as string } : {}) },
    { select: ["id", "account_id", "scope", "watermark", "last_run_at", "last_success_at", "last_error", "state"] }
  )
  res.json({
    fba_stock: data,
    count: metadata?.count ?? data.length,
    offset: metadata?.skip ?? 0,
    limit: metadata?.take ?? data.length,
    sync: cursors.map((c) => ({
      account_id: (c as { account_id?: string }).account_id,
      marketplace_id: c.scope,
      watermark: c.watermark,
      last_run_at: c.last_run_at,
      last_success_at: c.last_success_at,
      last_error: c.last_error,
      state: c.state,
    })),
  })
}
