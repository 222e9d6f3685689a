import type { MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { AdminAmazonConflictError } from "../../../../types/http"
import { LISTING_FIELDS } from "./query-config"

/** Reads one listing (with its linked variant) for a response; 404 when it does not exist. */
export async function refetchListing(container: MedusaContainer, id: string, fields: string[] = LISTING_FIELDS) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "amazon_listing", fields, filters: { id } }, { throwIfKeyNotFound: true })
  return data[0]
}

/**
 * Answers a refused write as 409 with the workflow's own message and returns true; false for any other
 * error (the caller rethrows it). Medusa's error handler answers every CONFLICT with a generic text about
 * idempotency keys, which would hide what the merchant has to change (e.g. which SKU holds the variant).
 */
export function sendConflict(res: MedusaResponse<AdminAmazonConflictError>, e: unknown): boolean {
  const err = e as { type?: string; message?: string } | null
  if (err?.type !== MedusaError.Types.CONFLICT) {
    return false
  }
  res.status(409).json({ type: MedusaError.Types.CONFLICT, code: "invalid_state_error", message: err.message ?? "Conflict" })
  return true
}
