import { gzipSync } from "node:zlib"
import { SpApi } from "../api"
import { AmazonApiError, FeedSubmissionError } from "../errors"
import { fetchFeedResultDocument, submitFeed } from "../feeds/submit-feed"
import { SpApiClient } from "../http"
import { MemoryBucketStore } from "../token-bucket"

/** A scripted SP-API + S3 in memory: every request is recorded, each answer chosen by the test. */
type Answer = Response | Error
type Route = (method: string, url: URL, body: string | undefined) => Answer | undefined

function spApiClient(route: Route, buckets = new MemoryBucketStore()) {
  const log: { method: string; path: string; headers: Record<string, string>; body?: string }[] = []
  const fakeFetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input))
    const method = init.method ?? "GET"
    if (url.pathname === "/auth/o2/token") {
      return Response.json({ access_token: "Atza|t", token_type: "bearer", expires_in: 3600 })
    }
    const body = typeof init.body === "string" ? init.body : undefined
    log.push({ method, path: url.pathname, headers: (init.headers ?? {}) as Record<string, string>, body })
    const answer = route(method, url, body) ?? new Response(JSON.stringify({ errors: [{ code: "NotFound", message: url.pathname }] }), { status: 404 })
    if (answer instanceof Error) throw answer
    return answer
  }) as typeof fetch
  const api = new SpApi(
    new SpApiClient({
      sellerId: "A1SELLER",
      region: "EU",
      credentials: { clientId: "id", clientSecret: "secret", refreshToken: "Atzr|r" },
      endpoints: { spApiBaseUrl: "https://sp.test", lwaTokenUrl: "https://sp.test/auth/o2/token" },
      fetch: fakeFetch,
      bucketStore: buckets,
      sleep: async () => {},
      random: () => 0.5,
      maxQueueWaitMs: 10_000,
    })
  )
  return { api, log }
}

const timeout = () => Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" })

function feedsApi(createFeed: () => Answer): Route {
  return (method, url) => {
    if (method === "POST" && url.pathname === "/feeds/2021-06-30/documents") {
      return Response.json({ feedDocumentId: "doc-1", url: "https://s3.test/upload/doc-1" }, { status: 201 })
    }
    if (method === "PUT" && url.pathname === "/upload/doc-1") return new Response(null, { status: 200 })
    if (method === "POST" && url.pathname === "/feeds/2021-06-30/feeds") return createFeed()
    return undefined
  }
}

const input = {
  feedType: "JSON_LISTINGS_FEED",
  marketplaceIds: ["A1PA6795UKMFR9"],
  contentType: "application/json; charset=UTF-8",
  body: '{"header":{}}',
}

describe("submitFeed", () => {
  it("creates the document, uploads it with the same Content-Type, then creates the feed; counts 3 calls", async () => {
    const { api, log } = spApiClient(feedsApi(() => Response.json({ feedId: "F1" }, { status: 202 })))
    const uploaded: string[] = []
    const tally = { calls: 0 }
    const res = await submitFeed(api, input, {
      onUploaded: (id) => {
        uploaded.push(`${id} after ${log.length} requests`)
      },
      tally,
    })
    expect(res).toEqual({ feedId: "F1", feedDocumentId: "doc-1" })
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /feeds/2021-06-30/documents",
      "PUT /upload/doc-1",
      "POST /feeds/2021-06-30/feeds",
    ])
    expect(JSON.parse(log[0].body!)).toEqual({ contentType: input.contentType })
    expect(log[1].headers["content-type"]).toBe(input.contentType)
    expect(log[1].headers["x-amz-access-token"]).toBeUndefined()
    expect(log[1].body).toBe(input.body)
    expect(JSON.parse(log[2].body!)).toEqual({ feedType: "JSON_LISTINGS_FEED", marketplaceIds: ["A1PA6795UKMFR9"], inputFeedDocumentId: "doc-1" })
    expect(uploaded).toEqual(["doc-1 after 2 requests"])
    expect(tally.calls).toBe(3)
  })

  it("does not resend a createFeed that timed out after sending: indeterminate, the earlier calls counted", async () => {
    const { api, log } = spApiClient(feedsApi(timeout))
    const tally = { calls: 0 }
    // recovery off: the createFeed error as is (with recovery, see "a createFeed without an answer" below)
    const err = await submitFeed(api, input, { tally, recovery: false }).catch((e) => e)
    expect(err).toBeInstanceOf(AmazonApiError)
    expect(err).toMatchObject({ code: "Timeout", kind: "indeterminate", operation: "feeds-2021-06-30.createFeed", attempts: 1 })
    expect(log.filter((r) => r.path === "/feeds/2021-06-30/feeds")).toHaveLength(1)
    expect(tally.calls).toBe(2)
  })

  it("retries a createFeed 5xx, spending the JSON_LISTINGS_FEED quota once", async () => {
    const buckets = new MemoryBucketStore()
    let n = 0
    const { api } = spApiClient(
      feedsApi(() => (++n < 3 ? Response.json({ errors: [{ code: "InternalFailure", message: "x" }] }, { status: 500 }) : Response.json({ feedId: `F${n}` }, { status: 202 }))),
      buckets
    )
    const tally = { calls: 0 }
    await submitFeed(api, input, { tally })
    expect(tally.calls).toBe(1 + 1 + 3)
    const key = api.client.feedTypeBucket("JSON_LISTINGS_FEED")!
    expect(Math.round(await buckets.peek(key.key, key.limits))).toBe(4)
  })

  it("stops before createFeed when the upload fails or onUploaded throws, and passes the error on", async () => {
    const forbidden: Route = (method, url) =>
      method === "PUT" ? new Response("<Error/>", { status: 403 }) : feedsApi(() => Response.json({ feedId: "F" }, { status: 202 }))(method, url, undefined)
    const a = spApiClient(forbidden)
    const err = await submitFeed(a.api, input).catch((e) => e)
    expect(err).toMatchObject({ code: "UploadForbidden", kind: "fatal" })
    expect(a.log.some((r) => r.path === "/feeds/2021-06-30/feeds")).toBe(false)

    const b = spApiClient(feedsApi(() => Response.json({ feedId: "F" }, { status: 202 })))
    const boom = new Error("db down")
    await expect(submitFeed(b.api, input, { onUploaded: () => Promise.reject(boom) })).rejects.toBe(boom)
    expect(b.log.some((r) => r.path === "/feeds/2021-06-30/feeds")).toBe(false)
  })

  it("sends an order feed with createFeed's bucket only (no feed-type quota of its own)", async () => {
    const buckets = new MemoryBucketStore()
    const { api, log } = spApiClient(feedsApi(() => Response.json({ feedId: "F9" }, { status: 202 })), buckets)
    const res = await submitFeed(api, { ...input, feedType: "POST_ORDER_FULFILLMENT_DATA", contentType: "text/xml; charset=UTF-8", body: "<AmazonEnvelope/>" })
    expect(res.feedId).toBe("F9")
    expect(log[1].headers["content-type"]).toBe("text/xml; charset=UTF-8")
    expect(api.client.feedTypeBucket("POST_ORDER_FULFILLMENT_DATA")).toBeUndefined()
  })
})

describe("submitFeed: a createFeed without an answer is looked up before anyone resends it", () => {
  type Feed = { feedId: string; feedType: string; marketplaceIds?: string[]; createdTime: string; processingStatus: string }
  const iso = (ms: number) => new Date(ms).toISOString()
  const reset = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } })

  /**
   * The feeds Amazon lists, as a function of the createFeed send time (`sentAt`, our clock). `lists` gives
   * the getFeeds answers in order (the last one repeats).
   */
  function recoveryApi(createFeed: () => Answer, lists: ((sentAt: number) => { feeds: Feed[]; nextToken?: string })[], headers: Record<string, string> = {}) {
    let sentAt = 0
    const queries: URLSearchParams[] = []
    const base = feedsApi(() => {
      sentAt = Date.now()
      return createFeed()
    })
    const route: Route = (method, url, body) => {
      if (method === "POST" && url.pathname === "/feeds/2021-06-30/documents") {
        return Response.json({ feedDocumentId: "doc-1", url: "https://s3.test/upload/doc-1" }, { status: 201, headers })
      }
      if (method === "GET" && url.pathname === "/feeds/2021-06-30/feeds") {
        queries.push(url.searchParams)
        return Response.json(lists[Math.min(queries.length, lists.length) - 1](sentAt))
      }
      return base(method, url, body)
    }
    const client = spApiClient(route)
    return { ...client, queries, sentAt: () => sentAt }
  }

  const ours = (sentAt: number, id = "F-OURS"): Feed => ({
    feedId: id,
    feedType: "JSON_LISTINGS_FEED",
    marketplaceIds: ["A1PA6795UKMFR9"],
    // Amazon counts whole seconds
    createdTime: iso(Math.floor((sentAt + 200) / 1000) * 1000),
    processingStatus: "IN_QUEUE",
  })
  const noise = (sentAt: number): Feed[] => [
    { ...ours(sentAt, "F-KNOWN") }, // submitted by this store a moment earlier, known to the caller
    { ...ours(sentAt, "F-OTHER-MARKET"), marketplaceIds: ["A1F83G8C2ARO7P"] },
    { ...ours(sentAt, "F-TWO-MARKETS"), marketplaceIds: ["A1PA6795UKMFR9", "A1F83G8C2ARO7P"] },
    { ...ours(sentAt, "F-OTHER-TYPE"), feedType: "POST_ORDER_FULFILLMENT_DATA" },
    { ...ours(sentAt - 5 * 60_000, "F-OLDER") },
  ]

  it.each<[string, () => Answer]>([
    ["timed out", timeout],
    ["connection broke after sending", reset],
    ["a 202 whose body cannot be read", () => new Response("{\"feedId\":", { status: 202 })],
    ["a 202 without a feedId", () => Response.json({}, { status: 202 })],
  ])("%s: adopts the one feed getFeeds shows, without a second createFeed", async (_name, answer) => {
    const { api, log, queries, sentAt } = recoveryApi(answer, [(at) => ({ feeds: [...noise(at), ours(at)] })])
    const tally = { calls: 0 }
    const res = await submitFeed(api, input, { tally, recovery: { knownFeedIds: ["F-KNOWN"] } })
    expect(res).toEqual({ feedId: "F-OURS", feedDocumentId: "doc-1", recovered: true })
    expect(log.filter((r) => r.path === "/feeds/2021-06-30/feeds" && r.method === "POST")).toHaveLength(1)
    expect(queries).toHaveLength(1)
    const q = Object.fromEntries(queries[0])
    expect(q).toMatchObject({ feedTypes: "JSON_LISTINGS_FEED", marketplaceIds: "A1PA6795UKMFR9", pageSize: "100" })
    // no Date header here: our clock less the allowed skew (60 s), on a whole second, a second early
    const since = Date.parse(q.createdSince)
    expect(since).toBeLessThanOrEqual(sentAt() - 60_000)
    expect(since).toBeGreaterThan(sentAt() - 62_001)
    // createFeedDocument + upload + createFeed + getFeeds
    expect(tally.calls).toBe(4)
  })

  it("a known-ids predicate works like a list (the caller may ask its own table)", async () => {
    const { api } = recoveryApi(timeout, [(at) => ({ feeds: [ours(at, "F-KNOWN"), ours(at)] })])
    const asked: string[] = []
    const res = await submitFeed(api, input, { recovery: { knownFeedIds: async (id) => (asked.push(id), id === "F-KNOWN") } })
    expect(res.feedId).toBe("F-OURS")
    expect(asked).toEqual(["F-KNOWN", "F-OURS"])
  })

  it("no such feed after the settle time: FeedNotCreated, retryable (safe to resubmit), after two look-ups", async () => {
    const { api, log, queries } = recoveryApi(timeout, [(at) => ({ feeds: noise(at).filter((f) => f.feedId !== "F-KNOWN") })])
    const tally = { calls: 0 }
    const err = await submitFeed(api, input, { tally }).catch((e) => e)
    expect(err).toBeInstanceOf(FeedSubmissionError)
    expect(err).toBeInstanceOf(AmazonApiError)
    expect(err).toMatchObject({ code: "FeedNotCreated", kind: "retryable", retryable: true, outcome: "not-created", feedDocumentId: "doc-1", attempts: 1 })
    expect(err.cause).toMatchObject({ code: "Timeout" })
    expect(queries).toHaveLength(2)
    expect(log.filter((r) => r.method === "POST" && r.path === "/feeds/2021-06-30/feeds")).toHaveLength(1)
    // the two getFeeds counted; the failed createFeed is the error's attempts, for the caller's catch
    expect(tally.calls + err.attempts).toBe(5)
  })

  it("a feed listed only at the second look-up is still adopted", async () => {
    const { api, queries } = recoveryApi(timeout, [() => ({ feeds: [] }), (at) => ({ feeds: [ours(at)] })])
    const res = await submitFeed(api, input)
    expect(res).toMatchObject({ feedId: "F-OURS", recovered: true })
    expect(queries).toHaveLength(2)
  })

  it("two feeds that could be it: FeedCreationAmbiguous, indeterminate, with both candidates", async () => {
    const { api } = recoveryApi(timeout, [(at) => ({ feeds: [ours(at), ours(at, "F-TWIN")] })])
    const err = await submitFeed(api, input).catch((e) => e)
    expect(err).toMatchObject({ code: "FeedCreationAmbiguous", kind: "indeterminate", outcome: "ambiguous", candidateFeedIds: ["F-OURS", "F-TWIN"] })
  })

  it("reads a next page with its token only; pages left unread make it ambiguous", async () => {
    const paged = recoveryApi(timeout, [() => ({ feeds: [], nextToken: "p2" }), (at) => ({ feeds: [ours(at)] })])
    expect(await submitFeed(paged.api, input)).toMatchObject({ feedId: "F-OURS", recovered: true })
    expect(Object.fromEntries(paged.queries[1])).toEqual({ nextToken: "p2" })

    const endless = recoveryApi(timeout, [() => ({ feeds: [], nextToken: "more" })])
    const err = await submitFeed(endless.api, input).catch((e) => e)
    expect(err).toMatchObject({ code: "FeedCreationAmbiguous", candidateFeedIds: [] })
    expect(endless.queries).toHaveLength(3)
  })

  it("the look-up fails too: FeedCreationUnknown, indeterminate, attempts of both failed calls", async () => {
    const { api } = spApiClient((method, url, body) =>
      method === "GET" && url.pathname === "/feeds/2021-06-30/feeds"
        ? Response.json({ errors: [{ code: "InvalidInput", message: "bad" }] }, { status: 400 })
        : feedsApi(timeout)(method, url, body)
    )
    const tally = { calls: 0 }
    const err = await submitFeed(api, input, { tally }).catch((e) => e)
    expect(err).toMatchObject({ code: "FeedCreationUnknown", kind: "indeterminate", outcome: "unknown", attempts: 2 })
    expect(err.cause).toMatchObject({ code: "InvalidInput" })
    expect(tally.calls + err.attempts).toBe(4)
  })

  it("anchors the look-up to Amazon's clock when its answers carry a Date header", async () => {
    // Amazon's clock runs 10 minutes behind ours: createdSince must be on Amazon's clock, or the feed is missed
    const behind = 10 * 60_000
    const dated = recoveryApi(timeout, [(at) => ({ feeds: [ours(at - behind)] })], { date: new Date(Date.now() - behind).toUTCString() })
    expect(await submitFeed(dated.api, input)).toMatchObject({ feedId: "F-OURS", recovered: true })
    const since = Date.parse(dated.queries[0].get("createdSince")!)
    expect(since).toBeLessThanOrEqual(dated.sentAt() - behind)
    expect(since).toBeGreaterThan(dated.sentAt() - behind - 3_000)
  })

  it("a createFeed that was never sent is not looked up: its error as before", async () => {
    const buckets = new MemoryBucketStore()
    const { api, log } = spApiClient(feedsApi(() => Response.json({ feedId: "F" }, { status: 202 })), buckets)
    const quota = api.client.feedTypeBucket("JSON_LISTINGS_FEED")!
    for (let i = 0; i < 5; i++) await buckets.reserve(quota.key, quota.limits, 0)
    const err = await submitFeed(api, input, { createFeedMaxQueueWaitMs: 0 }).catch((e) => e)
    expect(err).toMatchObject({ code: "RateLimitWaitExceeded" })
    expect(err).not.toBeInstanceOf(FeedSubmissionError)
    expect(log.some((r) => r.path === "/feeds/2021-06-30/feeds")).toBe(false)
  })

  it("a plain answer (400, or a 5xx after the retries) is not looked up either", async () => {
    const { api, log } = spApiClient(feedsApi(() => Response.json({ errors: [{ code: "InvalidInput", message: "no" }] }, { status: 400 })))
    const err = await submitFeed(api, input).catch((e) => e)
    expect(err).toMatchObject({ code: "InvalidInput", kind: "fatal" })
    expect(log.some((r) => r.method === "GET")).toBe(false)
  })
})

describe("fetchFeedResultDocument", () => {
  const report = '{"header":{"sellerId":"A1SELLER"},"summary":{}}'
  const reportApi =
    (compressed: boolean): Route =>
    (method, url) => {
      if (url.pathname === "/feeds/2021-06-30/documents/res-1") {
        return Response.json({ feedDocumentId: "res-1", url: "https://s3.test/res-1", ...(compressed ? { compressionAlgorithm: "GZIP" } : {}) })
      }
      if (url.pathname === "/res-1") return new Response(compressed ? gzipSync(report) : report, { status: 200 })
      return undefined
    }

  it("downloads the bytes as stored unless asked to gunzip, and counts 2 calls", async () => {
    const { api, log } = spApiClient(reportApi(true))
    const tally = { calls: 0 }
    const raw = await fetchFeedResultDocument(api, "res-1", { tally })
    expect(raw.compressionAlgorithm).toBe("GZIP")
    expect([raw.bytes[0], raw.bytes[1]]).toEqual([0x1f, 0x8b])
    expect(log[1].headers["accept-encoding"]).toBe("identity")
    const inflated = await fetchFeedResultDocument(api, "res-1", { gunzip: true, tally })
    expect(inflated.bytes.toString("utf8")).toBe(report)
    expect(tally.calls).toBe(4)
  })

  it("leaves an uncompressed document alone", async () => {
    const { api } = spApiClient(reportApi(false))
    const doc = await fetchFeedResultDocument(api, "res-1", { gunzip: true })
    expect(doc.compressionAlgorithm).toBeUndefined()
    expect(doc.bytes.toString("utf8")).toBe(report)
  })
})
