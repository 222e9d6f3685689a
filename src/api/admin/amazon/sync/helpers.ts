import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { AdminAmazonSyncResponse, AdminAmazonSyncRunningError } from "../../../../types/http"
import { requestAmazonSyncWorkflow, RequestAmazonSyncWorkflowInput } from "../../../../workflows/admin/request-amazon-sync"

/**
 * Claims the stream and emits amazon.sync_requested (shared by "sync now" and the listings import).
 * 202 `{ sync }` when started; 409 `{ type, message, running }` while a sync of the same stream and
 * account is requested or running, `running` being that sync (id, stream, account(s), started_at).
 */
export async function requestSync(
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<AdminAmazonSyncResponse | AdminAmazonSyncRunningError>,
  input: RequestAmazonSyncWorkflowInput
) {
  const { result } = await requestAmazonSyncWorkflow(req.scope).run({ input })
  if (result.started) {
    res.status(202).json({ sync: result.sync })
    return
  }
  res.status(409).json({ type: MedusaError.Types.CONFLICT, code: "sync_running", message: result.message, running: result.running })
}
