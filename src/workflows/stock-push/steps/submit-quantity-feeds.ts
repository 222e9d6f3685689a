import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import {
  BuiltListingsFeed,
  buildListingsFeeds,
  FeedBuildError,
  MAX_LISTINGS_FEED_MESSAGES,
  QuantityPatchOp,
} from "../../../lib/amazon/feeds/build-listings-feed"
import { isAmazonApiError } from "../../../lib/amazon/errors"
import { FEED_QUOTA, feedSubmissionsLeft } from "../../../lib/amazon/feeds/feed-quota"
import { submitFeed } from "../../../lib/amazon/feeds/submit-feed"
import type { ComputedCandidate, StockPushAccount } from "./compute-listing-quantities"
import { groupBy } from "../utils/stock-queries"
import { fromColumns } from "../utils/columns"
import type { Columns } from "../utils/columns"

export const submitQuantityFeedsStepId = "amazon-submit-quantity-feeds"

export const FEED_CONTENT_TYPE = "application/json; charset=UTF-8"
/** The longest this run waits for the SP-API client's createFeed bucket; beyond it the changes wait for the next run. */
const CREATE_FEED_MAX_WAIT_MS = 60_000

export interface SubmitQuantityFeedsStepInput {
  accounts: StockPushAccount[]
  /** The run's computed candidates (as columns), and which of them the plan sends by feed. */
  candidates: Columns<ComputedCandidate>
  feed_listing_ids: string[]
  /** Patches that failed for a passing reason, sent in the feed instead. */
  fallback: ComputedCandidate[]
  /** Messages per feed (default and maximum 25,000). */
  max_messages_per_feed?: number
}

export interface SubmittedFeed {
  id: string
  amazon_feed_id: string
  account_id: string
  marketplace_id: string
  message_count: number
}

export interface SubmitQuantityFeedsStepOutput {
  feeds: SubmittedFeed[]
  /** Listings not sent in this run (quota used up, or Amazon failed): their outbox rows stay. */
  deferred_listing_ids: string[]
  calls: number
}

function errorText(e: unknown): { code: string; message: string } {
  if (isAmazonApiError(e)) {
    return { code: e.code, message: e.message }
  }
  return { code: (e as { code?: string })?.code ?? "FEED_SUBMIT_FAILED", message: (e as Error)?.message ?? String(e) }
}

/**
 * Builds the feeds; a listing the builder refuses (an empty product type, a SKU that is not valid UTF-16)
 * is taken out and kept in error for the admin instead of failing everybody's push. Mutates `candidates`
 * so that they stay aligned with the built messages.
 */
async function buildOrDropInvalid(
  amazon: AmazonModuleService,
  accountId: string,
  sellerId: string,
  op: QuantityPatchOp,
  candidates: ComputedCandidate[],
  maxPerFeed: number
): Promise<BuiltListingsFeed[]> {
  for (;;) {
    try {
      return buildListingsFeeds({
        sellerId,
        op,
        items: candidates.map((c) => ({ sku: c.seller_sku, productType: c.product_type, quantity: c.quantity })),
        maxPerFeed,
      })
    } catch (e) {
      if (!(e instanceof FeedBuildError) || e.index === undefined) {
        throw e
      }
      const [bad] = candidates.splice(e.index, 1)
      await amazon.updateAmazonListings({ id: bad.listing_id, push_status: "error", last_error_code: e.code, last_error: e.message, next_retry_at: null })
      await amazon.recordSyncLog({
        account_id: accountId,
        stream: "stock_push",
        level: "error",
        code: e.code,
        message: `SKU ${bad.seller_sku} cannot be sent to Amazon: ${e.message}`,
        context: { sku: bad.seller_sku, listing_id: bad.listing_id },
      })
    }
  }
}

/**
 * Sends the bulk of the changes as JSON_LISTINGS_FEED documents: one feed per account and marketplace,
 * split at 25,000 messages, each recorded (feed row + message → SKU, quantity) BEFORE it is submitted, so
 * the results job can read its report after any crash. The quota (5 per 5 minutes) is checked against
 * our own feed rows, which survive restarts and are shared by every instance, before the SP-API client's bucket.
 * Grouping is linear (a 50,000-candidate run once spent minutes copying arrays here) and the message map
 * goes in as one JSON parameter per 20,000 messages (createFeedMessagesBulk), not one ORM entity per message;
 * the listings are then marked pending from those rows in one statement (markFeedListingsPending).
 *
 * No compensation: a submitted feed cannot be taken back (only cancelled while queued), and its absolute
 * quantities are exactly what the store holds. If a later step fails, the outbox rows stay and the next
 * run's feed supersedes this one.
 *
 * @example
 * const fed = submitQuantityFeedsStep({
 *   accounts: computed.accounts,
 *   candidates: computed.candidates,
 *   feed_listing_ids: plan.feed_listing_ids,
 *   fallback: patched.fallback,
 * })
 */
export const submitQuantityFeedsStep = createStep(
  submitQuantityFeedsStepId,
  async (input: SubmitQuantityFeedsStepInput, { container }) => {
    const out: SubmitQuantityFeedsStepOutput = { feeds: [], deferred_listing_ids: [], calls: 0 }
    const fed = new Set(input.feed_listing_ids)
    const all = fromColumns(input.candidates).filter((c) => fed.has(c.listing_id)).concat(input.fallback)
    if (!all.length) {
      return new StepResponse(out)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const maxPerFeed = Math.min(input.max_messages_per_feed ?? MAX_LISTINGS_FEED_MESSAGES, MAX_LISTINGS_FEED_MESSAGES)

    const byAccount = groupBy(all, (c) => c.account_id)
    for (const account of input.accounts) {
      const own = byAccount.get(account.id) ?? []
      if (!own.length) continue

      const since = new Date(Date.now() - FEED_QUOTA.windowMs)
      const [, recent] = await amazon.listAndCountAmazonFeeds(
        { account_id: account.id, submitted_at: { $gte: since } },
        { select: ["id"], take: 1 }
      )
      let quota = feedSubmissionsLeft(FEED_QUOTA, recent)

      const byMarketplace = groupBy(own, (c) => c.marketplace_id)
      let api: Awaited<ReturnType<AmazonModuleService["getSpApi"]>>
      try {
        api = await amazon.getSpApi(account.id)
      } catch (e) {
        const { code, message } = errorText(e)
        await amazon.recordSyncLog({
          account_id: account.id,
          stream: "stock_push",
          level: "error",
          code,
          message: `No SP-API client for this account (${message}); ${own.length} change(s) stay queued.`,
        })
        out.deferred_listing_ids.push(...own.map((c) => c.listing_id))
        continue
      }
      const op = account.settings.push?.op ?? "merge"

      for (const [marketplaceId, candidates] of byMarketplace) {
        const built = await buildOrDropInvalid(amazon, account.id, account.seller_id, op, candidates, maxPerFeed)
        let offset = 0
        for (const feed of built) {
          const members = candidates.slice(offset, offset + feed.messages.length)
          offset += feed.messages.length
          if (quota <= 0) {
            out.deferred_listing_ids.push(...members.map((c) => c.listing_id))
            await amazon.recordSyncLog({
              account_id: account.id,
              stream: "stock_push",
              level: "info",
              code: "FEED_QUOTA_WAIT",
              message: `JSON_LISTINGS_FEED quota (5 per 5 minutes) is used up; ${members.length} change(s) wait for the next run`,
              context: { marketplace_id: marketplaceId, count: members.length },
            })
            continue
          }

          // Recorded first: the message map is what makes Amazon's report readable later.
          const row = await amazon.createAmazonFeeds({
            account_id: account.id,
            marketplace_id: marketplaceId,
            purpose: members.every((c) => c.reason === "reconcile") ? "reconcile" : "push",
            status: "building",
            message_count: feed.messages.length,
          })
          await amazon.createFeedMessagesBulk(
            row.id,
            feed.messages.map((m, i) => ({ message_id: m.messageId, listing_id: members[i].listing_id, seller_sku: m.sku, quantity: m.quantity }))
          )

          try {
            const { feedId, recovered } = await submitFeed(
              api,
              { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [marketplaceId], contentType: FEED_CONTENT_TYPE, body: feed.document },
              {
                createFeedMaxQueueWaitMs: CREATE_FEED_MAX_WAIT_MS,
                // A createFeed whose answer was lost is looked up with getFeeds before anything is resent
                // (submit-feed.ts); feeds this account already recorded are never taken for it.
                recovery: {
                  knownFeedIds: async (feedId) =>
                    (await amazon.listAmazonFeeds({ account_id: account.id, amazon_feed_id: feedId }, { select: ["id"], take: 1 })).length > 0,
                },
                // Recorded before createFeed, so a run that dies there leaves a row the poll step closes.
                onUploaded: async (feedDocumentId) => {
                  await amazon.updateAmazonFeeds({ id: row.id, status: "uploaded", feed_document_id: feedDocumentId })
                },
                tally: out,
              }
            )
            quota--
            const submittedAt = new Date()
            await amazon.updateAmazonFeeds({
              id: row.id,
              status: "submitted",
              amazon_feed_id: feedId,
              submitted_at: submittedAt,
            })
            await amazon.markFeedListingsPending(row.id, submittedAt)
            if (recovered) {
              logger.info(`amazon stock push: createFeed's answer was lost; feed ${feedId} found with getFeeds, not resent`)
            }
            out.feeds.push({
              id: row.id,
              amazon_feed_id: feedId,
              account_id: account.id,
              marketplace_id: marketplaceId,
              message_count: feed.messages.length,
            })
          } catch (e) {
            if (isAmazonApiError(e)) {
              out.calls += e.attempts
            }
            const { code, message } = errorText(e)
            await amazon.updateAmazonFeeds({ id: row.id, status: "failed", error: `${code}: ${message}` })
            await amazon.recordSyncLog({
              account_id: account.id,
              stream: "stock_push",
              level: "error",
              code,
              message: `Could not submit a quantity feed of ${feed.messages.length} SKU(s): ${message}. The changes stay queued and go out in the next run.`,
              context: { feed_id: row.id, marketplace_id: marketplaceId, count: feed.messages.length },
            })
            out.deferred_listing_ids.push(...members.map((c) => c.listing_id))
            // Whatever failed (quota wait, throttling storm, outage) would most likely fail the next feed too.
            quota = 0
          }
        }
      }
    }
    return new StepResponse(out)
  }
)
