import {
  awaitingConfirmation,
  confirmDelays,
  DEFAULT_CONFIRM_DELAYS_MS,
  firstConfirmDueAt,
  judgeConfirmation,
  REPUSH_MEMORY_MS,
  shownMerchantQuantity,
} from "../confirmation"

const acceptedAt = new Date("2026-12-05T10:00:00Z")
const at = (ms: number) => new Date(acceptedAt.getTime() + ms)
const delays = [5_000, 30_000, 120_000, 600_000]

describe("confirmDelays", () => {
  it("defaults to 5 s, 30 s, 2 min, 10 min", () => {
    expect(confirmDelays({})).toEqual([5_000, 30_000, 120_000, 600_000])
    expect(DEFAULT_CONFIRM_DELAYS_MS).toEqual([5_000, 30_000, 120_000, 600_000])
  })
  it("reads a comma-separated list, sorted", () => {
    expect(confirmDelays({ AMAZON_CONFIRM_DELAYS_MS: "1000, 200" })).toEqual([200, 1000])
  })
  it("off turns confirmation off", () => {
    expect(confirmDelays({ AMAZON_CONFIRM_DELAYS_MS: "off" })).toEqual([])
    expect(awaitingConfirmation(acceptedAt, [])).toEqual({ confirm_status: null, confirm_due_at: null, confirm_attempts: 0 })
  })
  it("falls back to the default on garbage", () => {
    expect(confirmDelays({ AMAZON_CONFIRM_DELAYS_MS: "soon" })).toEqual([...DEFAULT_CONFIRM_DELAYS_MS])
    expect(confirmDelays({ AMAZON_CONFIRM_DELAYS_MS: "-5" })).toEqual([...DEFAULT_CONFIRM_DELAYS_MS])
  })
})

describe("firstConfirmDueAt / awaitingConfirmation", () => {
  it("is the first delay after the acceptance", () => {
    expect(firstConfirmDueAt(acceptedAt, delays)).toEqual(at(5_000))
    expect(awaitingConfirmation(acceptedAt, delays)).toEqual({ confirm_status: "waiting", confirm_due_at: at(5_000), confirm_attempts: 0 })
  })
})

describe("judgeConfirmation", () => {
  const base = { accepted: 7, acceptedAt, attempts: 0, repushedAt: null }

  it("confirms when Amazon shows the accepted quantity", () => {
    expect(judgeConfirmation({ ...base, shown: 7, now: at(5_000) }, delays)).toEqual({ status: "confirmed" })
  })

  it("reads again at the next delay while reads remain", () => {
    expect(judgeConfirmation({ ...base, shown: 9, now: at(5_000) }, delays)).toEqual({ status: "waiting", due_at: at(30_000) })
    expect(judgeConfirmation({ ...base, shown: 9, attempts: 2, now: at(120_000) }, delays)).toEqual({ status: "waiting", due_at: at(600_000) })
  })

  it("never schedules the next read in the past when the run is late", () => {
    const now = at(3_600_000)
    const v = judgeConfirmation({ ...base, shown: 9, now }, delays)
    expect(v).toEqual({ status: "waiting", due_at: new Date(now.getTime() + 5_000) })
  })

  it("calls a quantity still not shown after the last read a mismatch (send once more)", () => {
    expect(judgeConfirmation({ ...base, shown: 9, attempts: 3, now: at(600_000) }, delays)).toEqual({ status: "mismatch" })
    // no quantity at all is not the accepted one either
    expect(judgeConfirmation({ ...base, shown: null, attempts: 3, now: at(600_000) }, delays)).toEqual({ status: "mismatch" })
  })

  it("reports not applied when the quantity was already sent again within a day", () => {
    const repushedAt = at(-60_000)
    expect(judgeConfirmation({ ...base, shown: 9, attempts: 3, repushedAt, now: at(600_000) }, delays)).toEqual({ status: "not_applied" })
  })

  it("re-pushes again once the last re-push is older than a day", () => {
    const repushedAt = at(-REPUSH_MEMORY_MS - 1)
    expect(judgeConfirmation({ ...base, shown: 9, attempts: 3, repushedAt, now: at(600_000) }, delays)).toEqual({ status: "mismatch" })
  })

  it("with a single read, a wrong quantity is a mismatch at once", () => {
    expect(judgeConfirmation({ ...base, shown: 2, now: at(500) }, [500])).toEqual({ status: "mismatch" })
  })
})

describe("shownMerchantQuantity", () => {
  it("reads the DEFAULT channel's quantity", () => {
    expect(
      shownMerchantQuantity({ fulfillmentAvailability: [{ fulfillmentChannelCode: "AMAZON_EU" }, { fulfillmentChannelCode: "DEFAULT", quantity: 4 }] })
    ).toBe(4)
  })
  it("is null without a merchant quantity", () => {
    expect(shownMerchantQuantity({ fulfillmentAvailability: [{ fulfillmentChannelCode: "AMAZON_NA", quantity: 3 }] })).toBeNull()
    expect(shownMerchantQuantity({})).toBeNull()
    expect(shownMerchantQuantity(undefined)).toBeNull()
  })
  it("reads 0 as 0, not as missing", () => {
    expect(shownMerchantQuantity({ fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: 0 }] })).toBe(0)
  })
})
