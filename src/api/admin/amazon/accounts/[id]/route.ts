import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { publicAccount } from "../../../../../modules/amazon/utils/public-account"
import type { AdminAmazonAccountDeleteResponse, AdminAmazonAccountResponse, AdminAmazonAccountUpdateResponse } from "../../../../../types/http"
import { deleteAmazonAccountWorkflow } from "../../../../../workflows/admin/delete-amazon-account"
import { updateAmazonAccountWorkflow } from "../../../../../workflows/admin/update-amazon-account"
import { lastConnectionTests } from "../../../../../workflows/admin/utils/connection-tests"
import { nextJobRun, STOCK_PUSH_JOB } from "../../../../../workflows/admin/utils/next-run"
import { retrieveAccountQueryConfig, SECRET_PRESENCE_FIELDS } from "../query-config"
import { AdminUpdateAmazonAccountType } from "../validators"

async function readAccount(req: AuthenticatedMedusaRequest<any>, fields: string[]) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph(
    { entity: "amazon_account", fields: [...fields, ...SECRET_PRESENCE_FIELDS], filters: { id: req.params.id } },
    { throwIfKeyNotFound: true }
  )
  const tests = await lastConnectionTests(req.scope, [req.params.id])
  return { ...publicAccount(data[0]), last_connection_test: tests[req.params.id] ?? null }
}

/** One account, with its settings, whether each secret is set, and the last connection test. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonAccountResponse>) => {
  res.json({ account: await readAccount(req, req.queryConfig.fields) })
}

/**
 * Updates connection fields and/or settings. A secret given replaces the stored one; an omitted secret is
 * kept. Settings are merged key by key (null = back to the default). A change that would set most stocked
 * listings to 0 needs confirm_zero_stock: true. The response says how many listings were queued by a
 * quantity settings change (requeued_listings) and when the stock push next runs (next_push_at).
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminUpdateAmazonAccountType>, res: MedusaResponse<AdminAmazonAccountUpdateResponse>) => {
  const { result } = await updateAmazonAccountWorkflow(req.scope).run({
    input: { id: req.params.id, ...req.validatedBody } as any,
  })
  res.json({
    account: await readAccount(req, retrieveAccountQueryConfig.defaults),
    requeued_listings: result.requeued_listings,
    next_push_at: nextJobRun(STOCK_PUSH_JOB),
  })
}

/** Disconnects the account (soft delete of it and its listings, cursors, feeds and FBA snapshots). */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonAccountDeleteResponse>) => {
  await deleteAmazonAccountWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ id: req.params.id, object: "amazon_account", deleted: true })
}
