import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { AMAZON_MODULE } from "../../../../modules/amazon"
import type AmazonModuleService from "../../../../modules/amazon/service"
import type { AdminAmazonDriftCheck, AdminAmazonDriftChecksResponse, WithDates } from "../../../../types/http"
import { AdminGetAmazonDriftChecksParamsType } from "./validators"

const FIELDS = [
  "id",
  "account_id",
  "marketplace_id",
  "status",
  "report_id",
  "report_status",
  "report_data_at",
  "trigger",
  "started_at",
  "finished_at",
  "progress",
  "summary",
  "error",
  "calls",
] as const

/**
 * "Amazon vs store": per account and marketplace, the latest comparison of Amazon's listings report with
 * what the plugin last set (its progress while it runs, its summary once done), and the latest finished
 * one when a newer one is still running. Reads only amazon_drift_check (the last 30 days).
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonDriftChecksParamsType>,
  res: MedusaResponse<WithDates<AdminAmazonDriftChecksResponse>>
) => {
  const { account_id, marketplace_id } = req.filterableFields as AdminGetAmazonDriftChecksParamsType
  const amazon = req.scope.resolve<AmazonModuleService>(AMAZON_MODULE)
  const rows = (await amazon.listAmazonDriftChecks(
    {
      ...(account_id ? { account_id } : {}),
      ...(marketplace_id ? { marketplace_id } : {}),
      started_at: { $gte: new Date(Date.now() - 30 * 86_400_000) },
    },
    { select: [...FIELDS], order: { started_at: "DESC" }, take: 500 }
  )) as unknown as AdminAmazonDriftCheck[]
  const latest = new Map<string, AdminAmazonDriftCheck>()
  const lastDone = new Map<string, AdminAmazonDriftCheck>()
  for (const r of rows) {
    const key = `${r.account_id}|${r.marketplace_id}`
    if (!latest.has(key)) latest.set(key, r)
    if (r.status === "done" && !lastDone.has(key)) lastDone.set(key, r)
  }
  res.json({
    drift_checks: [...latest.entries()].map(([key, r]) => ({
      ...r,
      last_done: r.status === "done" ? null : lastDone.get(key) ?? null,
    })),
  } as unknown as WithDates<AdminAmazonDriftChecksResponse>)
}
