import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonMcfShippingResponse } from "../../../../../../types/http"
import { offerMcfShipping } from "../../../../../../workflows/mcf/offer-mcf-shipping"
import type { AdminOfferAmazonMcfShippingType } from "../../validators"

/**
 * "Ship store orders from FBA": the account's FBA location becomes a shipping location of the store for the
 * Amazon MCF provider, with one flat-priced shipping option per service tier. No Amazon call: it sets up Medusa.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminOfferAmazonMcfShippingType>, res: MedusaResponse<AdminAmazonMcfShippingResponse>) => {
  const result = await offerMcfShipping(req.scope, { account_id: req.params.id, ...req.validatedBody })
  res.json({ mcf: result })
}
