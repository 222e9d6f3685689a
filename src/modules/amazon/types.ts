import type { AmazonRegion } from "../../lib/amazon/endpoints"

/** Input of AmazonModuleService.createAccounts: the secrets arrive in plain text and are stored encrypted. */
export interface CreateAmazonAccountInput {
  name: string
  region: AmazonRegion
  seller_id: string
  marketplace_ids: string[]
  lwa_client_id: string
  /** plain text in, stored encrypted */
  lwa_client_secret: string
  /** plain text in, stored encrypted */
  refresh_token: string
  /** Amazon's SP-API sandbox for the region instead of production. */
  sandbox?: boolean
  /** Endpoint overrides: only origins the store's configuration allows (see endpointRefusal). */
  sp_api_base_url?: string | null
  lwa_token_url?: string | null
  enabled?: boolean
  authorized_at?: Date | null
  settings?: Record<string, unknown> | null
}

export type UpdateAmazonAccountInput = Partial<CreateAmazonAccountInput> & { id: string }
