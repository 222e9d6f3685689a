import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonStatusResponse } from "../../../../types/http"
import { buildAmazonStatus, listStatusSamples } from "../../../../workflows/admin/utils/status"
import { AdminGetAmazonStatusParamsType } from "./validators"

/**
 * The dashboard summary: queue depth and age, last push / import / FBA sync, lag, throttle state, errors
 * to act on, warnings, job schedules, and the chart's samples with a live point appended. Reads only the
 * plugin's tables.
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonStatusParamsType>, res: MedusaResponse<AdminAmazonStatusResponse>) => {
  const { account_id, hours } = req.filterableFields as AdminGetAmazonStatusParamsType
  const now = new Date()
  const [status, samples] = await Promise.all([
    buildAmazonStatus(req.scope, { account_id, now }),
    listStatusSamples(req.scope, { hours: hours ?? 24, now }),
  ])
  const live = { at: status.generated_at, ...status.figures, live: true }
  res.json({ status: { ...status, samples: [...samples.map((s) => ({ ...s, live: false })), live] } })
}
