import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonSyncActivityResponse, AdminAmazonSyncResponse, AdminAmazonSyncRunningError } from "../../../../types/http"
import { listSyncActivity } from "../../../../workflows/admin/utils/sync-claims"
import { requestSync } from "./helpers"
import { AdminRequestAmazonSyncType } from "./validators"

/**
 * "Sync now": returns 202 at once; a subscriber runs the stream's workflow in the background
 * (stock_push, feed_results, reconcile, orders, fba_stock, listings_import). One at a time per stream
 * and account: 409 with the running one otherwise.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminRequestAmazonSyncType>,
  res: MedusaResponse<AdminAmazonSyncResponse | AdminAmazonSyncRunningError>
) => {
  await requestSync(req, res, { ...req.validatedBody, requested_by: req.auth_context?.actor_id })
}

/**
 * What "sync now" is doing: the syncs running now (stream, accounts, who started them, since when) and
 * the outcomes of the last day's runs, so a long import is visible and not started twice.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonSyncActivityResponse>) => {
  const { running, recent } = await listSyncActivity(req.scope)
  const userIds = [...new Set([...running, ...recent].map((s) => s.requested_by).filter((id): id is string => !!id))]
  const emails = new Map<string, string>()
  if (userIds.length) {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "user", fields: ["id", "email"], filters: { id: userIds } })
    for (const u of data as { id: string; email: string }[]) emails.set(u.id, u.email)
  }
  const email = (id: string | null) => (id ? emails.get(id) ?? null : null)
  res.json({
    running: running.map((r) => ({ ...r, requested_by_email: email(r.requested_by) })),
    recent: recent.map((r) => ({ ...r, requested_by_email: email(r.requested_by) })),
  })
}
