import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminReleaseAmazonMcfOrderResponse } from "../../../../../../types/http"
import { releaseAmazonMcfOrderWorkflow } from "../../../../../../workflows/mcf/release-mcf-order"

/** "Release": an MCF order on hold ships (Amazon's updateOrder). Waits for Amazon: the merchant asked for it. */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminReleaseAmazonMcfOrderResponse>) => {
  const { result } = await releaseAmazonMcfOrderWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ mcf_order: result })
}
