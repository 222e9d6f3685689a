#!/usr/bin/env node
// `npm run test:install`: the plugin as a merchant gets it, in an ordinary Medusa store.
//
// Packs this repository (`npm pack`, whose `prepare` builds), checks the tarball (every `exports` target
// present, declaration files, LICENSE/NOTICE, every migration), creates a minimal Medusa store from npm
// packages in a temp folder, installs the tarball (no --legacy-peer-deps: a peer conflict fails), type-
// checks store code against the plugin's exports, runs `medusa db:migrate` on a new database, `medusa
// build`, installs and starts the built server from `.medusa/server` as Medusa's docs say, checks that
// the admin bundle holds the plugin's pages, and then, over HTTP only, with an admin token: calls the
// plugin's routes, connects an account to the SP-API simulator, imports and links a listing, and sees
// two stock changes reach the simulator through the plugin's subscribers and scheduled jobs. The server
// log must stay free of errors (a job failing on a missing table shows there first).
//
// Options:
//   --medusa <version>   @medusajs/* version of the store (default: the one this repository builds with)
//   --tarball <file>     install this tarball instead of packing again
//   --prebuilt           pack the existing build (`npm pack --ignore-scripts`; CI's `npm ci` ran prepare)
//   --break-package      remove the newest migration from the packed tree first: the test must then fail
//   --keep               keep the store folder and the database (printed) for a look afterwards
//
// Everything it creates is removed at the end (store folder, database, processes), also on failure.
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import { acquireDatabase } from "./db.mjs"
import { MEDUSA_CONFIG, storePackageJson, TSCONFIG, TYPES_CHECK, TYPES_TSCONFIG } from "./install-test/store-files.mjs"

const require = createRequire(import.meta.url)
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..")
const repoPkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"))

const { values: args } = parseArgs({
  options: {
    medusa: { type: "string" },
    tarball: { type: "string" },
    prebuilt: { type: "boolean" },
    "break-package": { type: "boolean" },
    keep: { type: "boolean" },
  },
})
const medusaVersion = args.medusa ?? repoPkg.devDependencies["@medusajs/medusa"]
if (!/^\d+\.\d+\.\d+/.test(medusaVersion)) {
  console.error(`--medusa needs an exact version (e.g. 2.21.2), got '${medusaVersion}'`)
  process.exit(2)
}

const started = Date.now()
const phases = []
const checks = []
const cleanups = []
/** Stops of the long-running children, run together before the other clean-ups. */
const stoppers = []
let logDir = ""
/** The built server while it runs (its log is printed when the test fails). */
let serverProcess

function say(line) {
  process.stdout.write(`[install ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`)
}

/** Runs one named phase and records its duration. */
async function phase(name, fn) {
  const t0 = Date.now()
  say(`${name} …`)
  try {
    return await fn()
  } finally {
    phases.push({ name, seconds: Math.round((Date.now() - t0) / 100) / 10 })
  }
}

/** A check: throws with the message when the condition is false, counts it otherwise. */
function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`)
  checks.push(message)
  say(`ok: ${message}`)
}

/**
 * Runs a command to completion, its output in a log file (printed in part on failure); resolves with the
 * combined output and stdout alone. Asynchronous on
 * purpose: an embedded PostgreSQL's log pipe is read by this process, spawnSync would starve it.
 */
function run(cmd, cmdArgs, { cwd, env = {}, timeoutMs = 600_000, label }) {
  const logFile = path.join(logDir, `${label}.log`)
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let stdout = ""
    child.stdout.on("data", (d) => {
      out += d
      stdout += d
    })
    child.stderr.on("data", (d) => (out += d))
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.on("error", reject)
    child.on("exit", (code, signal) => {
      clearTimeout(timer)
      writeFileSync(logFile, out)
      if (code === 0) return resolve({ out, stdout })
      reject(new Error(`${label}: \`${cmd} ${cmdArgs.join(" ")}\` exited ${code ?? signal} (log: ${logFile})\n${tail(out, 60)}`))
    })
  })
}

function tail(text, lines) {
  return text.split("\n").slice(-lines).join("\n")
}

/** A long-running child in its own process group, stopped (with its children) at the end. */
function startProcess(cmd, cmdArgs, { cwd, env, label }) {
  const logFile = path.join(logDir, `${label}.log`)
  const child = spawn(cmd, cmdArgs, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true })
  const handle = { child, output: "", logFile, exited: null }
  child.stdout.on("data", (d) => (handle.output += d))
  child.stderr.on("data", (d) => (handle.output += d))
  child.on("exit", (code, signal) => (handle.exited = code ?? signal))
  stoppers.push(async () => {
    writeFileSync(logFile, handle.output)
    if (handle.exited !== null) return
    try {
      process.kill(-child.pid, "SIGTERM")
    } catch {
      return
    }
    const until = Date.now() + 10_000
    while (handle.exited === null && Date.now() < until) await sleep(100)
    if (handle.exited === null) {
      try {
        process.kill(-child.pid, "SIGKILL")
      } catch {
        // already gone
      }
    }
  })
  return handle
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
    srv.on("error", reject)
  })
}

/** Polls until fn returns a truthy value; fails naming what it waited for (and the last value seen). */
async function waitFor(what, fn, { timeoutMs = 60_000, intervalMs = 500, process: proc } = {}) {
  const until = Date.now() + timeoutMs
  let last
  for (;;) {
    if (proc && proc.exited !== null) {
      throw new Error(`${what}: the process exited (${proc.exited}) while waiting\n${tail(proc.output, 60)}`)
    }
    try {
      last = await fn()
      if (last) return last
    } catch (e) {
      last = e instanceof Error ? e.message : e
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${JSON.stringify(last)})`)
    await sleep(intervalMs)
  }
}

async function http(base, method, url, { token, body, expect = [200] } = {}) {
  const res = await fetch(`${base}${url}`, {
    method,
    // A POST always carries JSON (the plugin's admin routes answer 415 otherwise, as Medusa's own admin sends it).
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method !== "GET" ? { "content-type": "application/json" } : {}) },
    body: method !== "GET" ? JSON.stringify(body ?? {}) : undefined,
  })
  const text = await res.text()
  let json
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  if (!expect.includes(res.status)) {
    throw new Error(`${method} ${url} answered ${res.status} (expected ${expect.join("/")}): ${text.slice(0, 800)}`)
  }
  return { status: res.status, json, text }
}

/** Files in the packed tarball, from `npm pack --json`. */
function packedFiles(packJson) {
  return new Set(packJson.files.map((f) => f.path))
}

/** Every `exports` target (and its `types`) exists in the tarball; a pattern matches at least one file. */
function checkExports(files) {
  const targets = []
  for (const [key, value] of Object.entries(repoPkg.exports)) {
    const conds = typeof value === "string" ? { default: value } : value
    for (const [cond, target] of Object.entries(conds)) targets.push({ key, cond, target: target.replace(/^\.\//, "") })
  }
  for (const { key, cond, target } of targets) {
    if (!target.includes("*")) {
      check(files.has(target), `exports["${key}"].${cond} → ${target} is in the tarball`)
      continue
    }
    const [before, after] = target.split("*")
    const matches = [...files].filter((f) => f.startsWith(before) && f.endsWith(after))
    check(matches.length > 0, `exports["${key}"].${cond} → ${target} matches ${matches.length} file(s) in the tarball`)
  }
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), "install-store-"))
  logDir = path.join(work, "logs")
  mkdirSync(logDir)
  const store = path.join(work, "store")
  mkdirSync(store)
  if (!args.keep) cleanups.push(async () => rmSync(work, { recursive: true, force: true }))
  say(`medusa ${medusaVersion}, work folder ${work}`)

  // 1. The package, as `npm pack` makes it (prepare runs the build), while npm installs a store from npm
  // packages next to it (mostly waiting on the network and the disk, so the two overlap well).
  writeFileSync(path.join(store, "package.json"), JSON.stringify(storePackageJson({ medusaVersion, repoPkg }), null, 2))
  writeFileSync(path.join(store, "medusa-config.ts"), MEDUSA_CONFIG)
  writeFileSync(path.join(store, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2))
  mkdirSync(path.join(store, "src"))
  writeFileSync(path.join(store, "src", "README.md"), "The store's own customisations (none in this test store).\n")
  const npmEnv = { NPM_CONFIG_AUDIT: "false", NPM_CONFIG_FUND: "false", NPM_CONFIG_UPDATE_NOTIFIER: "false" }
  const storeInstalled = phase(`npm install (store on @medusajs/medusa ${medusaVersion})`, () =>
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: store, env: npmEnv, label: "npm-install-store", timeoutMs: 600_000 })
  )
  // Both settle before going on (no install left running if packing fails).
  storeInstalled.catch(() => undefined)

  let tarball
  const packed = phase("pack", async () => {
    const packDir = path.join(work, "pack")
    mkdirSync(packDir)
    let packJson
    if (args.tarball) {
      tarball = path.join(packDir, path.basename(args.tarball))
      copyFileSync(path.resolve(args.tarball), tarball)
      const { stdout: listing } = await run("tar", ["tzf", tarball], { cwd: packDir, label: "tar-list" })
      packJson = { files: listing.split("\n").filter((l) => l && !l.endsWith("/")).map((l) => l.replace(/^package\//, "")) }
    } else {
      if (args.prebuilt && !existsSync(path.join(ROOT, ".medusa/server/src/modules/amazon/index.d.ts"))) {
        throw new Error("--prebuilt: no build in .medusa/server (run `npm run build` first)")
      }
      const packArgs = ["pack", "--json", "--pack-destination", packDir, ...(args.prebuilt ? ["--ignore-scripts"] : [])]
      const { stdout } = await run("npm", packArgs, { cwd: ROOT, label: "npm-pack", timeoutMs: 300_000 })
      // prepare's own output (the build) precedes the JSON array on stdout
      packJson = JSON.parse(stdout.slice(stdout.search(/^\[/m)))[0]
      tarball = path.join(packDir, packJson.filename)
    }
    const files = packedFiles(packJson)
    check(files.has("LICENSE") && files.has("NOTICE"), "LICENSE and NOTICE are in the tarball")
    checkExports(files)
    const migrations = readdirSync(path.join(ROOT, "src/modules/amazon/migrations")).filter((f) => /^Migration\d+\.ts$/.test(f))
    const missing = migrations.filter((m) => !files.has(`.medusa/server/src/modules/amazon/migrations/${m.replace(/\.ts$/, ".js")}`))
    check(missing.length === 0, `all ${migrations.length} migrations of src/ are in the tarball${missing.length ? ` (missing: ${missing.join(", ")})` : ""}`)
    check(![...files].some((f) => /(^|\/)(__tests__|integration-tests|simulator|demo)\//.test(f)), "no tests, simulator or demo in the tarball")
    say(`tarball ${path.basename(tarball)}: ${files.size} files`)
  })
  const [packResult, storeResult] = await Promise.allSettled([packed, storeInstalled])
  for (const r of [packResult, storeResult]) if (r.status === "rejected") throw r.reason

  if (args["break-package"]) {
    await phase("break the package (--break-package)", async () => {
      const unpacked = path.join(work, "broken")
      mkdirSync(unpacked)
      await run("tar", ["xzf", tarball, "-C", unpacked], { cwd: work, label: "tar-x" })
      const dir = path.join(unpacked, "package/.medusa/server/src/modules/amazon/migrations")
      const newest = readdirSync(dir).filter((f) => /^Migration\d+\.js$/.test(f)).sort().at(-1)
      rmSync(path.join(dir, newest))
      await run("tar", ["czf", tarball, "-C", unpacked, "package"], { cwd: work, label: "tar-c" })
      say(`removed ${newest} from the packed tree: the test must fail from here on`)
    })
  }

  // 2. The tarball installed into the store as the README says.
  const tgzName = path.basename(tarball)
  copyFileSync(tarball, path.join(store, tgzName))
  await phase("npm install ./<tarball>", async () => {
    const { out } = await run("npm", ["install", `./${tgzName}`, "--prefer-offline", "--no-audit", "--no-fund"], { cwd: store, env: npmEnv, label: "npm-install-plugin" })
    const peerNoise = out.split("\n").filter((l) => /^npm (warn|error)/i.test(l) && /ERESOLVE|peer/i.test(l))
    check(peerNoise.length === 0, `the tarball installs into a ${medusaVersion} store without peer warnings${peerNoise.length ? `:\n${peerNoise.join("\n")}` : ""}`)
    await run("npm", ["ls", "medusa-amazon-stock-sync", "@medusajs/framework", "@medusajs/medusa"], { cwd: store, env: npmEnv, label: "npm-ls" })
    check(true, "npm ls: the plugin and its Medusa peers resolve without invalid or missing peers")
  })
  await phase("type-check store code against the plugin's declarations", async () => {
    const dir = path.join(store, "plugin-types")
    mkdirSync(dir)
    writeFileSync(path.join(dir, "check.ts"), TYPES_CHECK)
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TYPES_TSCONFIG, null, 2))
    await run(process.execPath, [path.join(store, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: store, label: "tsc-types" })
    check(true, "store code compiles against medusa-amazon-stock-sync/workflows and /modules/amazon (strict, declarations found)")
  })

  // 3. A database of its own, dropped at the end.
  const db = await acquireDatabase({ log: say })
  cleanups.push(() => db.stop())
  const dbName = `medusa_install_test_${process.pid}_${randomBytes(3).toString("hex")}`
  const { Client } = require("pg")
  const pgConfig = { host: db.env.DB_HOST, port: Number(db.env.DB_PORT), user: db.env.DB_USERNAME, password: db.env.DB_PASSWORD || undefined }
  const admin = new Client({ ...pgConfig, database: "postgres" })
  await admin.connect()
  await admin.query(`create database "${dbName}"`)
  await admin.end()
  if (args.keep) {
    say(`--keep: database ${dbName} and ${work} are kept`)
  } else {
    cleanups.push(async () => {
      const c = new Client({ ...pgConfig, database: "postgres" })
      await c.connect()
      await c.query(`drop database if exists "${dbName}" with (force)`)
      await c.end()
    })
  }
  const dbUrl = new URL(db.env.DATABASE_URL)
  dbUrl.pathname = `/${dbName}`
  say(`database ${dbName} on ${db.source}`)

  const sim = { port: await freePort() }
  sim.url = `http://127.0.0.1:${sim.port}`
  const medusaPort = await freePort()
  const base = `http://127.0.0.1:${medusaPort}`
  const appEnv = {
    DATABASE_URL: dbUrl.toString(),
    PORT: String(medusaPort),
    MEDUSA_DISABLE_TELEMETRY: "true",
    LOG_LEVEL: "info",
    AMAZON_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    AMAZON_ALLOW_LOOPBACK_ENDPOINTS: "true",
    // The plugin's jobs on schedules of seconds, so a change reaches Amazon (and a failing job shows) quickly.
    AMAZON_STOCK_PUSH_SCHEDULE: "*/2 * * * * *",
    AMAZON_FEED_RESULTS_SCHEDULE: "*/5 * * * * *",
    AMAZON_ORDER_IMPORT_SCHEDULE: "*/5 * * * * *",
    AMAZON_ORDER_ACTIONS_SCHEDULE: "*/5 * * * * *",
    AMAZON_STATUS_SAMPLE_SCHEDULE: "*/5 * * * * *",
    AMAZON_FBA_SYNC_SCHEDULE: "*/10 * * * * *",
  }
  const medusaBin = (dir) => path.join(dir, "node_modules/@medusajs/cli/cli.js")

  // 4. db:migrate (database-bound) runs while `medusa build` and the install of the built server run
  // (CPU, disk). The built server is installed as Medusa's docs say: `npm install` in .medusa/server. Its
  // package.json (copied from the store) names the plugin as file:<tarball>: the tarball must sit next to it.
  const server = path.join(store, ".medusa/server")
  const migrated = phase("medusa db:migrate", () =>
    run(process.execPath, [medusaBin(store), "db:migrate"], { cwd: store, env: appEnv, label: "db-migrate" })
  )
  migrated.catch(() => undefined)
  const built = (async () => {
    await phase("medusa build", async () => {
      await run(process.execPath, [medusaBin(store), "build"], { cwd: store, env: appEnv, label: "medusa-build", timeoutMs: 600_000 })
      const assets = path.join(store, ".medusa/server/public/admin/assets")
      const bundle = readdirSync(assets)
        .filter((f) => f.endsWith(".js"))
        .map((f) => readFileSync(path.join(assets, f), "utf8"))
        .join("\n")
      // Strings only the plugin's admin has: its page label and the routes its pages call.
      for (const s of ['"Amazon sync"', "/admin/amazon/accounts", "/admin/amazon/listings"]) {
        check(bundle.includes(s), `the built admin bundle holds the plugin's pages (${s})`)
      }
    })
    await phase("npm install in .medusa/server", async () => {
      copyFileSync(path.join(store, tgzName), path.join(server, tgzName))
      await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: server, env: npmEnv, label: "npm-install-server", timeoutMs: 600_000 })
    })
  })()
  const [migrateResult, buildResult] = await Promise.allSettled([migrated, built])
  for (const r of [migrateResult, buildResult]) if (r.status === "rejected") throw r.reason

  const email = "install-test@example.com"
  const password = randomBytes(12).toString("hex")
  await phase("medusa user (admin)", () =>
    run(process.execPath, [medusaBin(server), "user", "-e", email, "-p", password], { cwd: server, env: { ...appEnv, NODE_ENV: "production" }, label: "medusa-user" })
  )

  const simProc = startProcess(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "simulator/cli.ts", "--port", String(sim.port)], {
    cwd: ROOT,
    env: {},
    label: "simulator",
  })
  const app = startProcess(process.execPath, [medusaBin(server), "start"], { cwd: server, env: { ...appEnv, NODE_ENV: "production" }, label: "medusa-start" })
  serverProcess = app
  await phase("medusa start (built server) and the simulator", async () => {
    await waitFor("the simulator", async () => (await fetch(`${sim.url}/_sim/health`)).ok, { timeoutMs: 60_000, process: simProc })
    await waitFor("GET /health of the built server", async () => (await fetch(`${base}/health`)).ok, { timeoutMs: 180_000, intervalMs: 1000, process: app })
  })

  await phase("the plugin over HTTP", async () => {
    const adminPage = await http(base, "GET", "/app", { expect: [200] })
    check(adminPage.text.includes("<div id=\"medusa\"") || adminPage.text.includes("<script"), "the built server serves the admin at /app")

    const auth = await http(base, "POST", "/auth/user/emailpass", { body: { email, password } })
    const token = auth.json?.token
    check(typeof token === "string" && token.length > 20, "an admin token from /auth/user/emailpass")
    const api = (method, url, opts = {}) => http(base, method, url, { token, ...opts })

    for (const route of ["/admin/amazon/accounts", "/admin/amazon/listings", "/admin/amazon/feeds", "/admin/amazon/orders", "/admin/amazon/sync-logs", "/admin/amazon/status", "/admin/amazon/fba-stock", "/admin/amazon/notifications", "/admin/amazon/mcf-orders"]) {
      const res = await api("GET", route)
      check(res.status === 200 && res.json && typeof res.json === "object", `GET ${route} → 200`)
    }
    const providers = (await api("GET", "/admin/fulfillment-providers?limit=50")).json?.fulfillment_providers ?? []
    check(
      providers.some((p) => p.id === "amazon-mcf_amazon-mcf"),
      `the MCF provider (medusa-amazon-stock-sync/providers/amazon-mcf) is registered in the built store (${providers.map((p) => p.id).join(", ")})`
    )
    const unauth = await http(base, "GET", "/admin/amazon/accounts", { expect: [401] })
    check(unauth.status === 401, "GET /admin/amazon/accounts without a token → 401")

    // A seller on the simulator, one listing with 0 units.
    const suffix = randomBytes(4).toString("hex").toUpperCase()
    const seller = {
      sellerId: `AINSTALL${suffix}`,
      clientId: `amzn1.application-oa2-client.install${suffix.toLowerCase()}`,
      clientSecret: `secret-${suffix}`,
      refreshToken: `Atzr|install-${suffix}`,
      marketplaceIds: ["A1PA6795UKMFR9"],
    }
    const sku = `INSTALL-${suffix}`
    await http(sim.url, "POST", "/_sim/sellers", { body: seller })
    await http(sim.url, "POST", "/_sim/listings", { body: [{ sellerId: seller.sellerId, sku, quantity: 0 }] })

    // The store side: a location, a product whose variant manages stock, 7 units at the location.
    const location = (await api("POST", "/admin/stock-locations", { body: { name: "Install test warehouse" } })).json.stock_location
    const product = (
      await api("POST", "/admin/products", {
        body: {
          title: "Install test tee",
          status: "published",
          options: [{ title: "Size", values: ["M"] }],
          variants: [{ title: "M", sku, manage_inventory: true, options: { Size: "M" }, prices: [{ currency_code: "eur", amount: 20 }] }],
        },
      })
    ).json.product
    const variant = product.variants[0]
    const inventory = (await api("GET", `/admin/inventory-items?sku=${encodeURIComponent(sku)}`)).json.inventory_items[0]
    await api("POST", `/admin/inventory-items/${inventory.id}/location-levels`, { body: { location_id: location.id, stocked_quantity: 7 } })

    // Connect the account (endpoints: the simulator, allowed by the store's loopback option).
    const account = (
      await api("POST", "/admin/amazon/accounts", {
        expect: [201],
        body: {
          name: "Install test seller",
          region: "EU",
          seller_id: seller.sellerId,
          marketplace_ids: seller.marketplaceIds,
          lwa_client_id: seller.clientId,
          lwa_client_secret: seller.clientSecret,
          refresh_token: seller.refreshToken,
          sp_api_base_url: sim.url,
          lwa_token_url: `${sim.url}/auth/o2/token`,
        },
      })
    ).json.account
    check(typeof account?.id === "string", "POST /admin/amazon/accounts connects an account to the simulator")
    const connection = (await api("POST", `/admin/amazon/accounts/${account.id}/test-connection`)).json.connection
    check(connection?.ok === true, `test connection succeeds (${JSON.stringify(connection).slice(0, 200)})`)

    // Import the seller's listings from "Amazon", then link the SKU to the variant.
    await api("POST", "/admin/amazon/listings/import", { body: { account_id: account.id }, expect: [202] })
    const listing = await waitFor(
      `listing ${sku} imported`,
      async () => (await api("GET", `/admin/amazon/listings?account_id=${account.id}&q=${encodeURIComponent(sku)}`)).json.listings.find((l) => l.seller_sku === sku),
      { process: app }
    )
    await api("POST", `/admin/amazon/listings/${listing.id}/link`, { body: { variant_id: variant.id } })
    const quantity = async () => (await http(sim.url, "GET", `/_sim/quantities?sellerId=${seller.sellerId}`)).json?.[sku]

    // The link queues the variant; the scheduled push sends the store's 7 units.
    const linkedAt = Date.now()
    await waitFor(`Amazon showing 7 for ${sku}`, async () => (await quantity()) === 7, { timeoutMs: 90_000, process: app })
    check(true, `the linked SKU reached Amazon with the store's stock (7) in ${((Date.now() - linkedAt) / 1000).toFixed(1)} s`)

    // A stock change in the store: the subscriber queues it, the scheduled job pushes it.
    const changedAt = Date.now()
    await api("POST", `/admin/inventory-items/${inventory.id}/location-levels/${location.id}`, { body: { stocked_quantity: 4 } })
    await waitFor(`Amazon showing 4 for ${sku}`, async () => (await quantity()) === 4, { timeoutMs: 90_000, process: app })
    check(true, `a stock change (7 → 4) reached Amazon in ${((Date.now() - changedAt) / 1000).toFixed(1)} s`)

    const listed = (await api("GET", `/admin/amazon/listings?account_id=${account.id}`)).json.listings.find((l) => l.id === listing.id)
    check(listed?.last_accepted_quantity === 4 || listed?.last_sent_quantity === 4, "the admin shows the quantity Amazon got (4)")

    // Let every fast job run at least twice more, then the server log must hold no error.
    await sleep(12_000)
    const errors = app.output.split("\n").filter((l) => /"level":"error"|\berror\b:|^\s*error\s/i.test(l))
    check(errors.length === 0, `the server log has no errors${errors.length ? `:\n${errors.slice(0, 6).join("\n")}` : ""}`)
  })
}

async function cleanUp() {
  const t0 = Date.now()
  await Promise.all(stoppers.splice(0).map((stop) => stop().catch((e) => say(`stop: ${e instanceof Error ? e.message : e}`))))
  say(`processes stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((e) => say(`cleanup: ${e instanceof Error ? e.message : e}`))
  }
  phases.push({ name: "clean-up", seconds: Math.round((Date.now() - t0) / 100) / 10 })
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    say(`${signal}: stopping and removing what this run created`)
    await cleanUp()
    process.exit(130)
  })
}

let failure
try {
  await main()
} catch (e) {
  failure = e
  if (serverProcess && serverProcess.exited === null) {
    process.stdout.write(`\n--- last lines of the built server's log ---\n${tail(serverProcess.output, 40)}\n`)
  }
}
await cleanUp()
const total = ((Date.now() - started) / 1000).toFixed(1)
say(`phases: ${phases.map((p) => `${p.name} ${p.seconds} s`).join(" | ")}`)
if (failure) {
  process.stdout.write(`\n${failure instanceof Error ? failure.message : String(failure)}\n`)
  process.stdout.write(`test:install (medusa ${medusaVersion}) FAILED after ${total} s${args.keep ? ` (logs in ${logDir})` : ""}\n`)
  process.stdout.write(`install: ${checks.length} passed, 1 failed\n`)
  process.exit(1)
}
process.stdout.write(`test:install (medusa ${medusaVersion}) passed in ${total} s\n`)
process.stdout.write(`install: ${checks.length} passed, 0 failed\n`)
