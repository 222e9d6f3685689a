/**
 * The dashboard's "to act on" list in a merchant's words: each open log entry belongs to a cause (stream +
 * code), causes are grouped per account, and each cause says what happened and what to do. Pure.
 */
import type { AdminAmazonSyncLogGroup } from "../../../types/http"

export interface SyncLogCause {
  /** What happened, in a merchant's words (no codes, no marketplace ids). */
  title: string
  /** What to do about it. */
  advice: string
  /** Where in the admin the merchant acts on it. */
  action?: "listings" | "orders" | "settings" | "feeds"
}

const SKU_REFUSED: SyncLogCause = {
  title: "Amazon refused a quantity",
  advice: "Open the listing's push history for Amazon's reason (often the listing itself is incomplete in Seller Central). The plugin retries passing problems by itself.",
  action: "listings",
}

const THROTTLED: SyncLogCause = {
  title: "Amazon slowed the plugin down (rate limits)",
  advice: "Nothing is lost: changes wait and go out when Amazon allows. If it keeps happening, push less often in the account settings.",
}

const CAUSES: Record<string, SyncLogCause> = {
  "stock_push:INVALID": SKU_REFUSED,
  "stock_push:QuotaExceeded": THROTTLED,
  "stock_push:RateLimitWaitExceeded": THROTTLED,
  "stock_push:FEED_QUOTA_WAIT": THROTTLED,
  "stock_push:PATCH_FAILED": {
    title: "Quick quantity updates failed and went out in a feed instead",
    advice: "Nothing to do unless it repeats: the same quantities were sent in the next feed.",
  },
  "stock_push:FEED_SUBMIT_FAILED": {
    title: "A quantity feed could not be sent to Amazon",
    advice: "The changes stay queued and are sent again by the next push. If it repeats, test the connection in Settings.",
    action: "settings",
  },
  "stock_push:INVALID_RULES": {
    title: "A quantity rule cannot be applied",
    advice: "Fix the rule in the account settings or on the listing.",
    action: "settings",
  },
  "stock_push:QUANTITY_NOT_APPLIED": {
    title: "Amazon accepted a quantity but does not show it",
    advice: "It was sent once more and still is not shown. Open the listing in Seller Central (Inventory → Manage All Inventory) for what Amazon reports on it; the next change is sent as usual.",
    action: "listings",
  },
  "drift_check:LISTINGS_MISSING_ON_AMAZON": {
    title: "Linked SKUs are not on Amazon, or not active there",
    advice: "Buyers cannot buy them. Fix the listing in Seller Central, or unlink the SKU in Amazon → Listings.",
    action: "listings",
  },
  "drift_check:DRIFT_CHECK_FAILED": {
    title: "The comparison with Amazon's listings report failed",
    advice: "Quantities are still pushed and confirmed one by one; the next daily comparison tries again. If it repeats, test the connection in Settings.",
    action: "settings",
  },
  "feed_results:FEED_MESSAGES_REJECTED": SKU_REFUSED,
  "feed_results:FEED_FATAL": {
    title: "Amazon failed a whole quantity feed",
    advice: "Its quantities were not applied; the plugin sends them again. If it repeats, open the feed for Amazon's reason.",
    action: "feeds",
  },
  "feed_results:FEED_CANCELLED": {
    title: "A quantity feed was cancelled at Amazon",
    advice: "Its quantities were not applied; the plugin sends them again.",
    action: "feeds",
  },
  "feed_results:FEED_STUCK": {
    title: "Amazon has not finished a quantity feed",
    advice: "Quantities in it are not confirmed and later feeds wait behind it. Amazon sometimes takes hours; nothing to do unless it lasts a day.",
    action: "feeds",
  },
  "feed_results:REPORT_UNREADABLE": {
    title: "Amazon's result for a feed could not be read",
    advice: "Its quantities are treated as unconfirmed and sent again.",
    action: "feeds",
  },
  "feed_results:REPORT_DOWNLOAD_FAILED": {
    title: "Amazon's result for a feed could not be downloaded yet",
    advice: "The plugin tries again on its next run.",
    action: "feeds",
  },
  "feed_results:FEED_POLL_FAILED": {
    title: "A feed's progress could not be checked",
    advice: "The plugin checks again on its next run; if it repeats, test the connection.",
  },
  "orders:UNKNOWN_SKU": {
    title: "Amazon orders for a SKU that is not linked to a product",
    advice: "Link the SKU to a variant (Map SKU…): the orders then import by themselves.",
    action: "orders",
  },
  "orders:MISSING_CURRENCY": {
    title: "Amazon orders in a currency the store does not have",
    advice: "Add the currency to the store (Settings → Store), then retry the orders.",
    action: "orders",
  },
  "orders:ORDER_BATCH_FAILED": {
    title: "A page of Amazon orders could not be imported",
    advice: "The plugin retries them on its next import; orders that keep failing appear under \"Orders needing attention\".",
    action: "orders",
  },
  "orders:BUYER_CANCELLATION_REQUESTED": {
    title: "A buyer asked to cancel an Amazon order",
    advice: "Cancel the order in Medusa if it has not shipped (the cancellation reaches Amazon), or ship it.",
    action: "orders",
  },
  "orders:INVALID_SETTINGS": {
    title: "The order import's settings are invalid",
    advice: "Fix the account's order settings.",
    action: "settings",
  },
  "order_actions:ORDER_ACTIONS_FAILED": {
    title: "Shipments or cancellations did not reach Amazon",
    advice: "Open the order: its Amazon panel shows the reason and a Retry.",
    action: "orders",
  },
  "order_actions:ORDER_ACTION_NOT_RECORDED": {
    title: "A shipment or cancellation in Medusa was not passed on to Amazon",
    advice: "Open the order's Amazon panel and send it again.",
    action: "orders",
  },
  "order_actions:FEED_STUCK": {
    title: "Amazon has not finished an order feed",
    advice: "Shipments in it are not confirmed yet; nothing to do unless it lasts a day.",
  },
  "fba_stock:FBA_SKU_UNMAPPED": {
    title: "FBA stock for a SKU that is not linked to a product",
    advice: "Link the SKU to a variant on the listings page.",
    action: "listings",
  },
  "fba_stock:FBA_SKU_GONE": {
    title: "An FBA SKU is no longer reported by Amazon",
    advice: "Its FBA stock was set to 0. Nothing to do if the listing was closed.",
  },
  "fba_stock:FBA_SYNC_FAILED": {
    title: "Amazon's FBA stock could not be read",
    advice: "The plugin tries again on its next run; if it repeats, test the connection.",
    action: "settings",
  },
  "connection:CONNECTION_FAILED": {
    title: "The plugin cannot sign in to Amazon",
    advice: "Check the credentials in Settings (a new refresh token after re-authorising the app) and test the connection.",
    action: "settings",
  },
  "connection:MARKETPLACE_NOT_PARTICIPATING": {
    title: "The seller account does not sell in a chosen marketplace",
    advice: "Remove that marketplace from the account, or enable it in Seller Central.",
    action: "settings",
  },
  "notifications:NOTIFICATIONS_QUEUE_ERROR": {
    title: "Amazon's notification queue cannot be read",
    advice: "Orders and stock still arrive by polling, only minutes later. Check the queue and its AWS key (Settings → Amazon → Amazon notifications), or turn notifications off.",
    action: "settings",
  },
  "notifications:NOTIFICATIONS_PARTIAL": {
    title: "Amazon refused some notification subscriptions",
    advice: "The others work and polling covers the rest. The account's notification section names the refused types and Amazon's reason; set notifications up again once it is fixed.",
    action: "settings",
  },
  "notifications:NOTIFICATION_NOT_APPLIED": {
    title: "A notification from Amazon could not be applied",
    advice: "Nothing to do unless it repeats: the next poll applies the same change.",
  },
  "mcf:MCF_REFUSED": {
    title: "Amazon refused a Multi-Channel Fulfillment order",
    advice: "The fulfillment was not created. Fulfil the order from another location, or fix what Amazon names (an FBA SKU not linked, not enough FBA stock) and fulfil it again.",
    action: "orders",
  },
  "mcf:MCF_UNFULFILLABLE": {
    title: "Amazon cannot ship a Multi-Channel Fulfillment order",
    advice: "Cancel that fulfillment on the order in Medusa and fulfil the order from another location.",
    action: "orders",
  },
  "mcf:MCF_INVALID": {
    title: "Amazon marked a Multi-Channel Fulfillment order invalid",
    advice: "Cancel that fulfillment on the order in Medusa and fulfil the order from another location.",
    action: "orders",
  },
  "mcf:MCF_PARTIAL": {
    title: "Amazon shipped a Multi-Channel Fulfillment order only in part",
    advice: "Fulfil the units Amazon did not ship from another location.",
    action: "orders",
  },
  "mcf:MCF_CANCELLED_BY_AMAZON": {
    title: "Amazon cancelled a Multi-Channel Fulfillment order",
    advice: "Cancel that fulfillment on the order in Medusa and fulfil the order from another location.",
    action: "orders",
  },
  "listings_import:IMPORT_FAILED": {
    title: "Listings could not be imported from Amazon",
    advice: "Try \"Import listings\" again; if it repeats, test the connection.",
    action: "settings",
  },
}

const STREAM_FALLBACK: Record<string, SyncLogCause> = {
  stock_push: { title: "Sending quantities to Amazon failed", advice: "Changes stay queued and go out with the next push; if it repeats, test the connection." },
  feed_results: { title: "Reading Amazon's feed results failed", advice: "The plugin tries again on its next run." },
  orders: { title: "Importing Amazon orders failed", advice: "The plugin tries again on its next import; if it repeats, test the connection." },
  orders_backfill: { title: "Importing older Amazon orders failed", advice: "Start the import of older orders again from the account." },
  order_actions: { title: "Passing shipments or cancellations to Amazon failed", advice: "Open the order's Amazon panel for the reason." },
  fba_stock: { title: "Reading FBA stock failed", advice: "The plugin tries again on its next run." },
  connection: { title: "Connection test failed", advice: "Check the credentials in Settings.", action: "settings" },
  listings_import: { title: "Importing listings failed", advice: "Import the listings again.", action: "settings" },
  admin_sync: { title: "A sync started from the admin failed", advice: "Start it again; if it repeats, test the connection." },
  mcf: { title: "Multi-Channel Fulfillment has a problem", advice: "See the MCF orders on the dashboard.", action: "orders" },
  notifications: { title: "Amazon notifications have a problem", advice: "Polling goes on; see the account's notification section.", action: "settings" },
}

/**
 * The cause an entry belongs to. Amazon's own codes for a refused SKU vary (its listing issue codes), so
 * an unknown code about one listing is a refused quantity; other unknown codes fall back to their
 * stream's general cause.
 */
export function syncLogCause(stream: string, code: string | null, context?: Record<string, unknown> | null): SyncLogCause {
  if (code && CAUSES[`${stream}:${code}`]) return CAUSES[`${stream}:${code}`]
  if (code === "QuotaExceeded" || code === "RateLimitWaitExceeded") return THROTTLED
  if ((stream === "stock_push" || stream === "feed_results") && typeof context?.listing_id === "string") return SKU_REFUSED
  return STREAM_FALLBACK[stream] ?? { title: "Something went wrong", advice: "See the latest message below." }
}

export interface GroupableSyncLog {
  id: string
  account_id: string | null
  stream: string
  level: "info" | "warn" | "error"
  code: string | null
  message: string
  context: Record<string, unknown> | null
  created_at: string
}

/** One row of "problems to act on": the HTTP shape (src/types/http/status.ts) is the single definition. */
export type SyncLogGroup = AdminAmazonSyncLogGroup

export function syncLogGroupKey(row: { account_id: string | null; stream: string; code: string | null }): string {
  return `${row.account_id ?? ""}|${row.stream}|${row.code ?? ""}`
}

export function parseSyncLogGroupKey(key: string): { account_id: string | null; stream: string; code: string | null } | null {
  const parts = key.split("|")
  if (parts.length !== 3 || !parts[1]) return null
  return { account_id: parts[0] || null, stream: parts[1], code: parts[2] || null }
}

function example(context: Record<string, unknown> | null): string | null {
  const v = context?.sku ?? context?.seller_sku ?? context?.amazon_order_id
  return typeof v === "string" && v ? v : null
}

/**
 * Groups open entries by account and cause, errors before warnings, then newest first. `rows` may come in
 * any order; each group counts every entry and keeps the newest message.
 */
export function groupSyncLogs(rows: GroupableSyncLog[]): SyncLogGroup[] {
  const groups = new Map<string, SyncLogGroup>()
  const sorted = [...rows].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))
  for (const row of sorted) {
    if (row.level === "info") continue
    const key = syncLogGroupKey(row)
    let g = groups.get(key)
    if (!g) {
      const cause = syncLogCause(row.stream, row.code, row.context)
      g = {
        key,
        account_id: row.account_id,
        stream: row.stream,
        code: row.code,
        level: row.level,
        title: cause.title,
        advice: cause.advice,
        action: cause.action ?? null,
        count: 0,
        first_at: row.created_at,
        last_at: row.created_at,
        latest_message: row.message,
        examples: [],
      }
      groups.set(key, g)
    }
    g.count++
    g.first_at = row.created_at
    if (row.level === "error") g.level = "error"
    const ex = example(row.context)
    if (ex && g.examples.length < 5 && !g.examples.includes(ex)) g.examples.push(ex)
  }
  return [...groups.values()].sort((a, b) =>
    a.level !== b.level ? (a.level === "error" ? -1 : 1) : a.last_at < b.last_at ? 1 : a.last_at > b.last_at ? -1 : 0
  )
}
