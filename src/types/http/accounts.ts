/** /admin/amazon/accounts, /admin/amazon/accounts/:id and /admin/amazon/accounts/:id/test-connection. */
import type { AdminCreateAmazonAccountType, AdminUpdateAmazonAccountType } from "../../api/admin/amazon/accounts/validators"
import type { AccountSettings, QuantityRules } from "../account-settings"
import type { AdminAmazonPaginatedResponse } from "./common"
import type { AmazonRegion } from "../../lib/amazon/endpoints"

export type { AccountSettings, QuantityRules }

/** POST /admin/amazon/accounts */
export type AdminCreateAmazonAccountBody = AdminCreateAmazonAccountType

/**
 * POST /admin/amazon/accounts/:id. Every field optional; an omitted secret is kept, a settings key set to
 * null returns to its default.
 */
export type AdminUpdateAmazonAccountBody = AdminUpdateAmazonAccountType

/** Amazon's SP-API regions (NA, EU, FE); not a Medusa region. */
export type { AmazonRegion }

/** The latest "test connection" outcome kept in the sync log. */
export interface AdminAmazonConnectionTest {
  ok: boolean
  at: string
  code: string | null
  message: string
}

/** An account as the admin sees it: the secrets are never returned, only whether each is set. */
export interface AdminAmazonAccount {
  id: string
  name: string
  region: AmazonRegion
  seller_id: string
  marketplace_ids: string[]
  lwa_client_id: string
  /** Amazon's SP-API sandbox instead of production. */
  sandbox: boolean
  sp_api_base_url: string | null
  lwa_token_url: string | null
  enabled: boolean
  authorized_at: string | null
  settings: AccountSettings | null
  lwa_client_secret_set: boolean
  refresh_token_set: boolean
  last_connection_test: AdminAmazonConnectionTest | null
  created_at: string
  updated_at: string
}

/** GET /admin/amazon/accounts */
export interface AdminAmazonAccountListResponse extends AdminAmazonPaginatedResponse {
  accounts: AdminAmazonAccount[]
}

/** GET /admin/amazon/accounts/:id, POST /admin/amazon/accounts (201) */
export interface AdminAmazonAccountResponse {
  account: AdminAmazonAccount
}

/** POST /admin/amazon/accounts/:id */
export interface AdminAmazonAccountUpdateResponse extends AdminAmazonAccountResponse {
  /** Linked listings queued because a quantity setting changed (0 = none). */
  requeued_listings: number
  /** When the stock push job runs next (ISO), null when its schedule is unknown. */
  next_push_at: string | null
}

/** DELETE /admin/amazon/accounts/:id */
export interface AdminAmazonAccountDeleteResponse {
  id: string
  object: "amazon_account"
  deleted: true
}

export interface AdminAmazonConnectionMarketplace {
  id: string
  name: string
  country_code: string
  currency_code: string
  is_participating: boolean
}

/** The outcome of a "test connection" (a failed connection is a result with ok: false, not an error). */
export interface AdminAmazonConnectionResult {
  ok: boolean
  account_id: string
  tested_at: string
  latency_ms: number
  /** Amazon's error code (LwaAuthFailed, Unauthorized, Timeout, …) when ok is false. */
  code: string | null
  message: string | null
  request_id: string | null
  marketplaces: AdminAmazonConnectionMarketplace[]
  /** Marketplaces configured on the account in which the seller does not participate. */
  missing_marketplace_ids: string[]
}

/** POST /admin/amazon/accounts/:id/test-connection */
export interface AdminAmazonTestConnectionResponse {
  connection: AdminAmazonConnectionResult
}
