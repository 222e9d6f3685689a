import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonResolveSyncLogsResponse } from "../../../../../types/http"
import { resolveAmazonSyncLogsWorkflow } from "../../../../../workflows/admin/resolve-amazon-sync-logs"
import { AdminResolveAmazonSyncLogsType } from "../validators"

/** Marks errors as handled: they leave the dashboard's "to act on" list and stay in the log. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminResolveAmazonSyncLogsType>, res: MedusaResponse<AdminAmazonResolveSyncLogsResponse>) => {
  const { result } = await resolveAmazonSyncLogsWorkflow(req.scope).run({ input: { ids: req.validatedBody.ids } })
  res.json({ resolved: result.resolved })
}
