import { gunzipSync } from "node:zlib"
import type { SpApi } from "../api"
import { AmazonApiError, FeedSubmissionError, isAmazonApiError, SpApiErrorCode } from "../errors"

/**
 * A feed's round trips, each through the one SP-API client (http.ts): submitting one (createFeedDocument → upload
 * to the presigned URL → createFeed) and fetching a finished one's processing report (getFeedDocument →
 * download). Amazon's Feeds API 2021-06-30, FACTS.md §5. No Medusa imports; what the caller records
 * between the round trips it does in `onUploaded`.
 *
 * Calls are counted the way every step counts them: the round trips of the calls that succeeded are added
 * to `tally.calls` as they complete (an upload counts 1), and a call that fails throws its AmazonApiError
 * unchanged, which carries its own `attempts` for the caller's catch to add.
 */

/** Counts the SP-API round trips made (a step's `out` object fits). */
export interface CallTally {
  calls: number
}

export interface SubmitFeedInput {
  feedType: string
  marketplaceIds: string[]
  /** createFeedDocument's contentType, also the upload's Content-Type (S3 answers 403 when they differ). */
  contentType: string
  /** The document, uploaded as is (Amazon does not take gzip uploads). */
  body: string
  feedOptions?: Record<string, string>
}

export interface SubmitFeedOptions {
  /** The longest createFeed may wait for its quota (the SP-API client's default otherwise): beyond it, RateLimitWaitExceeded. */
  createFeedMaxQueueWaitMs?: number
  /**
   * Called once the document is uploaded, before createFeed: a caller that records the submission's
   * progress (the feed document id) does it here, so a crash or a failed createFeed leaves a trace.
   * An error thrown here ends the submission (createFeed is not sent) and is passed on.
   */
  onUploaded?: (feedDocumentId: string) => Promise<void> | void
  tally?: CallTally
  /**
   * What to do when createFeed was sent but its answer was lost (timeout, broken connection, unreadable
   * 202): look the feed up with getFeeds before anyone resends it (the default), or `false` to throw the
   * createFeed error (kind "indeterminate") as is.
   */
  recovery?: FeedRecoveryOptions | false
}

export interface FeedRecoveryOptions {
  /**
   * Feed ids the caller already knows (its recorded submissions of this feed type): never taken for the
   * lost one. Pass the ids recorded in the last minutes for the same account, feed type and marketplace,
   * so a feed submitted just before does not make the look-up ambiguous.
   */
  knownFeedIds?: readonly string[] | ((feedId: string) => boolean | Promise<boolean>)
  /** Wait before the first getFeeds look-up, so Amazon lists a feed it has just created (default 5 000 ms); the n-th waits n times this. */
  settleMs?: number
  /** getFeeds look-ups before concluding that the feed was not created (default 2). */
  lookups?: number
  /**
   * Only when Amazon's answers carry no `Date` header: how far our clock may run ahead of Amazon's
   * (default 60 000 ms). With the header, the look-up is anchored to Amazon's clock.
   */
  clockSkewMs?: number
  /** The longest each getFeeds may wait for its quota (0.0222 per second, burst 10; default 120 000 ms). */
  maxQueueWaitMs?: number
}

export interface SubmittedFeedIds {
  feedId: string
  feedDocumentId: string
  /**
   * true when createFeed's answer was lost and the feed was found with getFeeds instead (absent
   * otherwise). Amazon's Feed does not name its input document, so the match is the feed type, the
   * marketplaces and a creation time after the send, among feeds the caller did not know.
   */
  recovered?: true
}

/** Pages of 100 feeds read per look-up; more feeds of one type in a few seconds means the look-up cannot decide. */
const MAX_LOOKUP_PAGES = 3

const DEFAULT_RECOVERY = { settleMs: 5_000, lookups: 2, clockSkewMs: 60_000, maxQueueWaitMs: 120_000 }

/**
 * Submits one feed. Error semantics are the SP-API client's, call by call:
 * - createFeedDocument is resent after an ambiguous failure (a second document is only an unused upload slot);
 * - the upload is a PUT of the same bytes to the same URL, resent likewise;
 * - createFeed is not idempotent: a timeout after sending is not resent. 429 and 5xx are retried (capped),
 *   spending the feed type's own quota token once per submission, not per attempt.
 * When createFeed was sent and its answer was lost (timeout, broken connection, a 202 whose body cannot
 * be read), a resend might submit the same feed twice and spend two of JSON_LISTINGS_FEED's 5 slots per
 * 5 minutes. So submitFeed finds out first (see {@link findCreatedFeed}): it returns the feed it found with
 * `recovered: true`, or throws a {@link FeedSubmissionError}: `FeedNotCreated` (kind retryable: safe to
 * resubmit), `FeedCreationAmbiguous` or `FeedCreationUnknown` (kind indeterminate: it may exist).
 * Any other failure throws the AmazonApiError of the call that failed; nothing is undone (an uploaded
 * document that no feed uses expires at Amazon).
 *
 * @example
 * const { feedId, recovered } = await submitFeed(api, {
 *   feedType: "JSON_LISTINGS_FEED",
 *   marketplaceIds: [marketplaceId],
 *   contentType: "application/json; charset=UTF-8",
 *   body: feed.document,
 * }, { tally: out, recovery: { knownFeedIds: recentFeedIds } })
 */
export async function submitFeed(api: SpApi, input: SubmitFeedInput, options: SubmitFeedOptions = {}): Promise<SubmittedFeedIds> {
  const tally = options.tally ?? { calls: 0 }
  const doc = await api.createFeedDocument({ contentType: input.contentType })
  tally.calls += doc.attempts
  await api.client.uploadDocument(doc.data.url, input.contentType, input.body)
  tally.calls += 1
  const feedDocumentId = doc.data.feedDocumentId
  await options.onUploaded?.(feedDocumentId)

  let firstSentAt: number | undefined
  let lost: AmazonApiError
  try {
    const created = await api.createFeed(
      {
        feedType: input.feedType,
        marketplaceIds: input.marketplaceIds,
        inputFeedDocumentId: feedDocumentId,
        ...(input.feedOptions ? { feedOptions: input.feedOptions } : {}),
      },
      {
        maxQueueWaitMs: options.createFeedMaxQueueWaitMs,
        onSend: () => {
          firstSentAt ??= Date.now()
        },
      }
    )
    const feedId = (created.data as { feedId?: unknown } | undefined)?.feedId
    if (typeof feedId === "string" && feedId !== "") {
      tally.calls += created.attempts
      return { feedId, feedDocumentId }
    }
    // A 202 without a feed id: Amazon took the request, but which feed it made is unknown.
    lost = new AmazonApiError({
      code: SpApiErrorCode.MALFORMED_RESPONSE,
      message: "createFeed answered without a feedId",
      status: created.status,
      operation: "feeds-2021-06-30.createFeed",
      kind: "indeterminate",
      requestId: created.requestId,
      attempts: created.attempts,
    })
  } catch (e) {
    // Not sent (quota wait refused, token refused) or plainly answered (a 400, retries used up): as before.
    if (!isAmazonApiError(e) || e.kind !== "indeterminate" || firstSentAt === undefined) {
      throw e
    }
    lost = e
  }
  if (options.recovery === false || firstSentAt === undefined) {
    throw lost
  }

  const recovery = { ...DEFAULT_RECOVERY, ...options.recovery }
  // Amazon's time at the send, from our clock and the offset createFeedDocument's Date header showed
  // (a lower bound, see SpApiResponse.serverClockOffsetMs); without one, our clock less the allowed skew.
  const sentAtAmazon =
    doc.serverClockOffsetMs !== undefined ? firstSentAt + doc.serverClockOffsetMs : firstSentAt - recovery.clockSkewMs
  let found: FoundFeed
  const lookupTally = { calls: 0 }
  try {
    found = await findCreatedFeed(
      api,
      { feedType: input.feedType, marketplaceIds: input.marketplaceIds, sentAt: sentAtAmazon },
      { ...recovery, tally: lookupTally }
    )
  } catch (e) {
    tally.calls += lookupTally.calls
    throw new FeedSubmissionError({
      outcome: "unknown",
      message: `createFeed got no usable answer (${lost.code}) and the getFeeds look-up failed (${isAmazonApiError(e) ? e.code : "error"}): the feed may exist`,
      operation: "feeds-2021-06-30.createFeed",
      attempts: lost.attempts + (isAmazonApiError(e) ? e.attempts : 0),
      requestId: lost.requestId,
      feedDocumentId,
      candidateFeedIds: [],
      createdSince: createdSinceIso(sentAtAmazon),
      cause: e,
    })
  }
  tally.calls += lookupTally.calls
  if (found.outcome === "found") {
    tally.calls += lost.attempts
    return { feedId: found.feedId, feedDocumentId, recovered: true }
  }
  throw new FeedSubmissionError({
    outcome: found.outcome === "none" ? "not-created" : "ambiguous",
    message:
      found.outcome === "none"
        ? `createFeed got no usable answer (${lost.code}) and Amazon lists no such feed: it was not created, resubmitting is safe`
        : `createFeed got no usable answer (${lost.code}) and Amazon lists ${found.candidateFeedIds.length} feeds that could be it: do not resubmit blindly`,
    operation: "feeds-2021-06-30.createFeed",
    attempts: lost.attempts,
    requestId: lost.requestId,
    feedDocumentId,
    candidateFeedIds: found.outcome === "ambiguous" ? found.candidateFeedIds : [],
    createdSince: found.createdSince,
    cause: lost,
  })
}

export interface CreatedFeedCriteria {
  feedType: string
  marketplaceIds: string[]
  /** When createFeed was first sent, on Amazon's clock as far as known (epoch ms): the feed was created after it. */
  sentAt: number
}

export type FoundFeed =
  | { outcome: "found"; feedId: string; createdSince: string }
  | { outcome: "none"; createdSince: string }
  | { outcome: "ambiguous"; candidateFeedIds: string[]; createdSince: string }

/**
 * Looks for the feed a createFeed without an answer may have created: getFeeds(feedTypes=[type],
 * marketplaceIds, createdSince) after a settle time, keeping the feeds of exactly these marketplaces, created
 * at or after the send (Amazon's times count whole seconds, so from the second before), that the caller
 * does not know. Amazon's Feed does not name its input document, so this is as close as a match gets.
 * Exactly one candidate: "found"; none after every look-up: "none"; more (or more than a page): "ambiguous".
 * A failed getFeeds throws its AmazonApiError. Usable later too (a poll step settling an ambiguous case).
 */
export async function findCreatedFeed(
  api: SpApi,
  criteria: CreatedFeedCriteria,
  options: FeedRecoveryOptions & { tally?: CallTally } = {}
): Promise<FoundFeed> {
  const { settleMs, lookups, maxQueueWaitMs } = { ...DEFAULT_RECOVERY, ...options }
  const tally = options.tally ?? { calls: 0 }
  const createdSince = createdSinceIso(criteria.sentAt)
  const since = Date.parse(createdSince)
  const wanted = [...new Set(criteria.marketplaceIds)].sort().join(",")
  const known = options.knownFeedIds
  const isKnown = async (feedId: string) =>
    typeof known === "function" ? await known(feedId) : (known ?? []).includes(feedId)

  for (let lookup = 1; lookup <= Math.max(1, lookups); lookup++) {
    await api.client.sleep(settleMs * lookup)
    const candidates: string[] = []
    let nextToken: string | undefined
    let pages = 0
    do {
      // A next page is asked for with its token as the only parameter (Amazon refuses anything else).
      const res = await api.getFeeds(
        nextToken
          ? { nextToken }
          : { feedTypes: [criteria.feedType], marketplaceIds: criteria.marketplaceIds, createdSince, pageSize: 100 },
        { maxQueueWaitMs }
      )
      tally.calls += res.attempts
      pages++
      for (const feed of res.data?.feeds ?? []) {
        const marketplaces = feed.marketplaceIds ? [...new Set(feed.marketplaceIds)].sort().join(",") : wanted
        if (
          feed.feedType === criteria.feedType &&
          marketplaces === wanted &&
          Date.parse(feed.createdTime) >= since &&
          !(await isKnown(feed.feedId))
        ) {
          candidates.push(feed.feedId)
        }
      }
      nextToken = res.data?.nextToken || undefined
    } while (nextToken && candidates.length <= 1 && pages < MAX_LOOKUP_PAGES)
    // More than one candidate, or pages left unread: which feed is ours cannot be told.
    if (candidates.length > 1 || nextToken) {
      return { outcome: "ambiguous", candidateFeedIds: candidates, createdSince }
    }
    if (candidates.length === 1) {
      return { outcome: "found", feedId: candidates[0], createdSince }
    }
  }
  return { outcome: "none", createdSince }
}

/** The look-up's lower bound: the second before `sentAt` (Amazon's createdTime counts whole seconds). */
function createdSinceIso(sentAt: number): string {
  return new Date(Math.floor(sentAt / 1000) * 1000 - 1000).toISOString().replace(/\.\d{3}Z$/, "Z")
}

export interface FetchFeedResultOptions {
  /** The longest getFeedDocument may wait for its quota (0.0222 per second, burst 10); the SP-API client's default otherwise. */
  maxQueueWaitMs?: number
  /**
   * Gunzip when getFeedDocument says compressionAlgorithm GZIP. Leave it off for a parser that recognises
   * gzip by its magic bytes itself (the JSON report parser, which also caps the inflated size).
   */
  gunzip?: boolean
  tally?: CallTally
}

export interface FeedResultDocument {
  bytes: Buffer
  /** What getFeedDocument said. With `gunzip`, `bytes` are already inflated; without, they are as stored. */
  compressionAlgorithm?: "GZIP"
}

/**
 * Fetches a finished feed's processing report (getFeedDocument → download, and gunzip when asked). The
 * download asks for the bytes as stored (no Content-Encoding inflation), so they are never inflated twice.
 * A failed call throws its AmazonApiError; a gzip stream that cannot be inflated throws zlib's error.
 *
 * @example
 * const { bytes } = await fetchFeedResultDocument(api, resultFeedDocumentId, { gunzip: true, tally: out })
 */
export async function fetchFeedResultDocument(
  api: SpApi,
  resultFeedDocumentId: string,
  options: FetchFeedResultOptions = {}
): Promise<FeedResultDocument> {
  const tally = options.tally ?? { calls: 0 }
  const doc = await api.getFeedDocument(resultFeedDocumentId, { maxQueueWaitMs: options.maxQueueWaitMs })
  tally.calls += doc.attempts
  const raw = await api.client.downloadDocument(doc.data.url)
  tally.calls += 1
  const compressionAlgorithm = doc.data.compressionAlgorithm
  if (options.gunzip && compressionAlgorithm === "GZIP") {
    return { bytes: gunzipSync(raw), compressionAlgorithm }
  }
  return { bytes: raw, compressionAlgorithm }
}
