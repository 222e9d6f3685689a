import { SpApi } from "../api"
import { AmazonApiError } from "../errors"
import { SpApiClient, SpApiClientConfig, SpApiEvent } from "../http"
import { attributeRateHeader, RateHeaderContext } from "../rate-limits"
import { MemoryBucketStore } from "../token-bucket"

/**
 * The SP-API client's edges found by auditing its traffic against Amazon's usage plans: pacing that stays
 * behind Amazon's bucket despite network jitter, LWA token exchanges retried like any call, and
 * x-amzn-RateLimit-Limit headers learned for the bucket they belong to. No network: a scripted fetch on a
 * virtual clock.
 */

type Answer = Response | Error
const CREDS = { clientId: "amzn1.application-oa2-client.test", clientSecret: "s3cr3t", refreshToken: "Atzr|r" }
const lwaOk = () => Response.json({ access_token: "Atza|t", token_type: "bearer", expires_in: 3600 })
const quotaExceeded = (limit?: string) =>
  new Response(JSON.stringify({ errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource." }] }), {
    status: 429,
    headers: limit ? { "x-amzn-RateLimit-Limit": limit } : {},
  })

/** A client whose fetch, sleep and buckets run on one virtual clock. */
function harness(
  handlers: { lwa?: (n: number) => Answer; spApi: (url: URL, init: RequestInit, n: number) => Answer },
  config: Partial<SpApiClientConfig> = {}
) {
  const clock = { now: 1_000_000 }
  const events: SpApiEvent[] = []
  const slept: number[] = []
  const calls = { lwa: 0, spApi: 0 }
  const buckets = new MemoryBucketStore(() => clock.now)
  const fakeFetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input))
    if (url.pathname === "/auth/o2/token") {
      const answer = handlers.lwa ? handlers.lwa(++calls.lwa) : (++calls.lwa, lwaOk())
      if (answer instanceof Error) throw answer
      return answer
    }
    const answer = handlers.spApi(url, init, ++calls.spApi)
    if (answer instanceof Error) throw answer
    return answer
  }) as typeof fetch
  const client = new SpApiClient({
    sellerId: "A1SELLER",
    region: "EU",
    credentials: CREDS,
    endpoints: { spApiBaseUrl: "https://sp.test", lwaTokenUrl: "https://sp.test/auth/o2/token" },
    fetch: fakeFetch,
    bucketStore: buckets,
    onEvent: (e) => events.push(e),
    sleep: async (ms) => {
      slept.push(ms)
      clock.now += ms
    },
    random: () => 0.5,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    ...config,
  })
  return { client, api: new SpApi(client), clock, events, slept, calls, buckets }
}

describe("SpApiClient pacing against a server-side bucket with arrival jitter", () => {
  /**
   * Amazon's bucket for getInventorySummaries (2/s, burst 2): full until a call arrives, refilled from the
   * arrivals, 429 below one token. The first page of each pass travels on a new connection and arrives
   * 45 ms after its send; the others arrive 0-20 ms after theirs; each answer takes 30 ms more.
   */
  function inventoryPasses(arrivalJitterMs: number | undefined) {
    const amazon = { tokens: 2, last: undefined as number | undefined, throttled: 0 }
    let page = 0
    const h = harness({
      spApi: (_url, _init, n) => {
        page++
        const arrival = h.clock.now + (page === 1 ? 45 : (n * 7) % 21)
        if (amazon.last !== undefined) amazon.tokens = Math.min(2, amazon.tokens + ((arrival - amazon.last) * 2) / 1000)
        amazon.last = arrival
        h.clock.now = arrival + 30
        if (amazon.tokens < 1) {
          amazon.throttled++
          return quotaExceeded("2.0")
        }
        amazon.tokens -= 1
        return Response.json({ payload: { granularity: {}, inventorySummaries: [] } }, { headers: { "x-amzn-RateLimit-Limit": "2.0" } })
      },
    }, arrivalJitterMs === undefined ? {} : { arrivalJitterMs })
    return {
      h,
      amazon,
      async run(passes: number) {
        for (let pass = 0; pass < passes; pass++) {
          h.clock.now += 10_000
          page = 0
          // three pages, fetched one after the other as a paging loop does
          for (let p = 0; p < 3; p++) {
            await h.api.getInventorySummaries({ granularityType: "Marketplace", granularityId: "A1PA6795UKMFR9", marketplaceIds: ["A1PA6795UKMFR9"] })
          }
        }
      },
    }
  }

  it("51 calls in 17 passes earn no 429 (the audit saw 3 with the 3 % margin alone)", async () => {
    const guarded = inventoryPasses(undefined) // the default guard
    await guarded.run(17)
    expect(guarded.amazon.throttled).toBe(0)
    expect(guarded.h.events.filter((e) => e.type === "throttled")).toHaveLength(0)

    const unguarded = inventoryPasses(0)
    await unguarded.run(17)
    expect(unguarded.amazon.throttled).toBeGreaterThan(0)
  })

  it("keeps a high-rate operation at its rate: 60 patchListingsItem calls take burst + 55 intervals plus one guard", async () => {
    const h = harness({ spApi: () => Response.json({ sku: "S", status: "ACCEPTED", submissionId: "1", issues: [] }) })
    const started = h.clock.now
    for (let i = 0; i < 60; i++) {
      await h.api.patchListingsItem("S", { marketplaceIds: ["A1PA6795UKMFR9"] }, { productType: "PRODUCT", patches: [] })
    }
    const elapsed = h.clock.now - started
    // rate 5/s, burst 5: 55 calls paced at 200 ms · 1.03, and the 100 ms guard once
    expect(elapsed).toBeLessThanOrEqual(55 * 206 + 100 + 1)
    expect(elapsed).toBeGreaterThanOrEqual(55 * 206)
  })
})

describe("LWA token exchange retries", () => {
  const participations = () => Response.json({ payload: [] })

  it("retries a 5xx of the token endpoint with the client's capped backoff, then calls the SP-API", async () => {
    const h = harness({
      lwa: (n) => (n <= 2 ? Response.json({ error: "server_error", error_description: "unexpected condition" }, { status: 500 }) : lwaOk()),
      spApi: participations,
    })
    const res = await h.api.getMarketplaceParticipations()
    expect(res.status).toBe(200)
    expect(h.calls).toEqual({ lwa: 3, spApi: 1 })
    const retries = h.events.filter((e) => e.type === "retry") as Extract<SpApiEvent, { type: "retry" }>[]
    expect(retries.map((e) => [e.operation, e.code, e.status, e.delayMs])).toEqual([
      ["lwa.token", "server_error", 500, 75],
      ["lwa.token", "server_error", 500, 150],
    ])
  })

  it("retries a 429, a timeout and a refused connection of the token endpoint", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } })
    const timeout = Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" })
    const answers: Answer[] = [Response.json({ error: "rate_limited" }, { status: 429 }), timeout, refused, lwaOk()]
    const h = harness({ lwa: (n) => answers[n - 1], spApi: participations })
    await h.api.getMarketplaceParticipations()
    expect(h.calls.lwa).toBe(4)
    expect(h.events.filter((e) => e.type === "retry").map((e) => (e as { code: string }).code)).toEqual(["rate_limited", "Timeout", "NetworkError"])
  })

  it("gives up after the same cap as other calls, with a typed retryable error and no SP-API call", async () => {
    const h = harness({ lwa: () => Response.json({ error: "temporarily_unavailable" }, { status: 503 }), spApi: participations })
    const err = await h.api.getMarketplaceParticipations().catch((e) => e)
    expect(err).toBeInstanceOf(AmazonApiError)
    expect(err).toMatchObject({ code: "temporarily_unavailable", status: 503, operation: "lwa.token", kind: "retryable", attempts: 4 })
    expect(h.calls).toEqual({ lwa: 4, spApi: 0 })
    // capped: 75, 150, 300 (base 100 · 2^(n-1) with jitter 0.5 → 75 %)
    expect(h.slept).toEqual([75, 150, 300])
  })

  it.each(["invalid_grant", "invalid_client"])("a refusal of the credentials (400 %s) stays fatal: one exchange, no retry", async (code) => {
    const h = harness({ lwa: () => Response.json({ error: code, error_description: "refused" }, { status: 400 }), spApi: participations })
    const err = await h.api.getMarketplaceParticipations().catch((e) => e)
    expect(err).toMatchObject({ code, status: 400, kind: "fatal", attempts: 1 })
    expect(h.calls).toEqual({ lwa: 1, spApi: 0 })
    expect(h.events.filter((e) => e.type === "retry")).toHaveLength(0)
  })

  it("a 200 without an access token is retried too (the exchange has no side effect)", async () => {
    const h = harness({ lwa: (n) => (n === 1 ? Response.json({ token_type: "bearer" }) : lwaOk()), spApi: participations })
    await h.api.getMarketplaceParticipations()
    expect(h.calls.lwa).toBe(2)
  })
})

describe("x-amzn-RateLimit-Limit attribution", () => {
  const CREATE_FEED = "feeds-2021-06-30.createFeed" as const
  const FEED_BODY = { feedType: "JSON_LISTINGS_FEED", marketplaceIds: ["A1PA6795UKMFR9"], inputFeedDocumentId: "doc-1" }
  const createFeedDefault = { rate: 0.0083 / 1.03, burst: 15 }

  it("a createFeed 429 from the JSON_LISTINGS_FEED quota (0.0167) is that bucket's: createFeed keeps its plan", async () => {
    const h = harness(
      { spApi: (_u, _i, n) => (n === 1 ? quotaExceeded("0.0167") : Response.json({ feedId: "F1" }, { status: 202, headers: { "x-amzn-RateLimit-Limit": "0.0083" } })) },
      { maxQueueWaitMs: 120_000 }
    )
    const feedType = h.client.feedTypeBucket("JSON_LISTINGS_FEED")!
    const res = await h.api.createFeed(FEED_BODY)
    expect(res.data.feedId).toBe("F1")
    expect(h.client.limitsFor(CREATE_FEED)).toEqual(createFeedDefault)
    expect(h.events.some((e) => e.type === "rate-adjusted")).toBe(false)
    expect(h.events).toContainEqual({ type: "rate-not-learned", operation: CREATE_FEED, rate: 0.0167, reason: "feed-type" })
    // the feed type's bucket was drained and its token taken again for the retry (a 429 spends none at
    // Amazon): the second attempt waited for the feed quota's refill, about 60 s, not createFeed's 120 s
    const waits = h.events.filter((e) => e.type === "wait").map((e) => (e as { waitMs: number }).waitMs)
    expect(waits).toHaveLength(1)
    expect(waits[0]).toBeGreaterThanOrEqual(60_000)
    expect(waits[0]).toBeLessThan(80_000)
    // createFeed's own bucket was not drained: two attempts spent two of its 15 tokens
    expect(await h.buckets.peek("A1SELLER:" + CREATE_FEED, h.client.limitsFor(CREATE_FEED))).toBe(13)
    expect(await h.buckets.peek(feedType.key, feedType.limits)).toBe(0)
  })

  it("a feed-quota 429 whose refill outlasts the caller's wait ends in RateLimitWaitExceeded, createFeed's plan intact", async () => {
    const h = harness({ spApi: () => quotaExceeded("0.0167") }, { maxQueueWaitMs: 10_000 })
    const err = await h.api.createFeed(FEED_BODY).catch((e) => e)
    expect(err).toMatchObject({ code: "RateLimitWaitExceeded" })
    expect(h.calls.spApi).toBe(1)
    expect(h.client.limitsFor(CREATE_FEED)).toEqual(createFeedDefault)
  })

  it("a throttled createFeed never teaches createFeed a rate (any quota may have answered); a successful one does", async () => {
    const h = harness({
      spApi: (_u, _i, n) => (n === 1 ? quotaExceeded("0.0042") : Response.json({ feedId: "F" }, { status: 202, headers: { "x-amzn-RateLimit-Limit": "0.0166" } })),
    })
    await h.api.createFeed({ ...FEED_BODY, feedType: "POST_ORDER_FULFILLMENT_DATA" })
    expect(h.events).toContainEqual({ type: "rate-not-learned", operation: CREATE_FEED, rate: 0.0042, reason: "other-quota" })
    // the 202 announced a higher plan for createFeed itself (no feed-type bucket was spent)
    expect(h.client.limitsFor(CREATE_FEED).rate).toBeCloseTo(0.0166 / 1.03, 6)
  })

  it("a successful JSON_LISTINGS_FEED createFeed reporting the feed quota's rate does not move createFeed's plan", async () => {
    const h = harness({ spApi: () => Response.json({ feedId: "F" }, { status: 202, headers: { "x-amzn-RateLimit-Limit": "0.0167" } }) })
    await h.api.createFeed(FEED_BODY)
    expect(h.client.limitsFor(CREATE_FEED)).toEqual(createFeedDefault)
  })

  it("one 429 announcing a lower rate does not slow the operation down; a second one, or a success, does", async () => {
    const answers = [quotaExceeded("0.5"), Response.json({ payload: {} }), quotaExceeded("0.5"), quotaExceeded("0.5"), Response.json({ payload: {} })]
    const h = harness({ spApi: (_u, _i, n) => answers[n - 1] })
    const op = "fba-inventory-v1.getInventorySummaries" as const
    await h.api.getInventorySummaries({ granularityType: "Marketplace", granularityId: "A1PM5H3PKX3SP2", marketplaceIds: ["A1PM5H3PKX3SP2"] })
    expect(h.client.limitsFor(op).rate).toBeCloseTo(2 / 1.03, 9)
    expect(h.events).toContainEqual({ type: "rate-not-learned", operation: op, rate: 0.5, reason: "unconfirmed" })
    await h.api.getInventorySummaries({ granularityType: "Marketplace", granularityId: "A1PM5H3PKX3SP2", marketplaceIds: ["A1PM5H3PKX3SP2"] })
    expect(h.client.limitsFor(op).rate).toBeCloseTo(0.5 / 1.03, 9)
  })

  it("a 429 announcing a higher plan is learned at once", async () => {
    const h = harness({ spApi: (_u, _i, n) => (n === 1 ? quotaExceeded("4.0") : Response.json({ payload: {} })) })
    await h.api.getInventorySummaries({ granularityType: "Marketplace", granularityId: "A1PM5H3PKX3SP2", marketplaceIds: ["A1PM5H3PKX3SP2"] })
    expect(h.client.limitsFor("fba-inventory-v1.getInventorySummaries").rate).toBeCloseTo(4 / 1.03, 9)
  })

  describe("attributeRateHeader (table)", () => {
    const base: RateHeaderContext = { operation: "fba-inventory-v1.getInventorySummaries", documented: 2, current: 2, ok: true, extraBuckets: [] }
    const feed: RateHeaderContext = {
      operation: CREATE_FEED,
      documented: 0.0083,
      current: 0.0083,
      ok: false,
      extraBuckets: [{ key: "feedType", rate: 5 / 300 }],
    }
    it.each<[string, number, RateHeaderContext, ReturnType<typeof attributeRateHeader>]>([
      ["same rate as applied", 2, base, { to: "none", reason: "unchanged" }],
      ["success, lower", 1, base, { to: "operation", rate: 1 }],
      ["success, higher", 5, base, { to: "operation", rate: 5 }],
      ["429, higher", 5, { ...base, ok: false }, { to: "operation", rate: 5 }],
      ["429, lower, first sighting", 1, { ...base, ok: false }, { to: "pending", rate: 1 }],
      ["429, lower, confirmed", 1, { ...base, ok: false, pending: 1 }, { to: "operation", rate: 1 }],
      ["429, lower, other than the pending one", 0.5, { ...base, ok: false, pending: 1 }, { to: "pending", rate: 0.5 }],
      ["createFeed 429 with the feed quota's printed rate", 0.0167, feed, { to: "extra-bucket", key: "feedType", rate: 0.0167 }],
      ["createFeed 202 with the feed quota's printed rate", 0.0167, { ...feed, ok: true }, { to: "extra-bucket", key: "feedType", rate: 0.0167 }],
      ["createFeed 429 with another rate", 0.001, feed, { to: "none", reason: "other-quota" }],
      ["createFeed 429 of an order feed", 0.0167, { ...feed, extraBuckets: [] }, { to: "none", reason: "other-quota" }],
      ["createFeed 202 with its own documented rate", 0.0083, { ...feed, ok: true }, { to: "none", reason: "unchanged" }],
    ])("%s", (_name, header, ctx, expected) => {
      expect(attributeRateHeader(header, ctx)).toEqual(expected)
    })
  })
})
