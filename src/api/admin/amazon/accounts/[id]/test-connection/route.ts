import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonTestConnectionResponse } from "../../../../../../types/http"
import { testAmazonConnectionWorkflow } from "../../../../../../workflows/admin/test-amazon-connection"

/**
 * "Test connection": token exchange + getMarketplaceParticipations, answered within 20 s. The one admin
 * route that waits for Amazon, because that answer is what the merchant asked for. A failed connection is
 * a result (200 with ok: false, Amazon's code and message), not an error of this request.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonTestConnectionResponse>) => {
  const { result } = await testAmazonConnectionWorkflow(req.scope).run({ input: { account_id: req.params.id } })
  res.json({ connection: result })
}
