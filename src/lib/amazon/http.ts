import { AmazonApiError, AmazonErrorKind, SpApiErrorCode, kindForStatus, upstreamText } from "./errors"
import { AmazonRegion, EndpointOverrides, resolveEndpoints, ResolvedEndpoints } from "./endpoints"
import { LwaCredentials, LwaTokenProvider } from "./lwa"
import {
  attributeRateHeader,
  bucketKey,
  defaultLimits,
  feedTypeBucketKey,
  JSON_LISTINGS_FEED_QUOTA,
  OperationName,
  OPERATIONS,
  parseRateLimitHeader,
} from "./rate-limits"
import { BucketLimits, BucketStore, MemoryBucketStore } from "./token-bucket"

/**
 * The one HTTP client of Amazon's SP-API. Every SP-API call, feed upload and document download goes through here:
 * LWA token (cached, single-flight, its exchange retried like any call), a token bucket per seller + operation
 * that stays behind Amazon's despite network jitter, capped retries with exponential backoff + jitter for
 * 429 / 5xx / network errors only, timeouts, and typed errors.
 *
 * It never logs; it reports what happens through `onEvent` with log-safe fields (no token, no secret).
 */

export interface RetryOptions {
  /** Total attempts including the first. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export type SpApiEvent =
  | { type: "request"; operation: string; attempt: number; status: number; durationMs: number; requestId?: string }
  | { type: "retry"; operation: string; attempt: number; delayMs: number; code: string; status?: number }
  | { type: "throttled"; operation: string; status: 429; requestId?: string }
  | { type: "wait"; operation: string; waitMs: number }
  | { type: "rate-adjusted"; operation: string; rate: number }
  /**
   * An x-amzn-RateLimit-Limit that was not taken as the operation's rate: another bucket's (`feed-type`, a
   * createFeed 429 from the JSON_LISTINGS_FEED quota), one that cannot be told apart (`other-quota`), or a
   * lower rate seen once on a throttled answer (`unconfirmed`, learned when a second answer repeats it).
   */
  | { type: "rate-not-learned"; operation: string; rate: number; reason: "feed-type" | "other-quota" | "unconfirmed" }
  | { type: "token-refresh"; reason: "expired" | "rejected" }


export interface SpApiClientConfig {
  /** Amazon's selling partner id: keys the buckets (Amazon's quotas are per seller + application). */
  sellerId: string
  region: AmazonRegion
  credentials: LwaCredentials
  endpoints?: EndpointOverrides
  /** Share one provider across clients so the token cache and single flight are shared too. */
  tokenProvider?: LwaTokenProvider
  /** Memory (default) or Redis, so several instances of a store share the quota. */
  bucketStore?: BucketStore
  /**
   * Rates Amazon announced (x-amzn-RateLimit-Limit), by bucket key. Share one map across the clients of
   * a process, like the bucket store: a client made for the next job run then starts from the rate
   * Amazon announced last, instead of the default, which would misread the shared bucket's schedule.
   */
  learnedRates?: Map<string, number>
  fetch?: typeof fetch
  retry?: Partial<RetryOptions>
  /** Per-attempt timeout. */
  timeoutMs?: number
  /** The longest a call may wait for its bucket before failing with RateLimitWaitExceeded. */
  maxQueueWaitMs?: number
  /**
   * Run the local bucket this much slower than Amazon's (1.03 = 3 %). Our clock and Amazon's never
   * agree to the millisecond and network delays vary, so a call sent exactly at its refill time can
   * arrive a hair early and earn a 429; a small slack removes those without wasting real quota.
   */
  rateSafetyFactor?: number
  /**
   * How much later one call may reach Amazon than another, relative to their sends (default 100 ms). A
   * proportional slack is too small at low rates (3 % of 500 ms is 15 ms; a first call on a fresh TLS
   * connection arrives 40+ ms later than a kept-alive one): Amazon restarts its refill at the first call's
   * arrival, and the call paced exactly one interval later earned 429s. The local bucket shifts its
   * refill-paced schedule by this much once per busy period (a burst still goes out at once, the sustained
   * rate is unchanged); see `gcraReserveGuarded` in token-bucket.ts. 0 turns the guard off.
   */
  arrivalJitterMs?: number
  userAgent?: string
  onEvent?: (event: SpApiEvent) => void
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

export interface SpApiRequest {
  pathParams?: Record<string, string>
  query?: Record<string, string | number | boolean | readonly (string | number)[] | undefined | null>
  body?: unknown
  /**
   * Whether resending after an ambiguous failure (timeout or reset after the request was sent) is safe.
   * Defaults to true for GET/PUT/PATCH/DELETE and false for POST.
   */
  idempotent?: boolean
  /** Extra bucket keys this call spends a token from (e.g. the JSON_LISTINGS_FEED quota). */
  extraBuckets?: { key: string; limits: BucketLimits }[]
  maxQueueWaitMs?: number
  /**
   * Called right before each attempt goes on the wire (after its quota wait and token exchange), with the
   * attempt number. A caller that must find out later whether a non-idempotent call took effect (createFeed
   * after a timeout) takes the time of the first send from here.
   */
  onSend?: (attempt: number) => void
}

export interface SpApiResponse<T> {
  status: number
  data: T
  requestId?: string
  rateLimit?: number
  attempts: number
  /**
   * Amazon's clock minus ours, from the response's `Date` header (ms; undefined without one). The header
   * counts whole seconds, truncated, and is stamped before the answer travels back, so `Date.now() + offset`
   * is never later than Amazon's time: a safe lower bound for filtering Amazon's records by creation time.
   */
  serverClockOffsetMs?: number
}

const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 }

/** Transport errors where the request certainly never reached the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export class SpApiClient {
  readonly sellerId: string
  readonly region: AmazonRegion
  readonly endpoints: ResolvedEndpoints
  private readonly credentials: LwaCredentials
  private readonly tokens: LwaTokenProvider
  private readonly buckets: BucketStore
  private readonly fetchImpl: typeof fetch
  private readonly retry: RetryOptions
  private readonly timeoutMs: number
  private readonly maxQueueWaitMs: number
  private readonly rateSafetyFactor: number
  private readonly arrivalJitterMs: number
  private readonly userAgent: string
  private readonly onEvent: (event: SpApiEvent) => void
  /** The client's sleep (injected in tests); callers pacing their own follow-up calls use it too. */
  readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number
  /** Rates Amazon announced through x-amzn-RateLimit-Limit, per bucket key. */
  private readonly learnedRates: Map<string, number>
  /** Lower rates a throttled answer announced once, waiting for a second sighting, per bucket key. */
  private readonly pendingRates = new Map<string, number>()

  constructor(config: SpApiClientConfig) {
    if (!config.sellerId) {
      throw new TypeError("SpApiClient needs a sellerId")
    }
    this.sellerId = config.sellerId
    this.region = config.region
    this.credentials = config.credentials
    this.endpoints = resolveEndpoints(config.region, config.endpoints)
    this.fetchImpl = config.fetch ?? fetch
    this.tokens = config.tokenProvider ?? new LwaTokenProvider({ fetch: this.fetchImpl })
    this.buckets = config.bucketStore ?? new MemoryBucketStore()
    this.learnedRates = config.learnedRates ?? new Map()
    this.retry = { ...DEFAULT_RETRY, ...config.retry }
    this.timeoutMs = config.timeoutMs ?? 30_000
    this.maxQueueWaitMs = config.maxQueueWaitMs ?? 15 * 60_000
    this.rateSafetyFactor = config.rateSafetyFactor ?? 1.03
    this.arrivalJitterMs = config.arrivalJitterMs ?? 100
    this.userAgent = config.userAgent ?? "medusa-amazon-stock-sync/0.1 (Language=TypeScript; Platform=Node.js)"
    this.onEvent = config.onEvent ?? (() => {})
    this.sleep = config.sleep ?? realSleep
    this.random = config.random ?? Math.random
  }

  /** The limits the local bucket applies to an operation now (defaults, or what Amazon announced). */
  limitsFor(operation: OperationName): BucketLimits {
    const limits = defaultLimits(operation)
    const learned = this.learnedRates.get(bucketKey(this.sellerId, operation))
    return { burst: limits.burst, rate: (learned ?? limits.rate) / this.rateSafetyFactor }
  }

  /** Tokens the local mirror of an operation's bucket holds now (for the admin's throttle display). */
  async availableTokens(operation: OperationName): Promise<number> {
    return this.buckets.peek(bucketKey(this.sellerId, operation), this.limitsFor(operation))
  }

  /** The JSON_LISTINGS_FEED quota bucket (5 per 5 minutes per region), for createFeed calls. */
  feedTypeBucket(feedType: string): { key: string; limits: BucketLimits } | undefined {
    return feedType === "JSON_LISTINGS_FEED"
      ? {
          key: feedTypeBucketKey(this.sellerId, this.region, feedType),
          limits: { ...JSON_LISTINGS_FEED_QUOTA, rate: JSON_LISTINGS_FEED_QUOTA.rate / this.rateSafetyFactor },
        }
      : undefined
  }

  async request<T>(operation: OperationName, req: SpApiRequest = {}): Promise<SpApiResponse<T>> {
    const op = OPERATIONS[operation]
    const url = this.buildUrl(op.path, req.pathParams, req.query)
    const idempotent = req.idempotent ?? op.method !== "POST"
    const key = bucketKey(this.sellerId, operation)
    let rejectedTokenRetried = false
    // Extra buckets (a feed type's quota: 5 JSON_LISTINGS_FEED per 5 minutes) count the one submission
    // this request is, not its attempts: a createFeed retried after a 5xx must not use up the feed quota.
    let extraTaken = false

    for (let attempt = 1; ; attempt++) {
      // The token first: a token exchange between taking a quota slot and sending would shift the
      // send behind the slot, and Amazon's bucket (which refills from the previous sends) would 429.
      await this.accessToken()
      await this.takeTokens(operation, key, req, !extraTaken)
      extraTaken = true
      // cached unless the quota wait outlived the token
      const accessToken = await this.accessToken()
      req.onSend?.(attempt)
      const started = Date.now()
      let res: Response
      let text: string
      try {
        res = await this.fetchImpl(url, {
          method: op.method,
          headers: {
            "x-amz-access-token": accessToken,
            "x-amz-date": new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, ""),
            "user-agent": this.userAgent,
            accept: "application/json",
            ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
          },
          body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
          // the access token must not travel to wherever a 3xx points: answered below as an error
          redirect: "manual",
          signal: AbortSignal.timeout(this.timeoutMs),
        })
        text = await res.text()
      } catch (e) {
        const error = this.transportError(operation, e, idempotent, attempt)
        await this.maybeRetry(error, attempt)
        continue
      }

      const requestId = res.headers.get("x-amzn-requestid") ?? undefined
      if (res.status >= 300 && res.status < 400) {
        throw new AmazonApiError({
          code: SpApiErrorCode.REDIRECT_REFUSED,
          message: `${operation}: the endpoint answered with a redirect (HTTP ${res.status}); it was not followed`,
          status: res.status,
          operation,
          kind: "fatal",
          requestId,
          attempts: attempt,
        })
      }
      const rateLimit = parseRateLimitHeader(res.headers.get("x-amzn-ratelimit-limit"))
      const serverClockOffsetMs = clockOffset(res.headers.get("date"))
      this.onEvent({ type: "request", operation, attempt, status: res.status, durationMs: Date.now() - started, requestId })
      // The bucket a 429 came from: the operation's, unless the header names another bucket the request spent.
      let throttledBucket: { key: string; limits: BucketLimits } | undefined
      if (rateLimit !== undefined) {
        const extraKey = await this.applyRateHeader(operation, key, rateLimit, res.ok, req.extraBuckets ?? [])
        throttledBucket = req.extraBuckets?.find((b) => b.key === extraKey)
      }

      if (res.status === 429) {
        this.onEvent({ type: "throttled", operation, status: 429, requestId })
        // Amazon's bucket is empty whatever our mirror believed (another app instance, a clock skew):
        // drain the mirror so the next attempt waits a full refill interval instead of hammering.
        if (throttledBucket) {
          // The feed type's quota said no, not createFeed's plan: drain that bucket, leave createFeed's
          // alone, and take the feed-type token again for the next attempt (a 429 spent none at Amazon).
          await this.buckets.drain(throttledBucket.key, throttledBucket.limits)
          extraTaken = false
        } else {
          await this.buckets.drain(key, this.limitsFor(operation))
        }
      }

      let data: unknown = undefined
      let malformed = false
      if (text.length > 0) {
        try {
          data = JSON.parse(text)
        } catch {
          malformed = true
        }
      }

      if (res.status === 403 && !rejectedTokenRetried && isTokenRejection(data)) {
        // An access token can be revoked or expire early; exchange a new one once, then give up.
        rejectedTokenRetried = true
        this.tokens.invalidate(this.endpoints.lwaTokenUrl, this.credentials, accessToken)
        this.onEvent({ type: "token-refresh", reason: "rejected" })
        attempt--
        continue
      }

      if (res.ok) {
        if (malformed) {
          const error = new AmazonApiError({
            code: SpApiErrorCode.MALFORMED_RESPONSE,
            message: `${operation} returned a body that is not JSON`,
            status: res.status,
            operation,
            kind: idempotent ? "retryable" : "indeterminate",
            requestId,
            attempts: attempt,
          })
          await this.maybeRetry(error, attempt)
          continue
        }
        return { status: res.status, data: data as T, requestId, rateLimit, attempts: attempt, serverClockOffsetMs }
      }

      const error = this.httpError(operation, res.status, data, requestId, attempt)
      await this.maybeRetry(error, attempt)
    }
  }

  /**
   * PUT a feed document to its presigned URL. The Content-Type must be the one given to
   * createFeedDocument, or S3 answers 403 (FACTS.md §5). No access token: the URL is the credential.
   */
  async uploadDocument(url: string, contentType: string, body: string): Promise<void> {
    const operation = "feeds.uploadDocument"
    for (let attempt = 1; ; attempt++) {
      let res: Response
      try {
        res = await this.fetchImpl(url, {
          method: "PUT",
          headers: { "content-type": contentType },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        })
        await res.arrayBuffer()
      } catch (e) {
        // A PUT of the same bytes to the same URL is idempotent.
        await this.maybeRetry(this.transportError(operation, e, true, attempt), attempt)
        continue
      }
      if (res.ok) {
        return
      }
      await this.maybeRetry(
        new AmazonApiError({
          code: res.status === 403 ? "UploadForbidden" : SpApiErrorCode.HTTP_ERROR,
          message: `Feed document upload failed with HTTP ${res.status}${
            res.status === 403 ? " (expired URL or Content-Type mismatch)" : ""
          }`,
          status: res.status,
          operation,
          kind: kindForStatus(res.status),
          attempts: attempt,
        }),
        attempt
      )
    }
  }

  /** GET a result/report document from its presigned URL; returns raw bytes (the caller gunzips). */
  async downloadDocument(url: string): Promise<Buffer> {
    const operation = "feeds.downloadDocument"
    for (let attempt = 1; ; attempt++) {
      let res: Response
      let bytes: ArrayBuffer
      try {
        // No Accept-Encoding: gzip documents must arrive as stored (compressionAlgorithm tells the caller),
        // never decompressed a second time by the HTTP layer (FACTS.md §11.5).
        res = await this.fetchImpl(url, { method: "GET", headers: { "accept-encoding": "identity" }, signal: AbortSignal.timeout(this.timeoutMs) })
        bytes = await res.arrayBuffer()
      } catch (e) {
        await this.maybeRetry(this.transportError(operation, e, true, attempt), attempt)
        continue
      }
      if (res.ok) {
        return Buffer.from(bytes)
      }
      await this.maybeRetry(
        new AmazonApiError({
          code: SpApiErrorCode.HTTP_ERROR,
          message: `Document download failed with HTTP ${res.status}`,
          status: res.status,
          operation,
          kind: kindForStatus(res.status),
          attempts: attempt,
        }),
        attempt
      )
    }
  }

  private buildUrl(
    pathTemplate: string,
    pathParams: Record<string, string> = {},
    query: SpApiRequest["query"] = {}
  ): string {
    const path = pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = pathParams[name]
      if (value === undefined || value === "") {
        throw new TypeError(`Missing path parameter "${name}" for ${pathTemplate}`)
      }
      return encodeURIComponent(value)
    })
    const parts: string[] = []
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) {
        continue
      }
      // SP-API array parameters are comma-separated (collectionFormat csv); every value is URL-encoded
      // (an unencoded nextToken is a classic 400, FACTS.md §11.6).
      const value = Array.isArray(v) ? v.join(",") : String(v)
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(value)}`)
    }
    return `${this.endpoints.spApiBaseUrl}${path}${parts.length ? `?${parts.join("&")}` : ""}`
  }

  private async takeTokens(operation: OperationName, key: string, req: SpApiRequest, withExtra: boolean): Promise<void> {
    const maxWait = req.maxQueueWaitMs ?? this.maxQueueWaitMs
    const buckets = [{ key, limits: this.limitsFor(operation) }, ...(withExtra ? req.extraBuckets ?? [] : [])]
    for (const bucket of buckets) {
      const limits = { ...bucket.limits, arrivalJitterMs: bucket.limits.arrivalJitterMs ?? this.arrivalJitterMs }
      const { granted, waitMs } = await this.buckets.reserve(bucket.key, limits, maxWait)
      if (!granted) {
        throw new AmazonApiError({
          code: SpApiErrorCode.RATE_LIMIT_WAIT_EXCEEDED,
          message: `${operation} would wait ${Math.ceil(waitMs / 1000)} s for its quota (limit ${Math.ceil(maxWait / 1000)} s)`,
          operation,
          kind: "retryable",
        })
      }
      if (waitMs > 0) {
        this.onEvent({ type: "wait", operation, waitMs })
        await this.sleep(waitMs)
      }
    }
  }

  /**
   * Learns what an x-amzn-RateLimit-Limit header says, for the bucket it belongs to (attributeRateHeader in
   * rate-limits.ts), and rebases the operation's bucket when its rate changed. Returns the key of the extra
   * bucket the header belongs to, if it is one.
   */
  private async applyRateHeader(
    operation: OperationName,
    key: string,
    rate: number,
    ok: boolean,
    extraBuckets: readonly { key: string; limits: BucketLimits }[]
  ): Promise<string | undefined> {
    const documented = defaultLimits(operation).rate
    const attribution = attributeRateHeader(rate, {
      operation,
      documented,
      current: this.learnedRates.get(key) ?? documented,
      ok,
      // the bucket's own rate, without our safety slack, is what Amazon would print
      extraBuckets: extraBuckets.map((b) => ({ key: b.key, rate: b.limits.rate * this.rateSafetyFactor })),
      pending: this.pendingRates.get(key),
    })
    switch (attribution.to) {
      case "operation": {
        this.pendingRates.delete(key)
        const before = this.limitsFor(operation)
        this.learnedRates.set(key, attribution.rate)
        this.onEvent({ type: "rate-adjusted", operation, rate: attribution.rate })
        await this.buckets.rebase(key, before, this.limitsFor(operation))
        return undefined
      }
      case "extra-bucket":
        this.onEvent({ type: "rate-not-learned", operation, rate, reason: "feed-type" })
        return attribution.key
      case "pending":
        this.pendingRates.set(key, attribution.rate)
        this.onEvent({ type: "rate-not-learned", operation, rate, reason: "unconfirmed" })
        return undefined
      case "none":
        if (attribution.reason === "other-quota") {
          this.onEvent({ type: "rate-not-learned", operation, rate, reason: "other-quota" })
        } else if (ok) {
          // the applied rate was confirmed by a call that went through: a lower sighting is void
          this.pendingRates.delete(key)
        }
        return undefined
    }
  }

  /**
   * The LWA access token, its exchange retried like any call: a 5xx, 429 or network error of the token
   * endpoint is retried with the same capped backoff (it has no side effect), while a refusal of the
   * credentials (400 invalid_grant / invalid_client) is fatal at once.
   */
  private async accessToken(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tokens.getAccessToken(this.endpoints.lwaTokenUrl, this.credentials)
      } catch (e) {
        if (!(e instanceof AmazonApiError)) {
          throw e
        }
        await this.maybeRetry(e, attempt)
      }
    }
  }

  private transportError(operation: string, e: unknown, idempotent: boolean, attempt: number): AmazonApiError {
    if (e instanceof AmazonApiError) {
      return e
    }
    const err = e as { name?: string; message?: string; cause?: { code?: string } }
    const timeout = err?.name === "TimeoutError" || err?.name === "AbortError"
    const notSent = NOT_SENT_CODES.has(err?.cause?.code ?? "")
    const kind: AmazonErrorKind = notSent || idempotent ? "retryable" : "indeterminate"
    return new AmazonApiError({
      code: timeout ? SpApiErrorCode.TIMEOUT : SpApiErrorCode.NETWORK,
      message: `${operation}: ${timeout ? `no response within ${this.timeoutMs} ms` : err?.cause?.code ?? err?.message ?? "network error"}`,
      operation,
      kind,
      attempts: attempt,
      cause: e,
    })
  }

  private httpError(operation: string, status: number, data: unknown, requestId: string | undefined, attempt: number) {
    const errors = extractErrors(data)
    const first = errors[0]
    return new AmazonApiError({
      code: first?.code ?? SpApiErrorCode.HTTP_ERROR,
      message: first?.message ?? `${operation} failed with HTTP ${status}`,
      details: first?.details,
      errors: errors.length ? errors : undefined,
      status,
      operation,
      kind: kindForStatus(status),
      requestId,
      attempts: attempt,
    })
  }

  /** Throws `error` unless it is retryable and attempts remain; otherwise sleeps the backoff. */
  private async maybeRetry(error: AmazonApiError, attempt: number): Promise<void> {
    if (error.kind !== "retryable" || attempt >= this.retry.maxAttempts) {
      throw new AmazonApiError({
        code: error.code,
        message: error.message,
        status: error.status,
        operation: error.operation,
        kind: error.kind,
        requestId: error.requestId,
        details: error.details,
        errors: error.errors,
        attempts: attempt,
        cause: (error as { cause?: unknown }).cause,
      })
    }
    // Full jitter (AWS architecture blog): uniform in [base·2^(n-1)/2, base·2^(n-1)], capped.
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1))
    const delayMs = Math.round(exp / 2 + (this.random() * exp) / 2)
    this.onEvent({ type: "retry", operation: error.operation, attempt, delayMs, code: error.code, status: error.status })
    await this.sleep(delayMs)
  }
}

/** Amazon's clock minus ours from an HTTP `Date` header (whole seconds), or undefined. */
function clockOffset(date: string | null): number | undefined {
  if (!date) {
    return undefined
  }
  const at = Date.parse(date)
  return Number.isFinite(at) ? at - Date.now() : undefined
}

function extractErrors(data: unknown): { code: string; message: string; details?: string }[] {
  const list = (data as { errors?: unknown })?.errors
  if (!Array.isArray(list)) {
    return []
  }
  return list
    .filter((e): e is { code: string; message?: string; details?: string } => typeof e?.code === "string")
    // Amazon's error entries are short; anything else from an upstream is cut and cleaned before it can
    // reach the admin or a log line (upstreamText), and the raw body is never passed on.
    .map((e) => ({
      code: upstreamText(e.code, 80),
      message: upstreamText(e.message ?? e.code),
      details: e.details ? upstreamText(e.details) : undefined,
    }))
}

function isTokenRejection(data: unknown): boolean {
  const errors = extractErrors(data)
  return errors.some(
    (e) => e.code === "Unauthorized" && /token|expired|denied/i.test(`${e.message} ${e.details ?? ""}`)
  )
}
