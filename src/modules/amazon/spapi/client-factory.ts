import type { Logger } from "@medusajs/framework/types"
import Redis from "ioredis"
import { SpApi } from "../../../lib/amazon/api"
import { AmazonRegion } from "../../../lib/amazon/endpoints"
import { SpApiEvent, SpApiClient } from "../../../lib/amazon/http"
import { LwaCredentials, LwaTokenProvider } from "../../../lib/amazon/lwa"
import { BucketStore, MemoryBucketStore, RedisBucketStore } from "../../../lib/amazon/token-bucket"
import type { PluginOptions } from "../../../types/plugin-options"
import { AccountEndpointFields, resolveAccountEndpoints } from "./endpoint-policy"

export type SpApiAccount = AccountEndpointFields & { id: string; seller_id: string; updated_at: Date | string }

/**
 * Makes and caches the typed SP-API client of each account, built once per account version (its
 * updated_at: a change of credentials, region or endpoints makes a new client). Every client it makes
 * shares one LWA token provider, one bucket store (Redis when configured, so several instances share the
 * quota) and the rates Amazon announced, so every Amazon call of the plugin draws on the same token
 * cache and quota buckets.
 */
export class SpApiClientFactory {
  private readonly tokens_ = new LwaTokenProvider()
  private readonly clients_ = new Map<string, { version: string; api: SpApi }>()
  /** Rates Amazon announced, shared by every client this factory makes (see SpApiClientConfig.learnedRates). */
  private readonly learnedRates_ = new Map<string, number>()
  private bucketStore_?: BucketStore
  private redis_?: Redis

  constructor(
    private readonly options_: PluginOptions,
    private readonly logger_: Logger
  ) {}

  /**
   * The account's client. `credentials` is asked for only when a client is built (a new account version),
   * after the endpoints passed the store's policy: no secret is decrypted for a refused account.
   */
  async clientFor(account: SpApiAccount, credentials: () => Promise<LwaCredentials>, scope?: string): Promise<SpApi> {
    const version = new Date(account.updated_at as unknown as string).toISOString()
    const cacheKey = scope ? `${account.id}\u0000${scope}` : account.id
    const cached = this.clients_.get(cacheKey)
    if (cached && cached.version === version) {
      return cached.api
    }
    const endpoints = resolveAccountEndpoints(account, this.options_)
    const client = new SpApiClient({
      sellerId: account.seller_id,
      region: account.region as AmazonRegion,
      // a grantless client (scope) holds the application's client id and secret only
      credentials: scope ? { ...(await credentials()), refreshToken: "", scope } : await credentials(),
      endpoints,
      tokenProvider: this.tokens_,
      bucketStore: this.getBucketStore(),
      learnedRates: this.learnedRates_,
      timeoutMs: this.options_.requestTimeoutMs,
      maxQueueWaitMs: this.options_.maxQueueWaitMs,
      retry: this.options_.maxAttempts ? { maxAttempts: this.options_.maxAttempts } : undefined,
      onEvent: (e) => this.logSpApiEvent(account.id, e),
    })
    const api = new SpApi(client)
    this.clients_.set(cacheKey, { version, api })
    return api
  }

  /** Drops an account's cached client (its credentials changed or were wiped). */
  forget(accountId: string): void {
    for (const key of [...this.clients_.keys()]) {
      if (key === accountId || key.startsWith(`${accountId}\u0000`)) {
        this.clients_.delete(key)
      }
    }
  }

  /** Drops the cached LWA access token of these credentials, so the next call exchanges the refresh token again. */
  invalidateAccessToken(lwaTokenUrl: string, credentials: LwaCredentials): void {
    this.tokens_.invalidate(lwaTokenUrl, credentials)
  }

  /** Closes the Redis connection, if one was opened. */
  async close(): Promise<void> {
    await this.redis_?.quit().catch(() => undefined)
  }

  private getBucketStore(): BucketStore {
    if (!this.bucketStore_) {
      const url = this.options_.redisUrl ?? process.env.AMAZON_REDIS_URL ?? process.env.REDIS_URL
      if (url) {
        // One connection for all accounts; buckets are keyed by seller + operation.
        this.redis_ = new Redis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false })
        this.watchRedis(this.redis_)
        this.bucketStore_ = new RedisBucketStore(this.redis_)
      } else {
        this.bucketStore_ = new MemoryBucketStore()
      }
    }
    return this.bucketStore_
  }

  /**
   * ioredis emits "error" on every failed reconnect; without a listener Node prints "Unhandled error event"
   * with a stack each time, flooding the log during an outage. One warning when the connection breaks (and
   * at most one a minute while it stays down), one line when it is back. Calls made meanwhile fail after
   * ioredis's retries and are retried by the jobs' next runs.
   */
  private watchRedis(redis: Redis): void {
    let down = false
    let lastWarnAt = 0
    redis.on("error", (e: Error) => {
      const now = Date.now()
      if (!down || now - lastWarnAt >= 60_000) {
        this.logger_.warn(`amazon: Redis for the shared Amazon quotas is unreachable (${e.message}); SP-API calls that need it fail until it is back, and the jobs retry them on their next runs`)
        lastWarnAt = now
      }
      down = true
    })
    redis.on("ready", () => {
      if (down) {
        this.logger_.info("amazon: Redis for the shared Amazon quotas is reachable again")
      }
      down = false
    })
  }

  private logSpApiEvent(accountId: string, e: SpApiEvent) {
    // Log-safe by construction: SpApiEvent carries no token, header or body.
    switch (e.type) {
      case "throttled":
        this.logger_.warn(`amazon: ${e.operation} throttled (429) account=${accountId} requestId=${e.requestId ?? "-"}`)
        break
      case "retry":
        this.logger_.info(
          `amazon: retrying ${e.operation} account=${accountId} attempt=${e.attempt} in ${e.delayMs}ms code=${e.code}`
        )
        break
      case "rate-adjusted":
        this.logger_.info(`amazon: ${e.operation} rate set to ${e.rate}/s by Amazon account=${accountId}`)
        break
      case "rate-not-learned":
        // a rate header that is not the operation's own (the feed type's quota, another bucket) or not yet confirmed
        this.logger_.debug(`amazon: ${e.operation} kept its rate (Amazon announced ${e.rate}/s: ${e.reason}) account=${accountId}`)
        break
      case "wait":
        if (e.waitMs >= 1000) {
          this.logger_.debug(`amazon: ${e.operation} waiting ${e.waitMs}ms for quota account=${accountId}`)
        }
        break
      default:
        break
    }
  }
}
