import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { mappingCsv } from "../../../../../../lib/mapping/mapping-file"
import type { AdminExportAmazonListingMappingParamsType } from "../../validators"
import { readMappingExportRows } from "../helpers"

/**
 * The listing ↔ variant mapping as CSV (text/csv, one row per listing, its variant's SKU and id; empty =
 * not linked), for editing in a spreadsheet and importing back with POST …/mapping/import.
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminExportAmazonListingMappingParamsType>, res: MedusaResponse) => {
  const filters = req.filterableFields as AdminExportAmazonListingMappingParamsType
  const csv = mappingCsv(await readMappingExportRows(req.scope, filters))
  const day = new Date().toISOString().slice(0, 10)
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="amazon-mapping-${day}.csv"`)
  res.status(200).send(csv)
}
