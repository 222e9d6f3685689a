import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { publicAccount } from "../../../../modules/amazon/service"
import { AdminGetAmazonAccountsParamsType } from "./validators"

/** Lists connected Amazon accounts. Secrets are never selected; the response says only whether each is set. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonAccountsParamsType>,
  res: MedusaResponse
) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "amazon_account",
    // the encrypted columns are read only to report "set"; publicAccount drops them before replying
    fields: [...req.queryConfig.fields, "lwa_client_secret_encrypted", "refresh_token_encrypted"],
    filters: req.filterableFields,
    pagination: req.queryConfig.pagination,
  })
  res.json({
    accounts: data.map((a) => publicAccount(a)),
    count: metadata?.count ?? data.length,
    offset: metadata?.skip ?? 0,
    limit: metadata?.take ?? data.length,
  })
}
