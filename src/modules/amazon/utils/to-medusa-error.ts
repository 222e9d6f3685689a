import { MedusaError } from "@medusajs/framework/utils"
import { AmazonApiError } from "../../../lib/amazon/errors"

/**
 * The one mapping of the SP-API client's typed errors to Medusa's. Amazon's code, operation and request id
 * stay in the message so the admin can show them; no secret is ever part of an AmazonApiError.
 */
export function toMedusaError(e: unknown): unknown {
  if (!(e instanceof AmazonApiError)) {
    return e
  }
  const type = mapType(e)
  const ref = e.requestId ? `, request id ${e.requestId}` : ""
  const err = new MedusaError(type, `Amazon ${e.operation} failed: ${e.code}: ${e.message}${ref}`, e.code)
  ;(err as { cause?: unknown }).cause = e
  return err
}

function mapType(e: AmazonApiError): string {
  if (e.code === "QuotaExceeded" || e.status === 429 || e.code === "RateLimitWaitExceeded") {
    return MedusaError.Types.NOT_ALLOWED
  }
  if (e.status === 404 || e.code === "NotFound") {
    return MedusaError.Types.NOT_FOUND
  }
  if (e.status === 400 || e.code === "InvalidInput") {
    return MedusaError.Types.INVALID_DATA
  }
  if (e.status === 401 || e.status === 403 || e.operation === "lwa.token") {
    return MedusaError.Types.UNAUTHORIZED
  }
  return MedusaError.Types.UNEXPECTED_STATE
}
