import { feedOutcome } from "../../../lib/amazon/feeds/feed-outcome"
import { describeReportIssues } from "../../../lib/amazon/parsers/parse-feed-processing-report"
import type { AdminAmazonListingPush, AmazonFeedStatus } from "../../../types/http"
import type { Sql } from "../../shared/medusa-tables"

/**
 * A listing's push history: the quantities sent with patchListingsItem (amazon_listing_patch) and in
 * JSON_LISTINGS_FEEDs (amazon_feed_message with its amazon_feed), newest first, in one list.
 *
 * One statement, a UNION ALL of both tables ordered by time with the page's limit/offset, and the total in
 * the same round trip: two separate reads merged in memory would need offset + limit rows of each table
 * for every page (and a count of each) to page correctly across both. Both sides are read by their
 * listing_id indexes (amazon_listing_patch (listing_id, sent_at), amazon_feed_message (listing_id)).
 *
 * A feed that never reached Amazon (status failed) is left out: nothing of it was pushed, and its changes
 * stayed queued for a later feed or patch, which the history shows. A feed's time is its submission (its
 * creation while it is still being sent). The left join on the count keeps one row (with a null page)
 * when the offset is past the end.
 */
const LISTING_PUSHES = `
  with history as (
    select 'patch' as channel, p.id, p.quantity, p.status::text as status, p.code, p.message,
           null::jsonb as issues, p.sent_at, p.sent_at as settled_at,
           null::text as feed_id, null::text as amazon_feed_id, null::text as feed_status, null::boolean as feed_stuck,
           null::int as feed_accepted_count, null::int as feed_error_count, null::text as feed_error,
           null::text as feed_processing_status
      from amazon_listing_patch p
     where p.listing_id = ? and p.deleted_at is null
    union all
    select 'feed', m.id, m.quantity, m.status::text, null, null,
           m.issues, coalesce(f.submitted_at, f.created_at), m.processed_at,
           f.id, f.amazon_feed_id, f.status::text, f.stuck,
           f.accepted_count, f.error_count, f.error,
           f.summary->>'processing_status'
      from amazon_feed_message m
      join amazon_feed f on f.id = m.feed_id and f.deleted_at is null and f.status <> 'failed'
     where m.listing_id = ? and m.deleted_at is null
  )
  select total.count, page.*
    from (select count(*)::int as count from history) as total
    left join lateral (
      select * from history order by sent_at desc, id desc limit ? offset ?
    ) as page on true`

interface HistoryRow {
  count: number
  channel: "patch" | "feed" | null
  id: string | null
  quantity: number
  status: string
  code: string | null
  message: string | null
  issues: { code?: string; message?: string; severity?: string }[] | null
  sent_at: Date | string
  settled_at: Date | string | null
  feed_id: string | null
  amazon_feed_id: string | null
  feed_status: AmazonFeedStatus | null
  feed_stuck: boolean | null
  feed_accepted_count: number | null
  feed_error_count: number | null
  feed_error: string | null
  /** Amazon's final status of a processed feed (DONE / FATAL / CANCELLED), where it was kept. */
  feed_processing_status: string | null
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString())

/** Amazon's issues as the feed results step words them (describeReportIssues); null when there are none. */
function issueText(issues: HistoryRow["issues"]): { code: string | null; message: string | null } {
  const { code, message } = describeReportIssues(issues ?? [])
  return { code, message: message || null }
}

/** Why a whole feed did not apply its quantities, as a code beside Amazon's own issue codes. */
function feedFailure(row: HistoryRow): { code: string; message: string } {
  const amazonStatus = row.feed_status === "processed" ? row.feed_processing_status : row.feed_status
  if (amazonStatus === "FATAL") return { code: "FEED_FATAL", message: row.feed_error ?? "Amazon ended the feed FATAL: none of its quantities were applied" }
  if (amazonStatus === "CANCELLED") return { code: "FEED_CANCELLED", message: row.feed_error ?? "The feed was cancelled: none of its quantities were applied" }
  return { code: "FEED_FAILED", message: row.feed_error ?? "Amazon did not apply this feed" }
}

/**
 * The merchant's verdict on one history row. A feed message still "pending" or "unconfirmed" in a feed
 * that failed as a whole (FATAL, cancelled: feedOutcome, as the feeds page words it) is rejected: nothing
 * of it was applied, whatever the feed's status column says ("processed" only means its result was read).
 */
export function listingPushOf(row: HistoryRow): AdminAmazonListingPush {
  const base = { channel: row.channel!, quantity: Number(row.quantity), sent_at: iso(row.sent_at)!, settled_at: iso(row.settled_at) }
  if (row.channel === "patch") {
    return { ...base, verdict: row.status === "accepted" ? "accepted" : "rejected", code: row.code, message: row.message }
  }
  const feed = { id: row.feed_id!, amazon_feed_id: row.amazon_feed_id, status: row.feed_status! }
  const issues = issueText(row.issues)
  if (row.status === "accepted" || row.status === "warning" || row.status === "error") {
    return { ...base, verdict: row.status === "error" ? "rejected" : row.status, code: issues.code, message: issues.message, feed }
  }
  const outcome = feedOutcome({
    status: row.feed_status!,
    stuck: row.feed_stuck,
    accepted_count: row.feed_accepted_count,
    error_count: row.feed_error_count,
    error: row.feed_error,
    summary: row.feed_processing_status ? { processing_status: row.feed_processing_status } : null,
  })
  if (outcome === "failed") {
    const failure = feedFailure(row)
    return { ...base, verdict: "rejected", code: issues.code ?? failure.code, message: issues.message ?? failure.message, feed }
  }
  if (row.status === "pending") {
    return { ...base, verdict: "pending", code: null, message: null, feed }
  }
  return {
    ...base,
    verdict: "unconfirmed",
    code: issues.code ?? "UNCONFIRMED",
    message: issues.message ?? row.feed_error ?? "Amazon's report does not confirm this quantity; it is sent again",
    feed,
  }
}

/** One page of a listing's push history, newest first, with the total over both channels. */
export async function listListingPushes(
  sql: Sql,
  listingId: string,
  page: { offset: number; limit: number }
): Promise<{ pushes: AdminAmazonListingPush[]; count: number }> {
  const { rows } = (await sql.raw(LISTING_PUSHES, [listingId, listingId, page.limit, page.offset])) as { rows: HistoryRow[] }
  return {
    pushes: rows.filter((r) => r.channel !== null).map(listingPushOf),
    count: rows[0]?.count ?? 0,
  }
}
