import { MedusaError } from "@medusajs/framework/utils"
import { amazonSpApiHost, AmazonRegion, endpointRefusal, LWA_TOKEN_URL } from "../../../lib/amazon/endpoints"
import { SpApiErrorCode } from "../../../lib/amazon/errors"
import type { PluginOptions } from "../../../types/plugin-options"

export type AccountEndpointFields = {
  region: string
  sandbox?: boolean | null
  sp_api_base_url?: string | null
  lwa_token_url?: string | null
}

/** 400 (INVALID_DATA) when an endpoint override points anywhere the store's configuration does not allow. */
export function assertEndpointsAllowed(
  input: { sp_api_base_url?: string | null; lwa_token_url?: string | null },
  options: PluginOptions
): void {
  for (const field of ["sp_api_base_url", "lwa_token_url"] as const) {
    const url = input[field]
    if (!url) continue
    const refusal = endpointRefusal(url, options)
    if (refusal) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Field '${field}' ${refusal}. The credentials are sent only to Amazon; a simulator or proxy must be allowed in the store's configuration.`
      )
    }
  }
}

/**
 * Where an account's calls go: its own overrides (only if the store's configuration allows them), else
 * the plugin options' endpoints (configuration), else Amazon's hosts for its region (sandbox or not).
 * Throws NOT_ALLOWED for a stored override the configuration does not allow (a row written before this
 * check, or a configuration that changed since): such an account makes no call at all.
 */
export function resolveAccountEndpoints(
  account: AccountEndpointFields,
  options: PluginOptions
): { spApiBaseUrl: string; lwaTokenUrl: string } {
  try {
    assertEndpointsAllowed(account, options)
  } catch (e) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, (e as Error).message, SpApiErrorCode.ENDPOINT_NOT_ALLOWED)
  }
  return {
    spApiBaseUrl: account.sp_api_base_url || options.spApiBaseUrl || amazonSpApiHost(account.region as AmazonRegion, Boolean(account.sandbox)),
    lwaTokenUrl: account.lwa_token_url || options.lwaTokenUrl || LWA_TOKEN_URL,
  }
}
