import { gunzipSync } from "node:zlib"
import type { SpApi } from "../api"

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
}

export interface SubmittedFeedIds {
  feedId: string
  feedDocumentId: string
}

/**
 * Submits one feed. Error semantics are the SP-API client's, call by call:
 * - createFeedDocument is resent after an ambiguous failure (a second document is only an unused upload slot);
 * - the upload is a PUT of the same bytes to the same URL, resent likewise;
 * - createFeed is not idempotent: a timeout after sending is not resent and throws with kind
 *   "indeterminate" (Amazon may have created the feed). Whether resending later is harmless is the
 *   caller's call (absolute quantities and repeated order messages are). 429 and 5xx are retried (capped),
 *   spending the feed type's own quota token once per submission, not per attempt.
 * A failure at any step throws the AmazonApiError of the call that failed; nothing is undone (an
 * uploaded document that no feed uses expires at Amazon).
 *
 * @example
 * const { feedId } = await submitFeed(api, {
 *   feedType: "JSON_LISTINGS_FEED",
 *   marketplaceIds: [marketplaceId],
 *   contentType: "application/json; charset=UTF-8",
 *   body: feed.document,
 * }, { tally: out })
 */
export async function submitFeed(api: SpApi, input: SubmitFeedInput, options: SubmitFeedOptions = {}): Promise<SubmittedFeedIds> {
  const tally = options.tally ?? { calls: 0 }
  const doc = await api.createFeedDocument({ contentType: input.contentType })
  tally.calls += doc.attempts
  await api.client.uploadDocument(doc.data.url, input.contentType, input.body)
  tally.calls += 1
  const feedDocumentId = doc.data.feedDocumentId
  await options.onUploaded?.(feedDocumentId)
  const created = await api.createFeed(
    {
      feedType: input.feedType,
      marketplaceIds: input.marketplaceIds,
      inputFeedDocumentId: feedDocumentId,
      ...(input.feedOptions ? { feedOptions: input.feedOptions } : {}),
    },
    { maxQueueWaitMs: options.createFeedMaxQueueWaitMs }
  )
  tally.calls += created.attempts
  return { feedId: created.data.feedId, feedDocumentId }
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
