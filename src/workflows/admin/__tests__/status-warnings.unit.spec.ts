import { marketplaceProblems } from "../lib/marketplaces"
import { authorizationAgeDays, computeStatusWarnings, jobSilenceThresholdMs, throttleState } from "../lib/status-warnings"

const now = new Date("2026-06-01T12:00:00Z")
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000)
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000)

const none = { stuck_feeds: [], throttle_events: [], sku_errors: 0, orders_needing_attention: 0 }

describe("computeStatusWarnings", () => {
  it("warns a month before an authorisation expires and errors once it has (365 days)", () => {
    const accounts = [
      { id: "a1", name: "Fresh", enabled: true, authorized_at: daysAgo(100) },
      { id: "a2", name: "Soon", enabled: true, authorized_at: daysAgo(335) },
      { id: "a3", name: "Gone", enabled: true, authorized_at: daysAgo(365) },
      { id: "a4", name: "Unknown", enabled: true, authorized_at: null },
      { id: "a5", name: "Off", enabled: false, authorized_at: daysAgo(400) },
    ]
    const out = computeStatusWarnings({ now, accounts, ...none })
    expect(out.map((w) => [w.code, w.account_id, w.severity])).toEqual([
      ["AUTHORIZATION_EXPIRING", "a2", "warning"],
      ["AUTHORIZATION_EXPIRED", "a3", "error"],
      ["AUTHORIZATION_UNKNOWN", "a4", "warning"],
      ["ACCOUNT_DISABLED", "a5", "warning"],
    ])
    expect(out[0].message).toMatch(/335 days old and expires in 30 days/)
  })

  it("reports stuck feeds, sustained throttling per account, SKU errors and orders needing attention", () => {
    const out = computeStatusWarnings({
      now,
      accounts: [{ id: "a1", name: "DE", enabled: true, authorized_at: daysAgo(1) }],
      stuck_feeds: [{ id: "f1", account_id: "a1", amazon_feed_id: "5001", submitted_at: "2026-06-01T08:00:00Z" }],
      throttle_events: [
        ...Array.from({ length: 5 }, (_, i) => ({ at: minutesAgo(i * 5), account_id: "a1" })),
        // a burst an hour ago is not sustained throttling now
        ...Array.from({ length: 9 }, () => ({ at: minutesAgo(50), account_id: "a2" })),
      ],
      sku_errors: 2,
      orders_needing_attention: 1,
    })
    expect(out.map((w) => w.code)).toEqual(["FEED_STUCK", "SUSTAINED_THROTTLING", "SKU_ERRORS", "ORDERS_NEED_ATTENTION"])
    expect(out[0].message).toMatch(/Feed 5001 has not finished at Amazon since 2026-06-01T08:00:00.000Z/)
    expect(out[1]).toMatchObject({ account_id: "a1", message: expect.stringMatching(/Account "DE": Amazon throttled 5 calls in the last 30 minutes/) })
    expect(out[2].message).toBe('2 SKUs could not be updated on Amazon. See the listings with push status "error".')
    expect(out[3].message).toBe("1 Amazon order could not be imported and needs attention.")
  })

  it("says the scheduled jobs stopped when an enabled account's order import has been silent too long", () => {
    const accounts = [{ id: "a1", name: "DE", enabled: true, authorized_at: daysAgo(3) }]
    const at = (runs: { account_id: string; connected_at: Date; last_run_at: Date | null }[], silence = 15 * 60_000) =>
      computeStatusWarnings({ now, accounts, ...none, order_import_runs: runs, job_silence_ms: silence })
    expect(at([{ account_id: "a1", connected_at: daysAgo(3), last_run_at: minutesAgo(4) }])).toEqual([])
    // just connected, first run still to come
    expect(at([{ account_id: "a1", connected_at: minutesAgo(5), last_run_at: null }])).toEqual([])
    const silent = at([{ account_id: "a1", connected_at: daysAgo(3), last_run_at: minutesAgo(40) }])
    expect(silent).toEqual([expect.objectContaining({ code: "JOBS_NOT_RUNNING", severity: "error", account_id: "a1" })])
    expect(silent[0].message).toMatch(/has not run for 40 minutes.*Redis that lost its data/)
    expect(at([{ account_id: "a1", connected_at: daysAgo(1), last_run_at: null }]).map((w) => w.code)).toEqual(["JOBS_NOT_RUNNING"])
    // one entry for the store, whichever accounts are silent
    expect(at([
      { account_id: "a1", connected_at: daysAgo(3), last_run_at: minutesAgo(40) },
      { account_id: "a2", connected_at: daysAgo(3), last_run_at: minutesAgo(50) },
    ])).toHaveLength(1)
  })

  it("calls the jobs stopped after five of the order import's intervals, never before 15 minutes", () => {
    expect([
      jobSilenceThresholdMs(undefined),
      jobSilenceThresholdMs("*/2 * * * *"),
      jobSilenceThresholdMs("*/10 * * * * *"),
      jobSilenceThresholdMs("*/30 * * * *"),
      jobSilenceThresholdMs("0 * * * *"),
      jobSilenceThresholdMs("not a schedule"),
    ]).toEqual([15 * 60_000, 15 * 60_000, 15 * 60_000, 150 * 60_000, 5 * 3_600_000, 5 * 3_600_000])
  })

  it("has nothing to say about a healthy store", () => {
    expect(computeStatusWarnings({ now, accounts: [{ id: "a", name: "A", enabled: true, authorized_at: daysAgo(3) }], ...none })).toEqual([])
  })
})

describe("throttleState", () => {
  it.each([
    [[], "ok"],
    [[minutesAgo(1)], "throttled"],
    [[1, 2, 3, 4, 5].map(minutesAgo), "sustained"],
    [[31, 32, 33, 34, 35, 36].map(minutesAgo), "ok"],
  ])("%j → %s", (times, expected) => {
    expect(throttleState((times as Date[]).map((at) => ({ at })), now)).toBe(expected)
  })
})

describe("authorizationAgeDays", () => {
  it("counts whole days and accepts ISO strings", () => {
    expect(authorizationAgeDays(daysAgo(10), now)).toBe(10)
    expect(authorizationAgeDays(daysAgo(10).toISOString(), now)).toBe(10)
    expect(authorizationAgeDays(null, now)).toBeNull()
  })
})

describe("marketplaceProblems", () => {
  it("accepts marketplaces of the account's region and names the others", () => {
    expect(marketplaceProblems("EU", ["A1PA6795UKMFR9", "A13V1IB3VIYZZH"])).toEqual([])
    expect(marketplaceProblems("EU", ["ATVPDKIKX0DER", "XX"])).toEqual([
      "marketplace ATVPDKIKX0DER (Amazon.com) belongs to region NA, not EU",
      'unknown marketplace id "XX"',
    ])
    expect(marketplaceProblems("FE", [])).toEqual(["at least one marketplace id is required"])
  })
})
