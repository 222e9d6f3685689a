import { MedusaError } from "@medusajs/framework/utils"
import { AccountSettingsSchema } from "../../../types/account-settings"
import { SqlManager } from "./sql"

/**
 * amazon_account: statements the generated CRUD cannot express. None of them touches updated_at: it
 * versions the cached SP-API client, which settings do not affect (after a wipe the caller drops that
 * client itself).
 */

export type SettingsPatch = { set: Record<string, unknown>; unset: string[] }

export type StoredSecretsRow = { id: string; lwa_client_secret_encrypted: string; refresh_token_encrypted: string }

/**
 * Remembers the FBA stock location of a marketplace (settings.fba_location_ids[marketplaceId]). One jsonb
 * statement that touches only that key, so a concurrent writer of other settings (admin, order import) is
 * never overwritten by a stale copy.
 */
async function setFbaLocationId(manager: SqlManager, accountId: string, marketplaceId: string, locationId: string): Promise<void> {
  await manager.execute(
    `update amazon_account
       set settings = jsonb_set(
         (case when jsonb_typeof(settings) = 'object' then settings else '{}'::jsonb end),
         '{fba_location_ids}',
         (case when jsonb_typeof(settings -> 'fba_location_ids') = 'object'
               then settings -> 'fba_location_ids' else '{}'::jsonb end) || jsonb_build_object(?::text, ?::text),
         true)
     where id = ? and deleted_at is null`,
    [marketplaceId, locationId, accountId]
  )
}

/**
 * Sets and removes top-level keys of the settings in one statement, leaving every other key as it is in
 * the database (the FBA sync writes fba_location_ids concurrently; a stale full copy from an admin form
 * must not overwrite it). The row is locked first, and the result is validated before returning: run it in
 * a transaction, so invalid settings roll back. Returns the settings before and after.
 */
async function mergeAccountSettings(
  manager: SqlManager,
  accountId: string,
  patch: SettingsPatch
): Promise<{ before: Record<string, unknown>; after: Record<string, unknown> }> {
  const current: any[] = await manager.execute(
    `select settings from amazon_account where id = ? and deleted_at is null for update`,
    [accountId]
  )
  if (!current?.length) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${accountId} was not found`)
  }
  const before = (current[0].settings ?? {}) as Record<string, unknown>
  const rows: any[] = await manager.execute(
    `update amazon_account
       set settings = ((case when jsonb_typeof(settings) = 'object' then settings else '{}'::jsonb end) || ?::jsonb)${patch.unset.map(() => " - ?::text").join("")}
     where id = ? and deleted_at is null
     returning settings`,
    [JSON.stringify(patch.set), ...patch.unset, accountId]
  )
  const after = (rows[0]?.settings ?? {}) as Record<string, unknown>
  const parsed = AccountSettingsSchema.safeParse(after)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Invalid account settings: "${issue.path.join(".") || "(root)"}": ${issue.message}`
    )
  }
  return { before, after }
}

/** Accounts (or the one given) with a secret still in the legacy v1 form, locked for rewriting. */
async function lockLegacySecretRows(manager: SqlManager, accountId?: string): Promise<StoredSecretsRow[]> {
  return manager.execute(
    `select id, lwa_client_secret_encrypted, refresh_token_encrypted from amazon_account
      where (lwa_client_secret_encrypted like 'v1:%' or refresh_token_encrypted like 'v1:%')
        ${accountId ? "and id = ?" : ""}
      for update`,
    accountId ? [accountId] : []
  )
}

/** Writes encrypted secret columns of one account (column names come from SECRET_COLUMNS only). */
async function writeSecretColumns(manager: SqlManager, accountId: string, values: Record<string, string>): Promise<void> {
  const columns = Object.keys(values)
  await manager.execute(
    `update amazon_account set ${columns.map((c) => `"${c}" = ?`).join(", ")} where id = ?`,
    [...columns.map((c) => values[c]), accountId]
  )
}

/** Overwrites both encrypted secrets, so nothing usable is left in the database or its backups. */
async function wipeSecretColumns(manager: SqlManager, accountId: string): Promise<void> {
  await manager.execute(
    `update amazon_account set lwa_client_secret_encrypted = '', refresh_token_encrypted = '' where id = ?`,
    [accountId]
  )
  // and the AWS key of its notifications (their subscriptions stay at Amazon: a disconnect changes nothing there)
  await manager.execute(
    `update amazon_notification_setup set aws_secret_access_key_encrypted = null, status = 'removed', updated_at = now() where account_id = ?`,
    [accountId]
  )
}

export const accountsRepository = {
  setFbaLocationId,
  mergeSettings: mergeAccountSettings,
  lockLegacySecretRows,
  writeSecretColumns,
  wipeSecretColumns,
}
