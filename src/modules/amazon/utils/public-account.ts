/** Columns safe to return to the admin. The encrypted columns are never selected for a response. */
export const ACCOUNT_PUBLIC_FIELDS = [
  "id",
  "name",
  "region",
  "seller_id",
  "marketplace_ids",
  "lwa_client_id",
  "sandbox",
  "sp_api_base_url",
  "lwa_token_url",
  "enabled",
  "authorized_at",
  "settings",
  "created_at",
  "updated_at",
] as const

/** Strips the encrypted columns, and reports only whether each secret is set. */
export function publicAccount<T extends Record<string, any>>(account: T) {
  const out: Record<string, unknown> = {}
  for (const f of ACCOUNT_PUBLIC_FIELDS) {
    if (f in account) {
      out[f] = account[f]
    }
  }
  out.lwa_client_secret_set = Boolean(account.lwa_client_secret_encrypted)
  out.refresh_token_set = Boolean(account.refresh_token_encrypted)
  return out as Pick<T, Extract<(typeof ACCOUNT_PUBLIC_FIELDS)[number], keyof T>> & {
    lwa_client_secret_set: boolean
    refresh_token_set: boolean
  }
}
