import { notificationHealth } from "../utils/notification-view"
import { consumerTiming, subscribedTypes } from "../constants"

const now = Date.parse("2026-12-06T12:00:00Z")
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000)
const base = { status: "active", last_error: null, last_error_at: null, last_receive_at: at(0.2), last_message_at: at(5), created_at: at(100) } as never

describe("notificationHealth", () => {
  it("is live while messages arrive, quiet after a while without, and always names polling when not live", () => {
    expect(notificationHealth(base, now, 60)).toMatchObject({ health: "live" })
    const quiet = notificationHealth({ ...(base as object), last_message_at: at(90) } as never, now, 60)
    expect(quiet).toMatchObject({ health: "quiet" })
    expect(quiet.text).toMatch(/polling covers/)
    expect(notificationHealth({ ...(base as object), last_message_at: null } as never, now, 60)).toMatchObject({ health: "quiet" })
  })
  it("is an error when the queue cannot be read or nothing read it for minutes, and off once removed", () => {
    const broken = notificationHealth({ ...(base as object), last_error: "InvalidClientTokenId (HTTP 403): …", last_error_at: at(0.1), last_receive_at: at(3) } as never, now, 60)
    expect(broken).toMatchObject({ health: "error" })
    expect(broken.text).toMatch(/InvalidClientTokenId.*Polling goes on/)
    // a later successful receive clears it
    expect(notificationHealth({ ...(base as object), last_error: "x", last_error_at: at(1), last_receive_at: at(0.1) } as never, now, 60)).toMatchObject({ health: "live" })
    expect(notificationHealth({ ...(base as object), last_receive_at: at(10) } as never, now, 60).text).toMatch(/worker/)
    expect(notificationHealth({ ...(base as object), last_receive_at: null } as never, now, 60)).toMatchObject({ health: "starting" })
    expect(notificationHealth({ ...(base as object), status: "removed" } as never, now, 60)).toMatchObject({ health: "off" })
  })
})

describe("notification settings", () => {
  it("subscribes to the EventBridge-only type only with an EventBridge account", () => {
    expect(subscribedTypes(false)).not.toContain("LISTINGS_ITEM_MFN_QUANTITY_CHANGE")
    expect(subscribedTypes(true)).toContain("LISTINGS_ITEM_MFN_QUANTITY_CHANGE")
  })
  it("reads the consumer's timings within SQS's bounds", () => {
    expect(consumerTiming({})).toEqual({ enabled: true, waitSeconds: 20, visibilitySeconds: 60, quietMinutes: 60 })
    expect(consumerTiming({ AMAZON_NOTIFICATIONS_WAIT_SECONDS: "90", AMAZON_NOTIFICATIONS: "off" })).toMatchObject({ enabled: false, waitSeconds: 20 })
    expect(consumerTiming({ AMAZON_NOTIFICATIONS_WAIT_SECONDS: "0" })).toMatchObject({ waitSeconds: 0 })
  })
})
