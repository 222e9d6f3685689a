import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonResolveSyncLogsResponse } from "../../../../../types/http"
import { resolveAmazonSyncLogsWorkflow } from "../../../../../workflows/admin/resolve-amazon-sync-logs"
import { AdminResolveAmazonSyncLogsType } from "../validators"

/**
 * Marks errors as handled, by id or a whole cause (group key): they leave the dashboard's "to act on"
 * list and stay in the log with who closed them.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminResolveAmazonSyncLogsType>, res: MedusaResponse<AdminAmazonResolveSyncLogsResponse>) => {
  const { result } = await resolveAmazonSyncLogsWorkflow(req.scope).run({
    input: { ids: req.validatedBody.ids, groups: req.validatedBody.groups, actor_id: req.auth_context?.actor_id ?? null },
  })
  res.json({ resolved: result.resolved })
}
