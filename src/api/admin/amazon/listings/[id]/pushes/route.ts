import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminAmazonListingPushListResponse } from "../../../../../../types/http"
import { listListingPushes } from "../../../../../../workflows/admin/utils/listing-pushes"
import type { Sql } from "../../../../../../workflows/shared/medusa-tables"
import { refetchListing } from "../../helpers"
import { AdminGetAmazonListingPushesParamsType } from "./validators"

/**
 * What was pushed to Amazon for this listing and when: patches and feed messages in one list, newest
 * first, each with Amazon's verdict. 404 for an unknown listing.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonListingPushesParamsType>,
  res: MedusaResponse<AdminAmazonListingPushListResponse>
) => {
  // 404 for an unknown listing rather than an empty history
  await refetchListing(req.scope, req.params.id, ["id"])
  const offset = req.queryConfig.pagination?.skip ?? 0
  const limit = req.queryConfig.pagination?.take ?? 20
  const sql = req.scope.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
  const { pushes, count } = await listListingPushes(sql, req.params.id, { offset, limit })
  res.json({ pushes, count, offset, limit })
}
