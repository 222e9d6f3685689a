import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto"

/**
 * AES-256-GCM for the secrets of an Amazon account (LWA client secret, refresh token).
 *
 * Stored form: `v2:<iv b64>:<auth tag b64>:<ciphertext b64>`. A fresh 96-bit IV per value; the column
 * name *and the row id* are bound in as additional authenticated data, so a ciphertext copied into
 * another column or onto another account fails to decrypt instead of being used as the wrong secret
 * (or as another seller's). `v1` values (column name only) are read once by the start-up migration
 * (AmazonModuleService.migrateLegacySecrets) and rewritten as v2; nothing else accepts them.
 */
const VERSION = "v2"
const LEGACY_VERSION = "v1"

export class SecretBox {
  private readonly key: Buffer

  constructor(key: Buffer) {
    if (key.length !== 32) {
      throw new Error("SecretBox needs a 32-byte key")
    }
    this.key = key
  }

  /** Encrypts `plain` for column `field` of row `rowId`. */
  encrypt(plain: string, field: string, rowId: string): string {
    if (!rowId) {
      throw new Error("SecretBox.encrypt needs the row id")
    }
    const iv = randomBytes(12)
    const cipher = createCipheriv("aes-256-gcm", this.key, iv)
    cipher.setAAD(aad(field, rowId))
    const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()])
    return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), ct.toString("base64")].join(":")
  }

  decrypt(stored: string, field: string, rowId: string): string {
    return this.open(stored, field, VERSION, aad(field, rowId))
  }

  /** Whether a stored value is in the legacy v1 form (bound to the column only). */
  static isLegacy(stored: string | null | undefined): boolean {
    return typeof stored === "string" && stored.startsWith(`${LEGACY_VERSION}:`)
  }

  /** Reads a legacy v1 value: for the one-time migration to v2 only. */
  decryptLegacy(stored: string, field: string): string {
    return this.open(stored, field, LEGACY_VERSION, Buffer.from(field, "utf8"))
  }

  private open(stored: string, field: string, expected: string, additional: Buffer): string {
    const [version, iv, tag, ct] = String(stored ?? "").split(":")
    if (version !== expected || !iv || !tag || ct === undefined) {
      throw new Error(`Not an encrypted ${field} value`)
    }
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"))
    decipher.setAAD(additional)
    decipher.setAuthTag(Buffer.from(tag, "base64"))
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64")), decipher.final()]).toString("utf8")
  }
}

/** The associated data of a v2 value: column and row, separated by a byte neither can contain. */
function aad(field: string, rowId: string): Buffer {
  return Buffer.from(`${field}\u0000${rowId}`, "utf8")
}

/**
 * Accepts a 32-byte key as 64 hex characters or as base64 (44 characters), which is what
 * `openssl rand -hex 32` / `openssl rand -base64 32` print. Anything else is refused: a short
 * passphrase stretched into a key would look configured while being weak.
 */
export function parseEncryptionKey(raw: string): Buffer | undefined {
  const value = raw.trim()
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    return Buffer.from(value, "hex")
  }
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(value)) {
    const buf = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64")
    if (buf.length === 32) {
      return buf
    }
  }
  return undefined
}

/** A short, non-reversible fingerprint of a secret for the admin ("set, ends …" is not shown). */
export function fingerprint(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 8)
}
