import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonSyncLogListResponse } from "../../../../types/http"
import { LOG_STREAM } from "../../../../workflows/admin/constants"
import { AdminGetAmazonSyncLogsParamsType } from "./validators"

/** The sync log: failures to act on (resolved=false&level=error) and notable events, newest first. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonSyncLogsParamsType>, res: MedusaResponse<AdminAmazonSyncLogListResponse>) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { resolved, ...rest } = req.filterableFields as Record<string, unknown>
  const filters: Record<string, unknown> = { ...rest }
  if (resolved === true) filters.resolved_at = { $ne: null }
  if (resolved === false) filters.resolved_at = null
  // chart samples are data points, not log entries
  if (!filters.stream) filters.stream = { $ne: LOG_STREAM.statusSample }
  const { data, metadata } = await query.graph({
    entity: "amazon_sync_log",
    fields: req.queryConfig.fields,
    filters,
    pagination: req.queryConfig.pagination,
  })
  res.json({ sync_logs: data, count: metadata?.count ?? data.length, offset: metadata?.skip ?? 0, limit: metadata?.take ?? data.length })
}
