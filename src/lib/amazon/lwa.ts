import { createHash } from "node:crypto"
import { AmazonApiError, SpApiErrorCode, upstreamText } from "./errors"

/**
 * Login with Amazon: exchanges a seller's refresh token for a 1-hour access token, caches it, refreshes
 * it before it expires, and merges concurrent refreshes into one request (single flight), so a burst of
 * calls after expiry costs one token exchange, not one per call.
 *
 * Errors are typed and sorted (retryable: 429, 5xx, network, timeout; fatal: the credentials refused); the
 * provider itself does not retry: SpApiClient does, with the same capped backoff as every other call.
 */

export interface LwaCredentials {
  clientId: string
  clientSecret: string
  refreshToken: string
  /**
   * A grantless token (FACTS.md §1): `client_credentials` for this scope instead of the seller's refresh token,
   * e.g. `sellingpartnerapi::notifications` for the Notifications API's destination calls. It belongs to the
   * application, not to a seller; `refreshToken` is then unused.
   */
  scope?: string
}

/** The scope of the Notifications API's grantless calls (createDestination, getDestinations, deleteDestination). */
export const NOTIFICATIONS_SCOPE = "sellingpartnerapi::notifications"

export interface LwaTokenProviderOptions {
  fetch?: typeof fetch
  now?: () => number
  /** Refresh this long before `expires_in` runs out, so a token never expires mid-request. */
  refreshSkewMs?: number
  timeoutMs?: number
}

interface CachedToken {
  accessToken: string
  expiresAt: number
}

export class LwaTokenProvider {
  private readonly cache = new Map<string, CachedToken>()
  private readonly inflight = new Map<string, Promise<CachedToken>>()
  private readonly fetchImpl: typeof fetch
  private readonly now: () => number
  private readonly refreshSkewMs: number
  private readonly timeoutMs: number
  /** Token exchanges performed (observability and tests). */
  exchanges = 0

  constructor(options: LwaTokenProviderOptions = {}) {
    this.fetchImpl = options.fetch ?? fetch
    this.now = options.now ?? Date.now
    this.refreshSkewMs = options.refreshSkewMs ?? 5 * 60_000
    this.timeoutMs = options.timeoutMs ?? 15_000
  }

  /** The cache key never holds a secret in clear: a hash of endpoint + client + refresh token. */
  private key(tokenUrl: string, c: LwaCredentials): string {
    const subject = c.scope ? `scope:${c.scope}` : c.refreshToken
    return createHash("sha256").update(`${tokenUrl}\n${c.clientId}\n${subject}`).digest("base64url")
  }

  async getAccessToken(tokenUrl: string, credentials: LwaCredentials): Promise<string> {
    const key = this.key(tokenUrl, credentials)
    const cached = this.cache.get(key)
    if (cached && cached.expiresAt - this.refreshSkewMs > this.now()) {
      return cached.accessToken
    }
    let pending = this.inflight.get(key)
    if (!pending) {
      pending = this.exchange(tokenUrl, credentials)
        .then((token) => {
          this.cache.set(key, token)
          return token
        })
        .finally(() => this.inflight.delete(key))
      this.inflight.set(key, pending)
    }
    return (await pending).accessToken
  }

  /** Forget a token Amazon rejected (403 "expired"), so the next call exchanges a new one. */
  invalidate(tokenUrl: string, credentials: LwaCredentials, accessToken?: string): void {
    const key = this.key(tokenUrl, credentials)
    const cached = this.cache.get(key)
    if (cached && (!accessToken || cached.accessToken === accessToken)) {
      this.cache.delete(key)
    }
  }

  private async exchange(tokenUrl: string, c: LwaCredentials): Promise<CachedToken> {
    this.exchanges++
    const body = new URLSearchParams(
      c.scope
        ? { grant_type: "client_credentials", scope: c.scope, client_id: c.clientId, client_secret: c.clientSecret }
        : { grant_type: "refresh_token", refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }
    )
    const started = this.now()
    let res: Response
    try {
      res = await this.fetchImpl(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8", accept: "application/json" },
        body: body.toString(),
        // never forward the secrets: a 3xx is answered below as an error, not followed
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (e) {
      const timeout = (e as Error)?.name === "TimeoutError"
      throw new AmazonApiError({
        code: timeout ? SpApiErrorCode.TIMEOUT : SpApiErrorCode.NETWORK,
        message: `LWA token request failed: ${timeout ? "timed out" : (e as Error)?.message ?? "network error"}`,
        operation: "lwa.token",
        // A token exchange has no side effect worth protecting: always safe to retry.
        kind: "retryable",
        cause: e,
      })
    }
    if (res.status >= 300 && res.status < 400) {
      await res.arrayBuffer().catch(() => undefined)
      throw new AmazonApiError({
        code: SpApiErrorCode.REDIRECT_REFUSED,
        message: `LWA token endpoint answered with a redirect (HTTP ${res.status}); it was not followed, so the credentials stayed here`,
        status: res.status,
        operation: "lwa.token",
        kind: "fatal",
      })
    }
    const text = await res.text()
    let json: Record<string, unknown> = {}
    try {
      json = text ? JSON.parse(text) : {}
    } catch {
      // handled below: a non-JSON body is a malformed answer whatever the status
    }
    if (!res.ok || typeof json.access_token !== "string") {
      // LWA errors look like {"error":"invalid_client","error_description":"..."}; they never echo secrets.
      const code = typeof json.error === "string" ? upstreamText(json.error, 80) : res.ok ? SpApiErrorCode.MALFORMED_RESPONSE : SpApiErrorCode.LWA_AUTH_FAILED
      throw new AmazonApiError({
        code,
        message: `LWA token exchange failed (${res.status}): ${
          typeof json.error_description === "string" ? upstreamText(json.error_description) : upstreamText(code, 80)
        }`,
        status: res.status,
        operation: "lwa.token",
        // 429 and 5xx are LWA's own trouble, and a 2xx without a token a broken answer: the exchange has no
        // side effect, so SpApiClient retries them with its capped backoff. A 4xx (invalid_grant,
        // invalid_client, …) is a refusal of the credentials: retrying cannot help.
        kind: res.status === 429 || res.status >= 500 || res.ok ? "retryable" : "fatal",
        requestId: res.headers.get("x-amzn-requestid") ?? undefined,
      })
    }
    const expiresIn = typeof json.expires_in === "number" ? json.expires_in : 3600
    return { accessToken: json.access_token, expiresAt: started + expiresIn * 1000 }
  }
}
