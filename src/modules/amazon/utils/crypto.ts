import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto"

/**
 * AES-256-GCM for the secrets of an Amazon account (LWA client secret, refresh token).
 *
 * Stored form: `v1:<iv b64>:<auth tag b64>:<ciphertext b64>`. A fresh 96-bit IV per value; the field
 * name is bound in as additional authenticated data, so a ciphertext copied into another column
 * fails to decrypt instead of being used as the wrong secret.
 */
const VERSION = "v1"

export class SecretBox {
  private readonly key: Buffer

  constructor(key: Buffer) {
    if (key.length !== 32) {
      throw new Error("SecretBox needs a 32-byte key")
    }
    this.key = key
  }

  encrypt(plain: string, field: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv("aes-256-gcm", this.key, iv)
    cipher.setAAD(Buffer.from(field, "utf8"))
    const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()])
    return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), ct.toString("base64")].join(":")
  }

  decrypt(stored: string, field: string): string {
    const [version, iv, tag, ct] = stored.split(":")
    if (version !== VERSION || !iv || !tag || ct === undefined) {
      throw new Error(`Not an encrypted ${field} value`)
    }
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"))
    decipher.setAAD(Buffer.from(field, "utf8"))
    decipher.setAuthTag(Buffer.from(tag, "base64"))
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64")), decipher.final()]).toString("utf8")
  }
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
