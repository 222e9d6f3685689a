import { gzipSync } from "node:zlib"
import { SpApi } from "../api"
import { AmazonApiError } from "../errors"
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
    const err = await submitFeed(api, input, { tally }).catch((e) => e)
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
