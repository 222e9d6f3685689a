/**
 * Feeds API 2021-06-30.
 */
import type { components } from "../../src/lib/amazon/generated/feeds-2021-06-30"
import { toAmazonIso } from "../clock"
import type { SimContext, SpApiRoute } from "../context"
import { JSON_LISTINGS_FEED } from "../domain/listings-feed"
import { invalidInput, json, notFound, quotaExceeded } from "../http"
import { JSON_LISTINGS_FEED_QUOTA, formatRate } from "../quota"
import type { FeedProcessingStatus, FeedRecord, SellerAccount } from "../types"
import { pageOfDocuments, parseDocumentListQuery, requireSellerMarketplaces, validatedBody } from "./common"

type Feed = components["schemas"]["Feed"]
type CreateFeedSpecification = components["schemas"]["CreateFeedSpecification"]
type CreateFeedDocumentSpecification = components["schemas"]["CreateFeedDocumentSpecification"]

const PROCESSING_STATUSES: readonly FeedProcessingStatus[] = ["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]
const FEED_RETENTION_MS = 90 * 24 * 3_600_000

export function renderFeed(feed: FeedRecord): Feed {
  const out: Feed = {
    feedId: feed.feedId,
    feedType: feed.feedType,
    marketplaceIds: [...feed.marketplaceIds],
    createdTime: toAmazonIso(feed.createdAt),
    processingStatus: feed.status,
  }
  if (feed.startedAt !== undefined) out.processingStartTime = toAmazonIso(feed.startedAt)
  if (feed.endedAt !== undefined && feed.status !== "CANCELLED") out.processingEndTime = toAmazonIso(feed.endedAt)
  if (feed.resultFeedDocumentId) out.resultFeedDocumentId = feed.resultFeedDocumentId
  return out
}

function ownFeed(ctx: SimContext, seller: SellerAccount, feedId: string): FeedRecord {
  const feed = ctx.state.feeds.get(feedId)
  if (!feed || feed.sellerId !== seller.sellerId) throw notFound(`The feed ${feedId} was not found.`)
  return feed
}

export const feedsRoutes: SpApiRoute[] = [
  {
    method: "POST",
    path: "/feeds/2021-06-30/documents",
    operation: "feeds-2021-06-30.createFeedDocument",
    handler: (ctx, req) => {
      const spec = validatedBody<CreateFeedDocumentSpecification>(ctx, req)
      if (spec.contentType.trim() === "") throw invalidInput("contentType must not be empty.")
      const now = ctx.clock.now()
      const feedDocumentId = ctx.state.nextDocumentId(req.seller.region)
      ctx.state.documents.set(feedDocumentId, { feedDocumentId, sellerId: req.seller.sellerId, kind: "input", contentType: spec.contentType, createdAt: now })
      const url = ctx.origin() + ctx.signer.presignedPath({ method: "PUT", documentId: feedDocumentId, contentType: spec.contentType, signedAt: now })
      return json(201, { feedDocumentId, url })
    },
  },
  {
    method: "GET",
    path: "/feeds/2021-06-30/documents/{feedDocumentId}",
    operation: "feeds-2021-06-30.getFeedDocument",
    handler: (ctx, req) => {
      const doc = ctx.state.documents.get(req.params.feedDocumentId)
      if (!doc || doc.sellerId !== req.seller.sellerId) throw notFound(`The feed document ${req.params.feedDocumentId} was not found.`)
      const encodingHeader = req.query.bool("enableContentEncodingUrlHeader") === true && doc.compressionAlgorithm === "GZIP"
      const url =
        ctx.origin() +
        ctx.signer.presignedPath({ method: "GET", documentId: doc.feedDocumentId, signedAt: ctx.clock.now(), contentEncoding: encodingHeader ? "gzip" : undefined })
      return json(200, { feedDocumentId: doc.feedDocumentId, url, ...(doc.compressionAlgorithm ? { compressionAlgorithm: doc.compressionAlgorithm } : {}) })
    },
  },
  {
    method: "POST",
    path: "/feeds/2021-06-30/feeds",
    operation: "feeds-2021-06-30.createFeed",
    handler: (ctx, req) => {
      const spec = validatedBody<CreateFeedSpecification>(ctx, req)
      if (!/^[A-Z][A-Z0-9_]*$/.test(spec.feedType)) throw invalidInput(`Invalid feedType: ${spec.feedType}.`)
      requireSellerMarketplaces(req.seller, spec.marketplaceIds, "marketplaceIds")
      const doc = ctx.state.documents.get(spec.inputFeedDocumentId)
      if (!doc || doc.sellerId !== req.seller.sellerId || doc.kind !== "input") {
        throw invalidInput(`Invalid inputFeedDocumentId: ${spec.inputFeedDocumentId}.`)
      }
      if (spec.feedType === JSON_LISTINGS_FEED) {
        const key = `${req.seller.sellerId}|${req.seller.region}|${JSON_LISTINGS_FEED}`
        if (!ctx.quotas.tryWindow(key, JSON_LISTINGS_FEED_QUOTA)) {
          throw quotaExceeded(formatRate(Number((JSON_LISTINGS_FEED_QUOTA.limit / (JSON_LISTINGS_FEED_QUOTA.windowMs / 1000)).toFixed(4))))
        }
      }
      const feed: FeedRecord = {
        feedId: ctx.state.nextFeedId(),
        sellerId: req.seller.sellerId,
        feedType: spec.feedType,
        marketplaceIds: [...spec.marketplaceIds],
        inputFeedDocumentId: spec.inputFeedDocumentId,
        ...(spec.feedOptions ? { feedOptions: { ...spec.feedOptions } } : {}),
        createdAt: ctx.clock.now(),
        status: "IN_QUEUE",
      }
      ctx.feeds.submit(feed)
      return json(202, { feedId: feed.feedId })
    },
  },
  {
    method: "GET",
    path: "/feeds/2021-06-30/feeds",
    operation: "feeds-2021-06-30.getFeeds",
    handler: (ctx, req) => {
      const filter = parseDocumentListQuery(ctx, req.seller, req.query, { typesParam: "feedTypes", statuses: PROCESSING_STATUSES, retentionMs: FEED_RETENTION_MS })
      const { page, nextToken } = pageOfDocuments(ctx.state.feedsOf(req.seller.sellerId), filter, req.seller.sellerId, {
        type: (f) => f.feedType,
        id: (f) => f.feedId,
      })
      const body: components["schemas"]["GetFeedsResponse"] = { feeds: page.map(renderFeed), ...(nextToken ? { nextToken } : {}) }
      return json(200, body)
    },
  },
  {
    method: "GET",
    path: "/feeds/2021-06-30/feeds/{feedId}",
    operation: "feeds-2021-06-30.getFeed",
    handler: (ctx, req) => json(200, renderFeed(ownFeed(ctx, req.seller, req.params.feedId))),
  },
  {
    method: "DELETE",
    path: "/feeds/2021-06-30/feeds/{feedId}",
    operation: "feeds-2021-06-30.cancelFeed",
    handler: (ctx, req) => {
      const feed = ownFeed(ctx, req.seller, req.params.feedId)
      if (!ctx.feeds.cancel(feed)) {
        throw invalidInput(`The feed ${feed.feedId} is ${feed.status}; only feeds that are IN_QUEUE can be cancelled.`)
      }
      return { status: 200 }
    },
  },
]
