import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonMappingImportInvalid, AdminAmazonMappingImportResponse } from "../../../../../../types/http"
import { batchLinkAmazonListingsWorkflow } from "../../../../../../workflows/admin/batch-link-amazon-listings"
import type { AdminImportAmazonListingMappingType } from "../../validators"
import { previewMappingImport } from "../helpers"

/**
 * Reads a mapping file (the export's columns; a listing = account (or the only one), marketplace, SKU,
 * channel (default MERCHANT); a variant = variant_sku or variant_id, empty = unlink) and answers each row's
 * action or error with totals. dry_run: preview only. Otherwise the changes go through the batch link
 * workflow when no row is an error; else 400 with the rows and nothing written.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminImportAmazonListingMappingType>,
  res: MedusaResponse<AdminAmazonMappingImportResponse | AdminAmazonMappingImportInvalid>
) => {
  const preview = await previewMappingImport(req.scope, req.validatedBody.csv)
  const body: AdminAmazonMappingImportResponse = { rows: preview.rows, totals: preview.totals, applied: false }
  const refuse = (n: number) =>
    res.status(400).json({ type: "invalid_data", message: `${n} row(s) have errors; nothing was applied. Correct them and import again.`, ...body })

  if (req.validatedBody.dry_run) {
    res.json(body)
    return
  }
  if (preview.totals.error) {
    refuse(preview.totals.error)
    return
  }
  if (preview.changes.link.length || preview.changes.unlink.length) {
    const { result } = await batchLinkAmazonListingsWorkflow(req.scope).run({ input: preview.changes })
    if (result.errors.length) {
      // the links changed between the preview and the write: show those rows as errors
      for (const e of result.errors) {
        const row = body.rows.find((r) => r.listing_id === e.listing_id)
        if (row) Object.assign(row, { action: "error", error: e.message })
      }
      body.totals = { ...body.totals, error: body.rows.filter((r) => r.action === "error").length }
      refuse(result.errors.length)
      return
    }
  }
  res.json({ ...body, applied: true })
}
