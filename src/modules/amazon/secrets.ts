import { MedusaError } from "@medusajs/framework/utils"
import type { PluginOptions } from "../../types/plugin-options"
import { accountsRepository, SqlManager } from "./repositories"
import { parseEncryptionKey, SecretBox } from "./utils/crypto"

/** Plain-text secret fields of the account input → their encrypted columns. */
export const SECRET_COLUMNS = {
  lwa_client_secret: "lwa_client_secret_encrypted",
  refresh_token: "refresh_token_encrypted",
} as const

export type AccountCredentials = { clientId: string; clientSecret: string; refreshToken: string }

type StoredAccount = {
  id: string
  lwa_client_id: string
  lwa_client_secret_encrypted?: string | null
  refresh_token_encrypted?: string | null
}

/**
 * The account secrets at rest: encrypted (AES-256-GCM, bound to column and row, see SecretBox) before
 * they reach the database, decrypted only in memory for the SP-API client. The key comes from the plugin
 * options or AMAZON_ENCRYPTION_KEY; a missing or weak key stops the store at boot.
 */
export class AccountSecrets {
  private readonly box_: SecretBox

  constructor(options: PluginOptions) {
    const rawKey = options.encryptionKey ?? process.env.AMAZON_ENCRYPTION_KEY
    if (!rawKey) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "Amazon plugin: the option \"encryptionKey\" (or the AMAZON_ENCRYPTION_KEY environment variable) is required " +
          "to encrypt Amazon credentials at rest. Generate one with `openssl rand -hex 32`."
      )
    }
    const key = parseEncryptionKey(rawKey)
    if (!key) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "Amazon plugin: \"encryptionKey\" must be 32 bytes given as 64 hex characters or base64 (`openssl rand -hex 32`)."
      )
    }
    this.box_ = new SecretBox(key)
  }

  /**
   * Replaces the plain-text secrets of an account input with their encrypted columns, bound to row `id`.
   * A new refresh token is a new authorisation: the 365-day clock (authorized_at) restarts.
   */
  seal<T extends { lwa_client_secret?: string; refresh_token?: string; authorized_at?: Date | null }>(
    input: T,
    id: string
  ): Omit<T, "lwa_client_secret" | "refresh_token"> & Record<string, unknown> {
    const { lwa_client_secret, refresh_token, ...rest } = input
    const row: Record<string, unknown> = { ...rest, id }
    if (lwa_client_secret !== undefined) {
      row[SECRET_COLUMNS.lwa_client_secret] = this.box_.encrypt(lwa_client_secret, "lwa_client_secret", id)
    }
    if (refresh_token !== undefined) {
      row[SECRET_COLUMNS.refresh_token] = this.box_.encrypt(refresh_token, "refresh_token", id)
      row.authorized_at = rest.authorized_at ?? new Date()
    }
    return row as Omit<T, "lwa_client_secret" | "refresh_token"> & Record<string, unknown>
  }

  /**
   * The decrypted credentials of a stored account, or null when a secret is still in the legacy v1 form
   * (rewrite it with reencryptLegacy first). NOT_ALLOWED when the secrets were never stored or were wiped.
   */
  open(account: StoredAccount): AccountCredentials | null {
    if (!account.lwa_client_secret_encrypted || !account.refresh_token_encrypted) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Amazon account ${account.id} has no stored credentials; enter them again`)
    }
    if (SecretBox.isLegacy(account.lwa_client_secret_encrypted) || SecretBox.isLegacy(account.refresh_token_encrypted)) {
      return null
    }
    return {
      clientId: account.lwa_client_id,
      clientSecret: this.box_.decrypt(account.lwa_client_secret_encrypted, "lwa_client_secret", account.id),
      refreshToken: this.box_.decrypt(account.refresh_token_encrypted, "refresh_token", account.id),
    }
  }

  /** The AWS secret access key of a notification set-up, encrypted and bound to its column and row `setupId`. */
  sealAwsSecret(secret: string, setupId: string): string {
    return this.box_.encrypt(secret, "aws_secret_access_key", setupId)
  }

  /** The decrypted AWS secret access key of a notification set-up; NOT_ALLOWED once it was wiped. */
  openAwsSecret(setup: { id: string; aws_secret_access_key_encrypted?: string | null }): string {
    if (!setup.aws_secret_access_key_encrypted) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `The notification set-up ${setup.id} has no stored AWS secret; set notifications up again`)
    }
    return this.box_.decrypt(setup.aws_secret_access_key_encrypted, "aws_secret_access_key", setup.id)
  }

  /**
   * Rewrites secrets stored in the legacy v1 form (bound to the column only) as v2 (bound to column and
   * row), so a ciphertext cannot be moved onto another account. Idempotent. Needs a transaction: the rows
   * are locked while they are rewritten. Returns how many accounts were rewritten.
   */
  async reencryptLegacy(manager: SqlManager, accountId?: string): Promise<number> {
    const rows = await accountsRepository.lockLegacySecretRows(manager, accountId)
    for (const row of rows) {
      const next: Record<string, string> = {}
      for (const [field, column] of Object.entries(SECRET_COLUMNS) as [keyof typeof SECRET_COLUMNS, typeof SECRET_COLUMNS[keyof typeof SECRET_COLUMNS]][]) {
        const stored = row[column]
        if (SecretBox.isLegacy(stored)) {
          next[column] = this.box_.encrypt(this.box_.decryptLegacy(stored, field), field, row.id)
        }
      }
      await accountsRepository.writeSecretColumns(manager, row.id, next)
    }
    return rows.length
  }
}
