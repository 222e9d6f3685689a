import { cronInWords, shipByText } from "../format"

describe("cronInWords", () => {
  it.each([
    // the plugin's defaults (src/jobs)
    ["* * * * *", "every minute"],
    ["*/2 * * * *", "every 2 minutes"],
    ["*/5 * * * *", "every 5 minutes"],
    ["*/15 * * * *", "every 15 minutes"],
    ["0 3 * * *", "daily at 03:00"],
    ["40 3 * * *", "daily at 03:40"],
    ["30 4 * * *", "daily at 04:30"],
    // the demo's schedules: seconds first
    ["*/5 * * * * *", "every 5 seconds"],
    ["*/10 * * * * *", "every 10 seconds"],
    ["* * * * * *", "every second"],
    ["0 */5 * * * *", "every 5 minutes"],
    ["0 0 3 * * *", "daily at 03:00"],
    // hours
    ["0 * * * *", "every hour"],
    ["0 */6 * * *", "every 6 hours"],
    ["15 */2 * * *", "every 2 hours at :15"],
    ["5 * * * *", "every hour at :05"],
    // extra spaces are not a different schedule
    ["  0  3 * * * ", "daily at 03:00"],
  ])("%s → %s", (cron, words) => {
    expect(cronInWords(cron)).toBe(words)
  })

  it.each([
    "0 3 * * 1", // weekdays: not a shape it reads
    "0 3 1 * *", // day of month
    "0,30 * * * *", // lists
    "0 9-17 * * *", // ranges
    "*/0 * * * *", // a step of 0 is no schedule
    "60 3 * * *", // out of range
    "0 24 * * *",
    "30 */5 * * * *", // seconds other than 0 with a minute step
    "@daily",
    "* * * *",
    "",
  ])("%s comes back unchanged", (cron) => {
    expect(cronInWords(cron)).toBe(cron)
  })
})

describe("shipByText", () => {
  const now = Date.parse("2026-12-05T12:00:00Z")
  it("says how long is left before Amazon's ship-by time, and when it is late", () => {
    expect(shipByText("2026-12-06T09:00:00Z", now)).toEqual({ text: "ship by in 21 h", late: false })
    expect(shipByText("2026-12-05T15:00:00Z", now)).toEqual({ text: "ship by in 3 h", late: true })
    expect(shipByText("2026-12-05T10:00:00Z", now)).toEqual({ text: "ship-by passed 2 h ago", late: true })
    expect(shipByText(null, now)).toBeNull()
  })
})
