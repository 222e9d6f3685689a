/**
 * Typed errors of the SP-API client. Pure: no Medusa imports (the module maps these to MedusaError once,
 * in `modules/amazon/utils/to-medusa-error.ts`).
 *
 * Tests and callers branch on `code`, never on `message`.
 */

/** Codes the SP-API client itself produces, besides Amazon's own (`QuotaExceeded`, `InvalidInput`, `Unauthorized`, …). */
export const SpApiErrorCode = {
  /** The LWA token endpoint refused the credentials (`invalid_client`, `invalid_grant`, …). */
  LWA_AUTH_FAILED: "LwaAuthFailed",
  /** A socket error, DNS failure or connection reset before a response arrived. */
  NETWORK: "NetworkError",
  /** No response within the timeout. The request may or may not have reached Amazon. */
  TIMEOUT: "Timeout",
  /** The body could not be parsed as JSON although Amazon said it was JSON. */
  MALFORMED_RESPONSE: "MalformedResponse",
  /** The local rate limiter would have to wait longer than the caller allows. */
  RATE_LIMIT_WAIT_EXCEEDED: "RateLimitWaitExceeded",
  /** An HTTP error whose body carried no `errors[]` entry. */
  HTTP_ERROR: "HttpError",
  /**
   * The endpoint answered with a redirect. Requests that carry the LWA secret, the refresh token or an
   * access token never follow one: a redirect would forward them (with the body, for a 307) to another host.
   */
  REDIRECT_REFUSED: "RedirectRefused",
  /** The account's endpoint is not Amazon and not allowed by the store's configuration. */
  ENDPOINT_NOT_ALLOWED: "EndpointNotAllowed",
  /**
   * createFeed got no usable answer (timeout, broken connection or unreadable body after sending), and
   * getFeeds shows no such feed after the settle time: the feed was not created, resubmitting is safe.
   * Kind "retryable". Thrown by submitFeed as a {@link FeedSubmissionError}.
   */
  FEED_NOT_CREATED: "FeedNotCreated",
  /**
   * createFeed got no usable answer and getFeeds shows more than one feed that could be it: do not resubmit
   * blindly. Kind "indeterminate"; the candidates are on the {@link FeedSubmissionError}.
   */
  FEED_CREATION_AMBIGUOUS: "FeedCreationAmbiguous",
  /**
   * createFeed got no usable answer and the getFeeds look-up failed too: whether the feed exists is
   * unknown. Kind "indeterminate".
   */
  FEED_CREATION_UNKNOWN: "FeedCreationUnknown",
} as const


/**
 * Text taken from an upstream answer (an error message, LWA's error_description) as it may be shown to the
 * admin: control characters removed, at most `max` characters. The raw body is never passed on.
 */
export function upstreamText(value: unknown, max = 300): string {
  const text = String(value ?? "")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .trim()
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

export type AmazonErrorKind =
  /** Safe to retry: 429, 5xx, network errors before the request was sent. */
  | "retryable"
  /** The request may have been applied (timeout after send): re-read state instead of resending blindly. */
  | "indeterminate"
  /** Retrying cannot help: validation errors, 4xx, bad credentials. */
  | "fatal"

export interface AmazonApiErrorInit {
  code: string
  message: string
  status?: number
  operation: string
  kind: AmazonErrorKind
  requestId?: string
  details?: string
  attempts?: number
  /** Amazon's whole `errors[]` list when there was more than one entry. */
  errors?: { code: string; message: string; details?: string }[]
  cause?: unknown
}

export class AmazonApiError extends Error {
  readonly name = "AmazonApiError"
  /** Amazon's error code (`QuotaExceeded`, `InvalidInput`, …) or one of {@link SpApiErrorCode}. */
  readonly code: string
  /** HTTP status, when a response arrived. */
  readonly status?: number
  /** The operation key, e.g. `feeds-2021-06-30.createFeed`. */
  readonly operation: string
  readonly kind: AmazonErrorKind
  /** `x-amzn-RequestId` of the failed response, for Amazon support cases. */
  readonly requestId?: string
  readonly details?: string
  /** How many attempts were made before giving up. */
  readonly attempts: number
  readonly errors: { code: string; message: string; details?: string }[]

  constructor(init: AmazonApiErrorInit) {
    super(init.message)
    this.code = init.code
    this.status = init.status
    this.operation = init.operation
    this.kind = init.kind
    this.requestId = init.requestId
    this.details = init.details
    this.attempts = init.attempts ?? 1
    this.errors = init.errors ?? [{ code: init.code, message: init.message, details: init.details }]
    if (init.cause !== undefined) {
      ;(this as { cause?: unknown }).cause = init.cause
    }
  }

  get retryable(): boolean {
    return this.kind === "retryable"
  }

  /** A log-safe summary: never contains tokens or credentials. */
  toJSON() {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      operation: this.operation,
      kind: this.kind,
      retryable: this.retryable,
      requestId: this.requestId,
      attempts: this.attempts,
    }
  }
}

export function isAmazonApiError(e: unknown): e is AmazonApiError {
  return e instanceof AmazonApiError
}

/** Sorts an HTTP status into retryable / fatal, as Amazon's guidance and Stripe's client do. */
export function kindForStatus(status: number): AmazonErrorKind {
  if (status === 429 || status >= 500) {
    return "retryable"
  }
  return "fatal"
}

/** What submitFeed found out about a createFeed that got no usable answer. */
export type FeedSubmissionOutcome =
  /** No such feed at Amazon after the settle time: safe to resubmit. */
  | "not-created"
  /** More than one feed could be ours: a person (or a later look-up with more known ids) must decide. */
  | "ambiguous"
  /** The look-up itself failed: the feed may or may not exist. */
  | "unknown"

export interface FeedSubmissionErrorInit extends AmazonErrorInitBase {
  outcome: FeedSubmissionOutcome
  feedDocumentId: string
  /** Feeds that match (type, marketplaces, created since the send) and are not known to the caller. */
  candidateFeedIds: string[]
  /** The lower bound (ISO 8601, Amazon's clock) the look-up used: the feed, if created, was created after it. */
  createdSince: string
}

type AmazonErrorInitBase = Omit<AmazonApiErrorInit, "kind" | "code">

/**
 * A submission whose createFeed got no usable answer, after submitFeed looked the feed up with getFeeds.
 * Branch on `outcome` (or `code`): "not-created" (kind retryable) means resubmitting is safe; "ambiguous"
 * and "unknown" (kind indeterminate) mean the feed may exist, so resubmitting may send it twice.
 * `attempts` counts the round trips of the calls that failed (createFeed and a failed getFeeds).
 */
export class FeedSubmissionError extends AmazonApiError {
  readonly outcome: FeedSubmissionOutcome
  readonly feedDocumentId: string
  readonly candidateFeedIds: string[]
  readonly createdSince: string

  constructor(init: FeedSubmissionErrorInit) {
    super({
      ...init,
      code:
        init.outcome === "not-created"
          ? SpApiErrorCode.FEED_NOT_CREATED
          : init.outcome === "ambiguous"
            ? SpApiErrorCode.FEED_CREATION_AMBIGUOUS
            : SpApiErrorCode.FEED_CREATION_UNKNOWN,
      kind: init.outcome === "not-created" ? "retryable" : "indeterminate",
    })
    this.outcome = init.outcome
    this.feedDocumentId = init.feedDocumentId
    this.candidateFeedIds = init.candidateFeedIds
    this.createdSince = init.createdSince
  }

  toJSON() {
    return { ...super.toJSON(), outcome: this.outcome, feedDocumentId: this.feedDocumentId, candidateFeedIds: this.candidateFeedIds }
  }
}

