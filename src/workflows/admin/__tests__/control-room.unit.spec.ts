import { feedOutcome } from "../../../lib/amazon/feeds/feed-outcome"
import { sellerCentralOrderUrl } from "../../../lib/amazon/endpoints"
import { syncLogSubject } from "../../../modules/amazon/utils/sync-log-subject"
import { accountVerdict, VerdictInput } from "../lib/account-verdict"
import { groupSyncLogs, parseSyncLogGroupKey, syncLogCause, syncLogGroupKey } from "../lib/sync-log-causes"
import type { StatusWarning } from "../lib/status-warnings"

const now = new Date("2026-12-05T12:00:00Z")
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString()

const healthy: VerdictInput = {
  now,
  account: { id: "a1", name: "EU", enabled: true },
  warnings: [],
  sku_errors: 0,
  orders_needing_attention: 0,
  connection_failing: false,
  push_lag_seconds: 4,
  order_import_lag_seconds: 150,
  last_push_at: minutesAgo(1),
  last_import_at: minutesAgo(2),
  push_lag_limit_seconds: 300,
  order_lag_limit_seconds: 1800,
}
const warning = (code: StatusWarning["code"], extra: Partial<StatusWarning> = {}): StatusWarning => ({ code, severity: "error", message: code, ...extra })

describe("accountVerdict", () => {
  it("is healthy with recent runs and small lags, and says when they ran", () => {
    expect(accountVerdict(healthy)).toEqual({
      account_id: "a1",
      state: "healthy",
      code: "OK",
      reason: "Stock and orders are in sync (last push 60 s ago, last order import 2 min ago).",
      next_step: "Nothing to do.",
      action: null,
    })
  })

  it("puts stopped jobs first, whatever else is wrong, with the step that fixes it", () => {
    const v = accountVerdict({ ...healthy, sku_errors: 3, push_lag_seconds: 9999, warnings: [warning("JOBS_NOT_RUNNING", { account_id: "a1" })] })
    expect(v).toMatchObject({ state: "action_needed", code: "JOBS_NOT_RUNNING" })
    expect(v.next_step).toMatch(/Restart the Medusa worker/)
  })

  it("ignores other accounts' warnings and applies store-wide ones", () => {
    expect(accountVerdict({ ...healthy, warnings: [warning("AUTHORIZATION_EXPIRED", { account_id: "a2" })] }).state).toBe("healthy")
    expect(accountVerdict({ ...healthy, warnings: [warning("FEED_STUCK")] })).toMatchObject({ state: "delayed", code: "FEED_STUCK", action: "feeds" })
  })

  it("asks for action on refused SKUs and waiting orders, pointing where to act", () => {
    expect(accountVerdict({ ...healthy, sku_errors: 2 })).toMatchObject({ state: "action_needed", reason: "Amazon refused the quantity of 2 SKUs.", action: "listings" })
    expect(accountVerdict({ ...healthy, orders_needing_attention: 1 })).toMatchObject({
      state: "action_needed",
      reason: "1 Amazon order could not become a store order.",
      action: "orders",
    })
    expect(accountVerdict({ ...healthy, connection_failing: true })).toMatchObject({ state: "action_needed", code: "CONNECTION_FAILED", action: "settings" })
    expect(accountVerdict({ ...healthy, account: { ...healthy.account, enabled: false } })).toMatchObject({ state: "action_needed", code: "ACCOUNT_DISABLED" })
  })

  it("calls an expiring authorisation action only in its last two weeks", () => {
    const expiring = (days: number) => warning("AUTHORIZATION_EXPIRING", { account_id: "a1", severity: "warning", message: `… expires in ${days} days. …` })
    expect(accountVerdict({ ...healthy, warnings: [expiring(30)] }).state).toBe("healthy")
    expect(accountVerdict({ ...healthy, warnings: [expiring(10)] })).toMatchObject({ state: "action_needed", reason: "Amazon's authorisation of the app expires in 10 days." })
  })

  it("is delayed when a change or the order import waits past its limit", () => {
    expect(accountVerdict({ ...healthy, push_lag_seconds: 301 })).toMatchObject({ state: "delayed", code: "PUSH_LAG", reason: "A stock change has waited 5 min to reach Amazon." })
    expect(accountVerdict({ ...healthy, order_import_lag_seconds: 7200 })).toMatchObject({ state: "delayed", code: "ORDER_LAG", reason: "The order import is 2 h behind Amazon." })
    expect(accountVerdict({ ...healthy, order_import_lag_seconds: null }).state).toBe("healthy")
    expect(accountVerdict({ ...healthy, warnings: [warning("SUSTAINED_THROTTLING", { account_id: "a1", severity: "warning" })] })).toMatchObject({ state: "delayed" })
  })
})

describe("sync log causes", () => {
  const row = (over: Partial<Parameters<typeof groupSyncLogs>[0][number]>) => ({
    id: "l",
    account_id: "a1",
    stream: "stock_push",
    level: "error" as const,
    code: "90220",
    message: "Amazon rejected quantity 3 for SKU A",
    context: { sku: "A", listing_id: "amzlst_1" },
    created_at: minutesAgo(5),
    ...over,
  })

  it("speaks a merchant's words, whatever Amazon's own code for a refused SKU", () => {
    expect(syncLogCause("stock_push", "90220", { listing_id: "amzlst_1" }).title).toBe("Amazon refused a quantity")
    expect(syncLogCause("orders", "UNKNOWN_SKU").advice).toMatch(/Map SKU/)
    expect(syncLogCause("orders", "SOMETHING_NEW").title).toBe("Importing Amazon orders failed")
    expect(syncLogCause("listings_import", "QuotaExceeded").title).toMatch(/slowed/)
  })

  it("groups retries of one cause per account into one row, counts them and keeps the newest message", () => {
    const groups = groupSyncLogs([
      row({ id: "1", created_at: minutesAgo(30), context: { sku: "A", listing_id: "amzlst_1" } }),
      row({ id: "2", created_at: minutesAgo(10), message: "newest", context: { sku: "B", listing_id: "amzlst_2" } }),
      row({ id: "3", created_at: minutesAgo(20), context: { sku: "A", listing_id: "amzlst_1" } }),
      row({ id: "4", account_id: "a2", created_at: minutesAgo(40) }),
      row({ id: "5", stream: "orders", code: "UNKNOWN_SKU", level: "warn", context: { amazon_order_id: "305-1" } }),
      row({ id: "6", level: "info", code: "SYNC_DONE" }),
    ])
    expect(groups.map((g) => [g.key, g.count, g.level])).toEqual([
      ["a1|stock_push|90220", 3, "error"],
      ["a2|stock_push|90220", 1, "error"],
      ["a1|orders|UNKNOWN_SKU", 1, "warn"],
    ])
    expect(groups[0]).toMatchObject({ latest_message: "newest", examples: ["B", "A"], first_at: minutesAgo(30), last_at: minutesAgo(10), action: "listings" })
    expect(groups[2].examples).toEqual(["305-1"])
  })

  it("round-trips group keys, empty account and code included", () => {
    for (const k of [{ account_id: "a1", stream: "orders", code: "X" }, { account_id: null, stream: "stock_push", code: null }]) {
      expect(parseSyncLogGroupKey(syncLogGroupKey(k))).toEqual(k)
    }
    expect(parseSyncLogGroupKey("nonsense")).toBeNull()
  })

  it("records what an entry is about, by the first id its context names", () => {
    expect(syncLogSubject({ sku: "A", listing_id: "amzlst_1", feed_id: "amzfd_1" })).toBe("amzlst_1")
    expect(syncLogSubject({ amazon_order_id: "305", amazon_order_record_id: "amzord_1" })).toBe("amzord_1")
    expect(syncLogSubject({ feed_id: "amzfd_1" })).toBe("amzfd_1")
    expect(syncLogSubject({ sku: "A" })).toBeNull()
    expect(syncLogSubject(null)).toBeNull()
  })
})

describe("feedOutcome", () => {
  it("reads a FATAL or cancelled feed as failed even after its result was read", () => {
    expect(feedOutcome({ status: "processed", accepted_count: 0, error_count: 3, summary: { processing_status: "FATAL" } })).toBe("failed")
    expect(feedOutcome({ status: "processed", accepted_count: 0, error_count: 3, summary: { processing_status: "CANCELLED" } })).toBe("failed")
    // feeds processed before the status was kept: the error and no accepted SKU tell
    expect(feedOutcome({ status: "processed", accepted_count: 0, error_count: 3, error: "FATAL: bad document" })).toBe("failed")
    expect(feedOutcome({ status: "FATAL" })).toBe("failed")
  })

  it("tells applied, partly refused and refused apart, and the states on the way", () => {
    expect(feedOutcome({ status: "processed", accepted_count: 5, error_count: 0, summary: { processing_status: "DONE" } })).toBe("succeeded")
    expect(feedOutcome({ status: "processed", accepted_count: 4, error_count: 1 })).toBe("partly_rejected")
    expect(feedOutcome({ status: "processed", accepted_count: 0, error_count: 2 })).toBe("rejected")
    expect(["submitted", "IN_QUEUE", "DONE"].map((status) => feedOutcome({ status }))).toEqual(["sending", "at_amazon", "reading_results"])
    expect(feedOutcome({ status: "IN_PROGRESS", stuck: true })).toBe("stuck")
  })
})

describe("sellerCentralOrderUrl", () => {
  it("points at the marketplace's own Seller Central order page", () => {
    expect(sellerCentralOrderUrl("A1PA6795UKMFR9", "305-1234567-1234567")).toBe("https://sellercentral.amazon.de/orders-v3/order/305-1234567-1234567")
    expect(sellerCentralOrderUrl("ATVPDKIKX0DER", "111-1")).toBe("https://sellercentral.amazon.com/orders-v3/order/111-1")
    expect(sellerCentralOrderUrl("UNKNOWN", "1")).toBeNull()
  })
})
