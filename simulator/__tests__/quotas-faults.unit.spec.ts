import { ContractValidator, startSimulator, type SimulatorHandle } from "../index"
import { accessToken, call, createFeed, DE, listingsFeed, quantityPatch, SELLER, uploadFeedDocument } from "./helpers/sp-client"

const contract = new ContractValidator()
const THROTTLED = { errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" }] }
const PARTICIPATIONS = "/sellers/v1/marketplaceParticipations"

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

describe("quotas, fault injection and the control API", () => {
  let sim: SimulatorHandle
  let token: string

  beforeAll(async () => {
    sim = await startSimulator()
  })
  afterAll(() => sim.close())

  beforeEach(async () => {
    sim.control.reset()
    sim.control.setTimeScale(1)
    sim.control.seed({ sellers: [SELLER], listings: [{ sellerId: SELLER.sellerId, sku: "SKU-1", quantity: 1 }] })
    token = await accessToken(sim)
  })

  const searchOrders = () =>
    call(sim.url, "GET", "/orders/2026-01-01/orders", { token, query: { lastUpdatedAfter: new Date(sim.control.now() - 3_600_000).toISOString() } })

  it("serves the burst, then answers 429 QuotaExceeded with x-amzn-RateLimit-Limit, and refills at the documented rate", async () => {
    for (let i = 0; i < 20; i++) {
      const ok = await searchOrders()
      expect(ok.status).toBe(200)
      expect(ok.headers.get("x-amzn-ratelimit-limit")).toBe("0.0056")
    }
    const throttled = await searchOrders()
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get("x-amzn-ratelimit-limit")).toBe("0.0056")
    expect(throttled.headers.get("x-amzn-requestid")).toBeTruthy()
    expect(throttled.body).toEqual(THROTTLED)
    expect(contract.validateResponse("orders-2026-01-01.searchOrders", 429, throttled.body).errors).toBe("")

    // 0.0056 tokens per second: one token takes ~179 simulated seconds
    sim.control.advanceClock(170_000)
    expect((await searchOrders()).status).toBe(429)
    sim.control.advanceClock(10_000)
    expect((await searchOrders()).status).toBe(200)
    expect((await searchOrders()).status).toBe(429)

    expect(sim.control.counters()["orders-2026-01-01.searchOrders"]).toEqual({
      calls: 24,
      succeeded: 21,
      throttled: 3,
      throttledByQuota: 3,
      throttledByFault: 0,
      clientErrors: 0,
      serverErrors: 0,
    })
  })

  it("keeps buckets per seller and per operation", async () => {
    for (let i = 0; i < 15; i++) await call(sim.url, "GET", PARTICIPATIONS, { token })
    expect((await call(sim.url, "GET", PARTICIPATIONS, { token })).status).toBe(429)
    expect((await searchOrders()).status).toBe(200)
    sim.control.seedSeller({ ...SELLER, sellerId: "A9SECONDSELLER", refreshToken: "Atzr|second" })
    const second = await accessToken(sim, { ...SELLER, sellerId: "A9SECONDSELLER", refreshToken: "Atzr|second" })
    expect((await call(sim.url, "GET", PARTICIPATIONS, { token: second })).status).toBe(200)
  })

  it("refills with real time multiplied by the time scale", async () => {
    for (let i = 0; i < 15; i++) await call(sim.url, "GET", PARTICIPATIONS, { token })
    expect((await call(sim.url, "GET", PARTICIPATIONS, { token })).status).toBe(429)
    // 0.016 tokens/s → 62.5 simulated seconds per token; at 1000× that is ~63 real ms
    sim.control.setTimeScale(1000)
    await sleep(150)
    expect((await call(sim.url, "GET", PARTICIPATIONS, { token })).status).toBe(200)
  })

  it("runs feeds on scaled real time too", async () => {
    sim.control.setTimeScale(2000)
    const doc = await uploadFeedDocument(sim, token, listingsFeed(SELLER.sellerId, [quantityPatch(1, "SKU-1", 8)]))
    const feedId = await createFeed(sim, token, "JSON_LISTINGS_FEED", doc)
    // 10 s queue + 20 s processing = 15 real ms at 2000×
    const deadline = Date.now() + 2_000
    let status = ""
    while (Date.now() < deadline) {
      status = sim.control.getFeed(feedId)?.processingStatus ?? ""
      if (status === "DONE") break
      await sleep(10)
    }
    expect(status).toBe("DONE")
    expect(sim.control.getQuantity("SKU-1")).toBe(8)
  })

  it("injects a 429 storm for the next N calls of one operation without spending tokens", async () => {
    sim.control.injectFault({ type: "throttle", operation: "getMarketplaceParticipations", count: 3 })
    for (let i = 0; i < 3; i++) {
      const res = await call(sim.url, "GET", PARTICIPATIONS, { token })
      expect(res.status).toBe(429)
      expect(res.headers.get("x-amzn-ratelimit-limit")).toBe("0.016")
      expect(res.body).toEqual(THROTTLED)
    }
    expect((await searchOrders()).status).toBe(200)
    expect((await call(sim.url, "GET", PARTICIPATIONS, { token })).status).toBe(200)
    expect(sim.control.quotaTokens("sellers-v1.getMarketplaceParticipations")).toBeCloseTo(14, 1)
    expect(sim.control.counters()["sellers-v1.getMarketplaceParticipations"]).toMatchObject({ calls: 4, throttled: 3, throttledByFault: 3, throttledByQuota: 0 })
  })

  it("injects a 429 storm on every operation for a span of simulated time", async () => {
    sim.control.injectFault({ type: "throttle", durationMs: 60_000 })
    expect((await searchOrders()).status).toBe(429)
    expect((await call(sim.url, "GET", PARTICIPATIONS, { token })).status).toBe(429)
    // the LWA endpoint is not an SP-API operation and keeps working
    await expect(accessToken(sim)).resolves.toMatch(/^Atza\|/)
    sim.control.advanceClock(60_001)
    expect((await searchOrders()).status).toBe(200)
  })

  it("injects 500 and 503 errors", async () => {
    sim.control.injectFault({ type: "server-error", operation: "orders-2026-01-01.searchOrders", count: 2 })
    sim.control.injectFault({ type: "server-error", operation: "getMarketplaceParticipations", status: 503 })
    const first = await searchOrders()
    expect(first.status).toBe(500)
    expect(first.body).toEqual({ errors: [{ code: "InternalFailure", message: "We encountered an internal error. Please try again." }] })
    expect(contract.validateResponse("orders-2026-01-01.searchOrders", 500, first.body).errors).toBe("")
    expect((await searchOrders()).status).toBe(500)
    expect((await searchOrders()).status).toBe(200)
    const unavailable = await call(sim.url, "GET", PARTICIPATIONS, { token })
    expect(unavailable.status).toBe(503)
    expect((unavailable.body as { errors: { code: string }[] }).errors[0].code).toBe("ServiceUnavailable")
    expect(contract.validateResponse("sellers-v1.getMarketplaceParticipations", 503, unavailable.body).errors).toBe("")
    expect(sim.control.counters()["orders-2026-01-01.searchOrders"].serverErrors).toBe(2)
  })

  it("injects server errors on the LWA endpoint only when it is named", async () => {
    sim.control.injectFault({ type: "server-error", operation: "lwa.token" })
    await expect(accessToken(sim)).rejects.toThrow(/LWA refused: 500/)
    await expect(accessToken(sim)).resolves.toMatch(/^Atza\|/)
  })

  it("adds latency", async () => {
    // 1.5 s of latency against a 1 s bound for the next call: generous for a loaded machine, and a
    // second delayed call would still fail it. The fault's count is checked directly as well.
    sim.control.injectFault({ type: "latency", operation: "getMarketplaceParticipations", ms: 1500, count: 1 })
    const started = Date.now()
    expect((await call(sim.url, "GET", PARTICIPATIONS, { token })).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1450)
    expect(sim.control.listFaults()).toEqual([])
    const again = Date.now()
    await call(sim.url, "GET", PARTICIPATIONS, { token })
    expect(Date.now() - again).toBeLessThan(1000)
  })

  it("sends malformed JSON on the next N calls, after handling them", async () => {
    sim.control.injectFault({ type: "malformed-json", operation: "patchListingsItem", count: 1 })
    const res = await call(sim.url, "PATCH", `/listings/2021-08-01/items/${SELLER.sellerId}/SKU-1`, {
      token,
      query: { marketplaceIds: DE },
      body: { productType: "PRODUCT", patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 4 }] }] },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("application/json")
    expect(() => JSON.parse(res.text)).toThrow()
    // the change went through even though the client could not read the answer
    expect(sim.control.getQuantity("SKU-1")).toBe(4)
  })

  it("drives everything over the HTTP control API", async () => {
    const post = (path: string, body?: unknown) => call<Record<string, unknown>>(sim.url, "POST", path, { body })
    expect((await post("/_sim/reset", { seed: "demo" })).status).toBe(200)
    const state = await call<{ sellers: { sellerId: string }[]; listings: { sku: string; quantity: number | null }[]; orders: { orderId: string }[] }>(
      sim.url,
      "GET",
      "/_sim/state",
    )
    expect(state.body.sellers.map((s) => s.sellerId)).toEqual(["A1SIMSELLER00"])
    expect(state.body.listings.find((l) => l.sku === "SIM-MUG-RED")?.quantity).toBe(25)

    expect((await post("/_sim/listings", { sku: "NEW-1", quantity: 3 })).status).toBe(200)
    expect((await call(sim.url, "GET", "/_sim/quantities")).body).toMatchObject({ "NEW-1": 3 })
    expect((await post("/_sim/fba-inventory", [{ sku: "NEW-1", fulfillable: 2 }])).status).toBe(200)

    const orderId = state.body.orders[0].orderId
    const moved = await post(`/_sim/orders/${orderId}/transition`, { to: "SHIPPED" })
    expect(moved.status).toBe(200)
    expect((moved.body.fulfillment as { fulfillmentStatus: string }).fulfillmentStatus).toBe("SHIPPED")
    const refused = await post(`/_sim/orders/${orderId}/transition`, { to: "UNSHIPPED" })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatch(/cannot move/)
    expect((await call(sim.url, "GET", "/_sim/orders/nope")).status).toBe(404)

    const fault = await post("/_sim/faults", { type: "throttle", operation: "searchOrders", count: 2 })
    expect(fault.body).toMatchObject({ spec: { type: "throttle" }, remaining: 2 })
    expect((await call<unknown[]>(sim.url, "GET", "/_sim/faults")).body).toHaveLength(1)
    expect((await post("/_sim/faults", { type: "throttle", operation: "noSuchOperation" })).status).toBe(400)
    expect((await call(sim.url, "DELETE", "/_sim/faults")).status).toBe(200)
    expect((await call<unknown[]>(sim.url, "GET", "/_sim/faults")).body).toHaveLength(0)

    const before = sim.control.now()
    const advanced = await post("/_sim/clock/advance", { ms: 3_600_000 })
    expect(Date.parse(advanced.body.now as string)).toBeGreaterThanOrEqual(before + 3_600_000)
    expect((await post("/_sim/clock/advance", { ms: -5 })).status).toBe(400)

    const plan = await call(sim.url, "PUT", "/_sim/quotas/orders-2026-01-01.searchOrders", { body: { rate: 1, burst: 50 } })
    expect(plan.body).toEqual({ rate: 1, burst: 50 })
    expect((await post("/_sim/tokens/expire")).status).toBe(200)
    expect((await call(sim.url, "GET", "/_sim/counters")).status).toBe(200)
    expect((await call(sim.url, "DELETE", "/_sim/counters")).body).toEqual({ ok: true })
    expect((await call(sim.url, "GET", "/_sim/nothing-here")).status).toBe(404)
    expect((await call(sim.url, "POST", "/_sim/seed", { rawBody: "{not json", headers: { "content-type": "application/json" } })).status).toBe(400)
  })

  it("answers unknown SP-API routes with 404 NotFound in Amazon's error shape", async () => {
    const res = await call(sim.url, "GET", "/catalog/2022-04-01/items", { token })
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ errors: [{ code: "NotFound", message: "Resource not found: GET /catalog/2022-04-01/items" }] })
  })
})
