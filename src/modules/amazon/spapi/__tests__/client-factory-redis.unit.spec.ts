import type { Logger } from "@medusajs/framework/types"
import { SpApiClientFactory } from "../client-factory"

function recordingLogger() {
  const lines: { level: string; message: string }[] = []
  const log = (level: string) => (message: string) => void lines.push({ level, message })
  const logger = { warn: log("warn"), info: log("info"), error: log("error"), debug: log("debug") } as unknown as Logger
  return { logger, lines }
}

describe("SpApiClientFactory's Redis connection", () => {
  it("reports an unreachable Redis once (not one unhandled error per reconnect)", async () => {
    const { logger, lines } = recordingLogger()
    // Port 1 on loopback: nothing listens, every reconnect fails at once.
    const factory = new SpApiClientFactory({ redisUrl: "redis://127.0.0.1:1" }, logger)
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on("uncaughtException", onUnhandled)
    try {
      ;(factory as unknown as { getBucketStore(): unknown }).getBucketStore()
      const redis = (factory as unknown as { redis_: { on(e: string, f: (e: Error) => void): void } }).redis_
      let errors = 0
      redis.on("error", () => errors++)
      const until = Date.now() + 5_000
      while (errors < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
      expect(errors).toBeGreaterThanOrEqual(3)
      const warnings = lines.filter((l) => l.level === "warn")
      expect(warnings).toHaveLength(1)
      expect(warnings[0].message).toMatch(/Redis for the shared Amazon quotas is unreachable/)
      expect(unhandled).toEqual([])
    } finally {
      process.off("uncaughtException", onUnhandled)
      const redis = (factory as unknown as { redis_: { disconnect(): void } }).redis_
      redis.disconnect()
    }
  })
})
