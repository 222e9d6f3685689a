import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { publicAccount } from "../../../../modules/amazon/utils/public-account"
import type { AdminAmazonAccountListResponse, AdminAmazonAccountResponse } from "../../../../types/http"
import { createAmazonAccountWorkflow } from "../../../../workflows/admin/create-amazon-account"
import { lastConnectionTests } from "../../../../workflows/admin/utils/connection-tests"
import { retrieveAccountQueryConfig, SECRET_PRESENCE_FIELDS } from "./query-config"
import { AdminCreateAmazonAccountType, AdminGetAmazonAccountsParamsType } from "./validators"

/** Lists connected Amazon accounts. Secrets are never selected; the response says only whether each is set. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonAccountsParamsType>,
  res: MedusaResponse<AdminAmazonAccountListResponse>
) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "amazon_account",
    fields: [...req.queryConfig.fields, ...SECRET_PRESENCE_FIELDS],
    filters: req.filterableFields,
    pagination: req.queryConfig.pagination,
  })
  const tests = await lastConnectionTests(req.scope, data.map((a) => a.id))
  res.json({
    accounts: data.map((a) => ({ ...publicAccount(a), last_connection_test: tests[a.id] ?? null })),
    count: metadata?.count ?? data.length,
    offset: metadata?.skip ?? 0,
    limit: metadata?.take ?? data.length,
  })
}

/** Connects an account. The secrets are encrypted by the module and never returned. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminCreateAmazonAccountType>, res: MedusaResponse<AdminAmazonAccountResponse>) => {
  const { settings, ...body } = req.validatedBody
  // null in a new account's settings means "default", which is the key's absence
  const cleanSettings = settings ? Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== null && v !== undefined)) : undefined
  const { result } = await createAmazonAccountWorkflow(req.scope).run({
    input: { ...body, settings: cleanSettings ?? null },
  })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph(
    {
      entity: "amazon_account",
      fields: [...retrieveAccountQueryConfig.defaults, ...SECRET_PRESENCE_FIELDS],
      filters: { id: result.id as string },
    },
    { throwIfKeyNotFound: true }
  )
  res.status(201).json({ account: { ...publicAccount(data[0]), last_connection_test: null } })
}
