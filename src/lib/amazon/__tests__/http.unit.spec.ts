import { AmazonApiError } from "../errors"
import { SpApiEvent, SpApiClient } from "../http"
import { LwaTokenProvider } from "../lwa"
import { MemoryBucketStore } from "../token-bucket"
import { Handler, startLocalServer } from "./local-server"

const CREDS = { clientId: "amzn1.application-oa2-client.test", clientSecret: "s3cr3t-value", refreshToken: "Atzr|refresh-secret" }

function lwaOk(token = "Atza|token-1", expiresIn = 3600) {
  return { status: 200, body: { access_token: token, token_type: "bearer", expires_in: expiresIn, refresh_token: CREDS.refreshToken } }
}

async function setup(spApi: Handler, opts: { lwa?: Handler; client?: Partial<ConstructorParameters<typeof SpApiClient>[0]> } = {}) {
  let tokenCounter = 0
  const server = await startLocalServer((req, body) => {
    if (req.url?.startsWith("/auth/o2/token")) {
      return opts.lwa ? opts.lwa(req, body) : lwaOk(`Atza|token-${++tokenCounter}`)
    }
    return spApi(req, body)
  })
  const events: SpApiEvent[] = []
  const slept: number[] = []
  const tokens = new LwaTokenProvider()
  const client = new SpApiClient({
    sellerId: "A1SELLER",
    region: "EU",
    credentials: CREDS,
    endpoints: { spApiBaseUrl: server.url, lwaTokenUrl: `${server.url}/auth/o2/token` },
    tokenProvider: tokens,
    onEvent: (e) => events.push(e),
    sleep: async (ms) => {
      slept.push(ms)
    },
    random: () => 0.5,
    ...opts.client,
  })
  return { server, client, events, slept, tokens }
}

const participations = { payload: [] }
const spRequests = <R extends { url: string }>(s: { requests: R[] }) => s.requests.filter((r) => !r.url.startsWith("/auth"))

describe("SpApiClient (the HTTP client of the SP-API)", () => {
  it("exchanges the refresh token once, sends it as x-amz-access-token, and caches it", async () => {
    const { server, client, tokens } = await setup(() => ({ status: 200, body: participations }))
    try {
      await client.request("sellers-v1.getMarketplaceParticipations")
      await client.request("sellers-v1.getMarketplaceParticipations")
      expect(tokens.exchanges).toBe(1)
      const lwa = server.requests.filter((r) => r.url.startsWith("/auth"))
      expect(lwa).toHaveLength(1)
      expect(new URLSearchParams(lwa[0].body).get("grant_type")).toBe("refresh_token")
      expect(spRequests(server).map((r) => r.headers["x-amz-access-token"])).toEqual(["Atza|token-1", "Atza|token-1"])
    } finally {
      await server.close()
    }
  })

  it("merges concurrent token refreshes into one exchange (single flight)", async () => {
    const { server, client, tokens } = await setup(() => ({ status: 200, body: participations }), {
      lwa: () => ({ ...lwaOk("Atza|slow"), delayMs: 50 }),
    })
    try {
      await Promise.all(Array.from({ length: 10 }, () => client.request("sellers-v1.getMarketplaceParticipations")))
      expect(tokens.exchanges).toBe(1)
    } finally {
      await server.close()
    }
  })

  it("refreshes the token before it expires", async () => {
    let now = 1_000_000
    const tokens = new LwaTokenProvider({ now: () => now, refreshSkewMs: 5 * 60_000 })
    const { server, client } = await setup(() => ({ status: 200, body: participations }), { client: { tokenProvider: tokens } })
    try {
      await client.request("sellers-v1.getMarketplaceParticipations")
      now += 54 * 60_000 // 6 minutes left: still valid
      await client.request("sellers-v1.getMarketplaceParticipations")
      expect(tokens.exchanges).toBe(1)
      now += 2 * 60_000 // 4 minutes left: inside the skew, refresh
      await client.request("sellers-v1.getMarketplaceParticipations")
      expect(tokens.exchanges).toBe(2)
    } finally {
      await server.close()
    }
  })

  it("exchanges a new token once when Amazon rejects the cached one (403)", async () => {
    let calls = 0
    const { server, client, tokens } = await setup(() =>
      ++calls === 1
        ? { status: 403, body: { errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided has expired." }] } }
        : { status: 200, body: participations }
    )
    try {
      const res = await client.request("sellers-v1.getMarketplaceParticipations")
      expect(res.status).toBe(200)
      expect(tokens.exchanges).toBe(2)
      expect(spRequests(server).map((r) => r.headers["x-amz-access-token"])).toEqual(["Atza|token-1", "Atza|token-2"])
    } finally {
      await server.close()
    }
  })

  it("fails with a typed, fatal error when LWA refuses the credentials", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: participations }), {
      lwa: () => ({ status: 400, body: { error: "invalid_client", error_description: "Client authentication failed" } }),
    })
    try {
      const err = await client.request("sellers-v1.getMarketplaceParticipations").catch((e) => e)
      expect(err).toBeInstanceOf(AmazonApiError)
      expect(err).toMatchObject({ code: "invalid_client", status: 400, operation: "lwa.token", kind: "fatal", retryable: false })
      expect(spRequests(server)).toHaveLength(0)
    } finally {
      await server.close()
    }
  })

  it("retries 5xx with capped exponential backoff and then gives up with the last error", async () => {
    const { server, client, slept, events } = await setup(
      () => ({ status: 503, body: { errors: [{ code: "ServiceUnavailable", message: "try later" }] }, headers: { "x-amzn-RequestId": "req-9" } }),
      { client: { retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 } } }
    )
    try {
      const err = await client.request("feeds-2021-06-30.getFeed", { pathParams: { feedId: "1" } }).catch((e) => e)
      expect(err).toMatchObject({ code: "ServiceUnavailable", status: 503, attempts: 4, retryable: true, requestId: "req-9", operation: "feeds-2021-06-30.getFeed" })
      expect(spRequests(server)).toHaveLength(4)
      // base·2^(n-1), capped at 300, with jitter 0.5 → 75% of the step
      expect(events.filter((e) => e.type === "retry").map((e) => (e as { delayMs: number }).delayMs)).toEqual([75, 150, 225])
      expect(slept).toEqual([75, 150, 225])
    } finally {
      await server.close()
    }
  })

  it("does not retry a 400: validation errors are fatal and keep Amazon's code", async () => {
    const { server, client } = await setup(() => ({ status: 400, body: { errors: [{ code: "InvalidInput", message: "bad marketplace", details: "x" }] } }))
    try {
      const err = await client.request("orders-2026-01-01.searchOrders", { query: { lastUpdatedAfter: "2026-01-01T00:00:00Z" } }).catch((e) => e)
      expect(err).toMatchObject({ code: "InvalidInput", status: 400, attempts: 1, kind: "fatal" })
      expect(spRequests(server)).toHaveLength(1)
    } finally {
      await server.close()
    }
  })

  it("on 429 drains its bucket, learns x-amzn-RateLimit-Limit and waits before retrying", async () => {
    let calls = 0
    const { server, client, slept, events } = await setup(() =>
      ++calls <= 2
        ? { status: 429, body: { errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource." }] }, headers: { "x-amzn-RateLimit-Limit": "1.0" } }
        : { status: 200, body: { payload: { granularity: {}, inventorySummaries: [] } }, headers: { "x-amzn-RateLimit-Limit": "1.0" } }
    )
    try {
      const res = await client.request("fba-inventory-v1.getInventorySummaries", { query: { granularityType: "Marketplace" } })
      expect(res.attempts).toBe(3)
      expect(client.limitsFor("fba-inventory-v1.getInventorySummaries")).toEqual({ rate: 1 / 1.03, burst: 2 })
      expect(events.filter((e) => e.type === "throttled")).toHaveLength(2)
      expect(events.some((e) => e.type === "rate-adjusted")).toBe(true)
      // after a drain the next call must wait a full refill interval (1 s at the learned rate)
      expect(events.filter((e) => e.type === "wait").length).toBeGreaterThanOrEqual(1)
      expect(Math.max(...slept)).toBeGreaterThanOrEqual(900)
    } finally {
      await server.close()
    }
  })

  it("spends from the local bucket: a burst passes, the next call waits 1/rate", async () => {
    const { server, client, events } = await setup(() => ({ status: 200, body: { payload: { granularity: {}, inventorySummaries: [] } } }))
    try {
      // getInventorySummaries: rate 2/s, burst 2
      for (let i = 0; i < 3; i++) {
        await client.request("fba-inventory-v1.getInventorySummaries", { query: {} })
      }
      const waits = events.filter((e) => e.type === "wait") as { waitMs: number }[]
      expect(waits).toHaveLength(1)
      expect(waits[0].waitMs).toBeGreaterThan(400)
      // 1/rate plus the 3 % safety slack, plus the arrival-jitter guard (100 ms) once per busy period
      expect(waits[0].waitMs).toBeLessThanOrEqual(516 + 100)
    } finally {
      await server.close()
    }
  })

  it("refuses to queue longer than maxQueueWaitMs instead of hanging", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: { orders: [] } }), { client: { maxQueueWaitMs: 60_000 } })
    try {
      for (let i = 0; i < 20; i++) {
        await client.request("orders-2026-01-01.searchOrders", { query: { lastUpdatedAfter: "x" } })
      }
      // the 21st call needs 180 s of refill (rate 0.0056/s)
      const err = await client.request("orders-2026-01-01.searchOrders", { query: { lastUpdatedAfter: "x" } }).catch((e) => e)
      expect(err).toMatchObject({ code: "RateLimitWaitExceeded", retryable: true })
      expect(spRequests(server)).toHaveLength(20)
    } finally {
      await server.close()
    }
  })

  it("does not resend a POST after a timeout (indeterminate), but does resend an idempotent GET", async () => {
    const { server, client } = await setup(() => ({ status: 202, body: { feedId: "1" }, delayMs: 300 }), {
      client: { timeoutMs: 100, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } },
    })
    try {
      const err = await client
        .request("feeds-2021-06-30.createFeed", { body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: ["X"], inputFeedDocumentId: "d" } })
        .catch((e) => e)
      expect(err).toMatchObject({ code: "Timeout", kind: "indeterminate", attempts: 1 })
      const getErr = await client.request("feeds-2021-06-30.getFeed", { pathParams: { feedId: "1" } }).catch((e) => e)
      expect(getErr).toMatchObject({ code: "Timeout", kind: "retryable", attempts: 3 })
    } finally {
      await server.close()
    }
  })

  it("treats a malformed JSON body as retryable for a GET", async () => {
    let calls = 0
    const { server, client } = await setup(() => (++calls === 1 ? { status: 200, raw: "{not json" } : { status: 200, body: { feedId: "7", processingStatus: "DONE" } }))
    try {
      const res = await client.request<{ feedId: string }>("feeds-2021-06-30.getFeed", { pathParams: { feedId: "7" } })
      expect(res.data.feedId).toBe("7")
      expect(res.attempts).toBe(2)
    } finally {
      await server.close()
    }
  })

  it("URL-encodes path and query values and joins arrays with commas", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: {} }))
    try {
      await client.request("listings-items-2021-08-01.getListingsItem", {
        pathParams: { sellerId: "A1SELLER", sku: "SKU/with space+plus" },
        query: { marketplaceIds: ["A1PA6795UKMFR9", "A13V1IB3VIYZZH"], includedData: ["summaries", "issues"], pageToken: "a+b/c=" },
      })
      expect(spRequests(server)[0].url).toBe(
        "/listings/2021-08-01/items/A1SELLER/SKU%2Fwith%20space%2Bplus?marketplaceIds=A1PA6795UKMFR9%2CA13V1IB3VIYZZH&includedData=summaries%2Cissues&pageToken=a%2Bb%2Fc%3D"
      )
    } finally {
      await server.close()
    }
  })

  it("never follows a redirect with the secrets or the access token, and cuts upstream text", async () => {
    // LWA answers 307 (a redirect that would resend the form body, secrets included, to another host)
    const hops: string[] = []
    const elsewhere = await startLocalServer((req, body) => {
      hops.push(`${req.url} ${body}`)
      return lwaOk()
    })
    const lwaRedirect = await setup(() => ({ status: 200, body: participations }), {
      lwa: () => ({ status: 307, headers: { location: `${elsewhere.url}/auth/o2/token` } }),
    })
    // SP-API answers 302 to another host (the access token is a header that would travel along)
    const spRedirect = await setup(() => ({ status: 302, headers: { location: `${elsewhere.url}/sellers` } }))
    // a non-Amazon upstream echoing junk: never passed on raw
    const noisy = await setup(() => ({
      status: 400,
      body: { errors: [{ code: "Bad\u0000Code", message: `line1\nline2 ${"y".repeat(2000)}` }] },
    }))
    try {
      const a = await lwaRedirect.client.request("sellers-v1.getMarketplaceParticipations").catch((e) => e)
      expect(a).toBeInstanceOf(AmazonApiError)
      expect({ code: a.code, kind: a.kind }).toEqual({ code: "RedirectRefused", kind: "fatal" })
      const b = await spRedirect.client.request("sellers-v1.getMarketplaceParticipations").catch((e) => e)
      expect({ code: b.code, kind: b.kind, status: b.status }).toEqual({ code: "RedirectRefused", kind: "fatal", status: 302 })
      expect(spRequests(spRedirect.server)).toHaveLength(1) // not retried either
      expect(hops).toEqual([])
      const c = await noisy.client.request("sellers-v1.getMarketplaceParticipations").catch((e) => e)
      expect(c.code).toBe("Bad Code")
      expect(c.message.length).toBeLessThanOrEqual(300)
      expect(c.message).not.toMatch(/[\u0000\n]/)
    } finally {
      await Promise.all([elsewhere.close(), lwaRedirect.server.close(), spRedirect.server.close(), noisy.server.close()])
    }
  })

  it("never puts a token or secret into an event or an error", async () => {
    let calls = 0
    const { server, client, events } = await setup(() =>
      ++calls < 3 ? { status: 500, body: { errors: [{ code: "InternalFailure", message: "boom" }] } } : { status: 400, body: { errors: [{ code: "InvalidInput", message: "no" }] } }
    )
    try {
      const err = await client.request("sellers-v1.getMarketplaceParticipations").catch((e) => e)
      const dump = JSON.stringify(events) + JSON.stringify(err) + String(err.message) + String(err.stack)
      for (const secret of [CREDS.clientSecret, CREDS.refreshToken, "Atza|token-1"]) {
        expect(dump).not.toContain(secret)
      }
    } finally {
      await server.close()
    }
  })

  it("PUTs feed documents with the given Content-Type and downloads bytes untouched", async () => {
    const { server, client } = await setup((req) => (req.method === "PUT" ? { status: 200, raw: "" } : { status: 200, raw: "\u001f\u008bbinary" }))
    try {
      await client.uploadDocument(`${server.url}/upload/1`, "application/json; charset=UTF-8", '{"a":1}')
      const put = server.requests.find((r) => r.method === "PUT")!
      expect(put.headers["content-type"]).toBe("application/json; charset=UTF-8")
      expect(put.headers["x-amz-access-token"]).toBeUndefined()
      expect(put.body).toBe('{"a":1}')
      const bytes = await client.downloadDocument(`${server.url}/download/1`)
      expect(bytes.length).toBeGreaterThan(0)
    } finally {
      await server.close()
    }
  })

  it("spends the JSON_LISTINGS_FEED quota (5 per 5 minutes per region) on top of createFeed's", async () => {
    const store = new MemoryBucketStore()
    const { server, client } = await setup(() => ({ status: 202, body: { feedId: "1" } }), { client: { bucketStore: store, maxQueueWaitMs: 10_000 } })
    try {
      const extra = client.feedTypeBucket("JSON_LISTINGS_FEED")!
      for (let i = 0; i < 5; i++) {
        await client.request("feeds-2021-06-30.createFeed", { body: {}, extraBuckets: [extra] })
      }
      const err = await client.request("feeds-2021-06-30.createFeed", { body: {}, extraBuckets: [extra] }).catch((e) => e)
      expect(err).toMatchObject({ code: "RateLimitWaitExceeded" })
      expect(client.feedTypeBucket("POST_ORDER_FULFILLMENT_DATA")).toBeUndefined()
    } finally {
      await server.close()
    }
  })

  it("a createFeed retried after 5xx spends one feed-type token, not one per attempt", async () => {
    const store = new MemoryBucketStore()
    let calls = 0
    const { server, client } = await setup(() => (++calls < 5 ? { status: 500, body: {} } : { status: 202, body: { feedId: "1" } }), {
      client: { bucketStore: store, maxQueueWaitMs: 10_000 },
    })
    try {
      const extra = client.feedTypeBucket("JSON_LISTINGS_FEED")!
      await client.request("feeds-2021-06-30.createFeed", { body: {}, extraBuckets: [extra] })
      expect(calls).toBe(5)
      // four more feeds fit in the window: the retries above cost nothing of the feed quota
      for (let i = 0; i < 4; i++) {
        await client.request("feeds-2021-06-30.createFeed", { body: {}, extraBuckets: [extra] })
      }
      const err = await client.request("feeds-2021-06-30.createFeed", { body: {}, extraBuckets: [extra] }).catch((e) => e)
      expect(err).toMatchObject({ code: "RateLimitWaitExceeded" })
    } finally {
      await server.close()
    }
  })
})
