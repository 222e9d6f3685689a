import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminAmazonListingBatchInvalid, AdminAmazonListingBatchResponse } from "../../../../../types/http"
import { batchLinkAmazonListingsWorkflow } from "../../../../../workflows/admin/batch-link-amazon-listings"
import { AdminBatchAmazonListingsType } from "../validators"

/**
 * Links and unlinks up to 500 listings at once, with the single link's rules; linked merchant-fulfilled
 * variants are queued for a push. All or nothing (see the workflow): 400 with each refused listing's
 * reason (unknown or repeated id, unknown variant, a variant another merchant SKU of the marketplace
 * keeps) and nothing written.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminBatchAmazonListingsType>,
  res: MedusaResponse<AdminAmazonListingBatchResponse | AdminAmazonListingBatchInvalid>
) => {
  const { result } = await batchLinkAmazonListingsWorkflow(req.scope).run({ input: req.validatedBody })
  if (result.errors.length) {
    // the first reasons go into the message too: the JS SDK's error keeps only `message`
    const shown = result.errors.slice(0, 3).map((e) => e.message)
    res.status(400).json({
      type: "invalid_data",
      message:
        `${result.errors.length} listing(s) cannot be changed; nothing was written. ${shown.join(" ")}` +
        (result.errors.length > shown.length ? ` (and ${result.errors.length - shown.length} more)` : ""),
      errors: result.errors,
    })
    return
  }
  res.json(result)
}
