import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { Client } from "pg"
import { DEMO_DATABASE_MARK } from "../../demo/database"
import { StoreOrderLags } from "../../demo/store-order-lag"

/**
 * Runs `npm run demo` for a fixed time, as a newcomer would, and checks the two effects the demo is
 * for: a store order lowers the quantity Amazon shows, and an Amazon order becomes a Medusa order.
 */
jest.setTimeout(300_000)

const ROOT = path.resolve(__dirname, "../..")
// Unique per run, and matched by scripts/with-db.mjs should a crash skip the drops below.
const DB_PREFIX = `medusa_amazon_demo_test_${process.pid}`

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

/** Runs one SQL statement on the server's maintenance database (the DB_* variables come from with-db.mjs). */
async function admin<T = unknown>(sql: string, params: unknown[] = [], database = "postgres"): Promise<T[]> {
  const client = new Client({
    host: process.env.DB_HOST ?? "localhost",
    port: Number(process.env.DB_PORT ?? 5432),
    user: process.env.DB_USERNAME ?? "postgres",
    password: process.env.DB_PASSWORD || undefined,
    database,
  })
  await client.connect()
  try {
    return (await client.query(sql, params)).rows as T[]
  } finally {
    await client.end()
  }
}

function runDemo(args: string[]): Promise<{ code: number | null; log: string; elapsed: number }> {
  const output: string[] = []
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "demo", "--", ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "development" },
      stdio: ["ignore", "pipe", "pipe"],
    })
    child.stdout.on("data", (d) => output.push(String(d)))
    child.stderr.on("data", (d) => output.push(String(d)))
    child.on("exit", (code) => resolve({ code, log: output.join(""), elapsed: (Date.now() - started) / 1000 }))
  })
}

describe("the demo's store → Amazon lag", () => {
  const order = (orderId: string, sku: string, placedAt: number, expectedOnAmazon: number) => ({ orderId, sku, placedAt, expectedOnAmazon })

  it("times a quantity from the order it shows, not from an earlier order of the SKU still waiting", () => {
    const lags = new StoreOrderLags()
    // An Amazon order's cancellation released a unit after the first store order, so Amazon showed 4, never 3.
    lags.placed(order("order_1", "DEMO-TEE-M", 0, 3))
    expect(lags.observed("DEMO-TEE-M", 4, 10_000)).toBeUndefined()
    lags.placed(order("order_2", "DEMO-TEE-M", 85_700, 3))
    const reached = lags.observed("DEMO-TEE-M", 3, 90_900)
    expect(reached?.order.orderId).toBe("order_2")
    expect(reached?.lagSeconds).toBeCloseTo(5.2, 5)
    expect(reached?.superseded.map((o) => o.orderId)).toEqual(["order_1"])
    expect(lags.waiting).toEqual([])
  })

  it("waits until Amazon reaches the quantity expected after the order, per SKU", () => {
    const lags = new StoreOrderLags()
    lags.placed(order("order_s", "DEMO-TEE-S", 1_000, 14))
    lags.placed(order("order_m", "DEMO-TEE-M", 2_000, 3))
    // the first push of the stale 50 and a push read before the order do not count
    expect(lags.observed("DEMO-TEE-S", 15, 3_000)).toBeUndefined()
    expect(lags.observed("DEMO-TEE-S", undefined, 3_000)).toBeUndefined()
    expect(lags.observed("DEMO-MUG", 0, 3_000)).toBeUndefined()
    // an Amazon order reserved a unit too: Amazon passes the expected value, the order is in it
    const reached = lags.observed("DEMO-TEE-S", 13, 4_500)
    expect(reached).toMatchObject({ order: { orderId: "order_s" }, lagSeconds: 3.5, superseded: [] })
    expect(lags.waiting.map((o) => o.orderId)).toEqual(["order_m"])
    expect(lags.observed("DEMO-TEE-S", 12, 6_000)).toBeUndefined()
  })

  it("leaves a later order waiting when Amazon shows only an earlier one", () => {
    const lags = new StoreOrderLags()
    lags.placed(order("order_1", "DEMO-MUG", 0, 23))
    lags.placed(order("order_2", "DEMO-MUG", 1_000, 22))
    expect(lags.observed("DEMO-MUG", 23, 2_000)).toMatchObject({ order: { orderId: "order_1" }, lagSeconds: 2, superseded: [] })
    expect(lags.observed("DEMO-MUG", 22, 3_000)).toMatchObject({ order: { orderId: "order_2" }, lagSeconds: 2, superseded: [] })
  })
})

describe("npm run demo", () => {
  afterAll(async () => {
    for (const { datname } of await admin<{ datname: string }>("select datname from pg_database where starts_with(datname, $1)", [DB_PREFIX])) {
      await admin(`drop database "${datname}" with (force)`)
    }
  })

  it("refuses to drop a database of the --db-name it did not create", async () => {
    const name = `${DB_PREFIX}_taken`
    await admin(`create database "${name}"`)
    await admin("create table kept (id int)", [], name)
    const { code, log } = await runDemo(["--duration", "5", "--no-admin", "--port", String(await freePort()), "--db-name", name])
    expect(code).toBe(1)
    expect(log).toContain(`database "${name}" already exists`)
    expect(log).toContain("--db-name")
    expect(log).not.toMatch(/^\s+at /m) // a message to act on, not a stack trace
    expect(await admin("select 1 from pg_tables where tablename = 'kept'", [], name)).toHaveLength(1)
  })

  it("shows a store order lowering Amazon's quantity and an Amazon order becoming a Medusa order", async () => {
    // A database an earlier demo run created (marked), with something left in it: reused, from scratch.
    await admin(`create database "${DB_PREFIX}"`)
    await admin(`comment on database "${DB_PREFIX}" is '${DEMO_DATABASE_MARK}'`)
    await admin("create table left_by_an_earlier_run (id int)", [], DB_PREFIX)

    const dir = mkdtempSync(path.join(os.tmpdir(), "amazon-demo-"))
    const summaryFile = path.join(dir, "summary.json")
    const port = await freePort()
    const { code, log, elapsed } = await runDemo(["--duration", "85", "--no-admin", "--port", String(port), "--db-name", DB_PREFIX, "--summary-file", summaryFile])
    if (code !== 0) {
      throw new Error(`demo exited with ${code} after ${elapsed}s:\n${log.slice(-4000)}`)
    }
    expect(log).toContain(`database ${DB_PREFIX} (fresh)`)
    expect(await admin("select 1 from pg_tables where tablename = 'left_by_an_earlier_run'", [], DB_PREFIX)).toHaveLength(0)

    const summary = JSON.parse(readFileSync(summaryFile, "utf8"))
    expect(summary.storeOrders).toBeGreaterThan(0)
    expect(summary.storeOrderLoweredAmazon).toBe(true)
    expect(summary.amazonOrderBecameMedusaOrder).toBe(true)
    expect(summary.amazonOrdersImported[0].medusaOrderId).toMatch(/^order_/)
    expect(summary.errors).toEqual([])
    // every timed store order is one printed line, and each order is timed, superseded or still waiting
    expect(summary.storeToAmazonLagsSeconds).toHaveLength(log.match(/reached Amazon in/g)?.length ?? 0)
    expect(summary.storeToAmazonLagsSeconds.length + summary.storeOrdersSuperseded + summary.storeOrdersNotYetOnAmazon).toBe(summary.storeOrders)
    // the admin is off: no admin address or login to follow
    expect(log).not.toContain(`localhost:${port}/app`)
    expect(log).not.toContain("supersecret")
    expect(log).toContain("stopped cleanly")
    // the whole run, boot included, stays within the 3 minutes promised in the README
    expect(elapsed).toBeLessThan(180)
  })
})
