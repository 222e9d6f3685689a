import { SimClock, toAmazonIso } from "../clock"
import { applyPatches, validatePatch } from "../domain/listing-patches"
import { ISSUE_CODES } from "../domain/issue-codes"
import { FaultManager } from "../faults"
import { formatRate, QuotaManager } from "../quota"

/** A clock that practically stands still unless advanced, so results do not depend on test speed. */
function frozenClock(): SimClock {
  return new SimClock({ startTime: 0, timeScale: 1e-9 })
}

describe("SimClock", () => {
  it("runs a chain of timers on advance as if time had flowed", () => {
    const clock = frozenClock()
    const fired: [string, number][] = []
    clock.schedule(10_000, () => {
      fired.push(["a", Math.round(clock.now())])
      clock.schedule(20_000, () => fired.push(["b", Math.round(clock.now())]))
    })
    clock.schedule(5_000, () => fired.push(["c", Math.round(clock.now())]))
    clock.advance(29_999)
    expect(fired).toEqual([
      ["c", 5_000],
      ["a", 10_000],
    ])
    clock.advance(1)
    expect(fired.map(([name]) => name)).toEqual(["c", "a", "b"])
    expect(fired[2][1]).toBe(30_000)
    clock.cancelAll()
  })

  it("fires timers on scaled real time", async () => {
    const clock = new SimClock({ timeScale: 10_000 })
    const done = new Promise<number>((resolve) => clock.schedule(60_000, () => resolve(clock.now())))
    const startedReal = Date.now()
    await done
    expect(Date.now() - startedReal).toBeLessThan(500)
  })

  it("cancels timers and rejects bad input", () => {
    const clock = frozenClock()
    const run = jest.fn()
    const id = clock.schedule(1_000, run)
    clock.cancel(id)
    clock.advance(5_000)
    expect(run).not.toHaveBeenCalled()
    expect(() => clock.advance(-1)).toThrow(RangeError)
    expect(() => clock.setTimeScale(0)).toThrow(RangeError)
  })

  it("formats timestamps to the second like Amazon", () => {
    expect(toAmazonIso(Date.parse("2026-01-02T03:04:05.678Z"))).toBe("2026-01-02T03:04:05Z")
  })
})

describe("QuotaManager", () => {
  it("starts full, refuses when empty without spending, and refills at rate per simulated second", () => {
    const clock = frozenClock()
    const quotas = new QuotaManager(clock)
    const op = "fba-inventory-v1.getInventorySummaries" // rate 2, burst 2
    expect(quotas.tryTake("S", op)).toBe(true)
    expect(quotas.tryTake("S", op)).toBe(true)
    expect(quotas.tryTake("S", op)).toBe(false)
    expect(quotas.available("S", op)).toBeCloseTo(0, 6)
    clock.advance(499)
    expect(quotas.tryTake("S", op)).toBe(false)
    clock.advance(1)
    expect(quotas.tryTake("S", op)).toBe(true)
    clock.advance(60_000)
    expect(quotas.available("S", op)).toBe(2)
    expect(quotas.tryTake("OTHER", op)).toBe(true)
  })

  it("accepts another usage plan and tracks sliding windows", () => {
    const clock = frozenClock()
    const quotas = new QuotaManager(clock)
    quotas.setPlan("orders-2026-01-01.searchOrders", { rate: 1, burst: 1 })
    expect(quotas.tryTake("S", "orders-2026-01-01.searchOrders")).toBe(true)
    expect(quotas.tryTake("S", "orders-2026-01-01.searchOrders")).toBe(false)
    expect(() => quotas.setPlan("orders-2026-01-01.searchOrders", { rate: 0, burst: 1 })).toThrow(RangeError)

    const window = { limit: 2, windowMs: 1_000 }
    expect(quotas.tryWindow("k", window)).toBe(true)
    clock.advance(500)
    expect(quotas.tryWindow("k", window)).toBe(true)
    expect(quotas.tryWindow("k", window)).toBe(false)
    clock.advance(501)
    expect(quotas.tryWindow("k", window)).toBe(true)
  })

  it("prints rates the way the x-amzn-RateLimit-Limit header does", () => {
    expect(formatRate(2)).toBe("2.0")
    expect(formatRate(0.0056)).toBe("0.0056")
  })
})

describe("FaultManager", () => {
  it("counts down, expires with simulated time and matches operations by key or operationId", () => {
    const clock = frozenClock()
    const faults = new FaultManager(clock)
    faults.add({ type: "throttle", operation: "getOrder", count: 2 })
    expect(faults.take("throttle", "orders-2026-01-01.getOrder")).toBeDefined()
    expect(faults.take("throttle", "orders-2026-01-01.searchOrders")).toBeUndefined()
    expect(faults.take("throttle", "orders-v0.getOrder")).toBeDefined()
    expect(faults.take("throttle", "orders-2026-01-01.getOrder")).toBeUndefined()

    faults.add({ type: "latency", ms: 5, durationMs: 1_000 })
    expect(faults.take("latency", "sellers-v1.getMarketplaceParticipations")?.ms).toBe(5)
    expect(faults.take("latency", "sellers-v1.getMarketplaceParticipations")?.ms).toBe(5)
    clock.advance(1_000)
    expect(faults.take("latency", "sellers-v1.getMarketplaceParticipations")).toBeUndefined()

    expect(() => faults.add({ type: "throttle", operation: "lwa.token" })).toThrow(TypeError)
    expect(() => faults.add({ type: "server-error", count: 0 })).toThrow(TypeError)
  })
})

describe("listing patch rules", () => {
  it("flags camelCase, nested paths and missing values", () => {
    expect(validatePatch({ op: "replace", path: "/attributes/fulfillmentAvailability", value: [] }, 0)?.code).toBe(ISSUE_CODES.INVALID_ATTRIBUTES)
    expect(validatePatch({ op: "replace", path: "/attributes/fulfillment_availability/0/quantity", value: [] }, 0)?.code).toBe(ISSUE_CODES.INVALID_ATTRIBUTES)
    expect(validatePatch({ op: "merge", path: "/attributes/fulfillment_availability" }, 3)?.message).toBe("Value is missing for patch at index of 3.")
    expect(validatePatch({ op: "delete", path: "/attributes/fulfillment_availability" }, 0)).toBeUndefined()
  })

  it("applies merge, replace and delete", () => {
    const start = { fulfillment_availability: [{ fulfillment_channel_code: "DEFAULT", quantity: 1, lead_time_to_ship_max_days: 4 }] }
    const merged = applyPatches(start, [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 9 }] }])
    expect(merged.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 9, lead_time_to_ship_max_days: 4 }])
    expect(start.fulfillment_availability[0].quantity).toBe(1)
    const deleted = applyPatches(merged, [{ op: "delete", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT" }] }])
    expect(deleted.fulfillment_availability).toBeUndefined()
  })
})
