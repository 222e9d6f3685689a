import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"

/**
 * Runs `npm run demo` for a fixed time, as a newcomer would, and checks the two effects the demo is
 * for: a store order lowers the quantity Amazon shows, and an Amazon order becomes a Medusa order.
 */
jest.setTimeout(300_000)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on("error", reject)
  })
}

describe("npm run demo", () => {
  it("shows a store order lowering Amazon's quantity and an Amazon order becoming a Medusa order", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "amazon-demo-"))
    const summaryFile = path.join(dir, "summary.json")
    const port = await freePort()
    const root = path.resolve(__dirname, "../..")
    const output: string[] = []
    const started = Date.now()
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        "npm",
        ["run", "demo", "--", "--duration", "85", "--no-admin", "--port", String(port), "--db-name", `medusa_amazon_demo_test_${process.pid}`, "--summary-file", summaryFile],
        { cwd: root, env: { ...process.env, NODE_ENV: "development" }, stdio: ["ignore", "pipe", "pipe"] }
      )
      child.stdout.on("data", (d) => output.push(String(d)))
      child.stderr.on("data", (d) => output.push(String(d)))
      child.on("exit", (c) => resolve(c))
    })
    const log = output.join("")
    const elapsed = (Date.now() - started) / 1000
    if (code !== 0) {
      throw new Error(`demo exited with ${code} after ${elapsed}s:\n${log.slice(-4000)}`)
    }
    const summary = JSON.parse(readFileSync(summaryFile, "utf8"))
    expect(summary.storeOrders).toBeGreaterThan(0)
    expect(summary.storeOrderLoweredAmazon).toBe(true)
    expect(summary.amazonOrderBecameMedusaOrder).toBe(true)
    expect(summary.amazonOrdersImported[0].medusaOrderId).toMatch(/^order_/)
    expect(summary.errors).toEqual([])
    expect(log).toContain("stopped cleanly")
    // the whole run, boot included, stays within the 3 minutes promised in the README
    expect(elapsed).toBeLessThan(180)
  })
})
