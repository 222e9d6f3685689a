#!/usr/bin/env node
// `npm test`: unit tests, then module and HTTP integration tests against one PostgreSQL (found or
// embedded, see db.mjs). Extra arguments are passed to jest (e.g. `npm test -- stock-push`).
import { spawn } from "node:child_process"
import { acquireDatabase, dropNewTestDatabases, listDatabases, TEST_DATABASE_NAMES } from "./db.mjs"

const extra = process.argv.slice(2)
const jest = ["node_modules/.bin/jest", "--runInBand", "--forceExit", ...extra]
const suites = [
  { name: "unit", env: { TEST_TYPE: "unit" } },
  { name: "integration:modules", env: { TEST_TYPE: "integration:modules" }, db: true },
  { name: "integration:http", env: { TEST_TYPE: "integration:http" }, db: true },
]

const started = Date.now()
let db
/** The server's databases before the run (not on an embedded server, which goes away with everything in it). */
let before
let failed = []
for (const suite of suites) {
  if (suite.db && !db) {
    db = await acquireDatabase()
    process.stderr.write(`db: using ${db.source}\n`)
    before = db.embedded ? undefined : await listDatabases(db.env).catch(() => undefined)
  }
  process.stderr.write(`\n=== ${suite.name} ===\n`)
  // Asynchronous on purpose: an embedded PostgreSQL writes its log to a pipe this process must keep
  // reading; spawnSync would stop the event loop, the pipe would fill and the server would hang.
  const status = await new Promise((resolve) => {
    const child = spawn(process.execPath, [...jest, ...(extra.length ? ["--passWithNoTests"] : [])], {
      stdio: "inherit",
      env: {
        ...process.env,
        ...(db?.env ?? {}),
        ...suite.env,
        // One jest process runs every HTTP suite in band (each boots a Medusa app); what the apps leave
        // behind adds up to Node's default heap limit (~4 GB) by the last of 23 files. 8 GB of the
        // machine's 24: measured peak about 4 GB.
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --experimental-vm-modules --max-old-space-size=8192`.trim(),
      },
    })
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
  if (status !== 0) {
    failed.push(suite.name)
  }
}
if (db && before) {
  // Test databases a failed or killed suite left behind (never any other database, see db.mjs).
  try {
    const { dropped, kept } = await dropNewTestDatabases(db.env, before)
    if (dropped.length || kept.length) {
      process.stderr.write(`db: dropped ${dropped.length} test database(s) left behind${kept.length ? `; kept ${kept.length} in use by another run` : ""}\n`)
    }
    // The promise: after `npm test`, no database the tests created remains (one another run is using is its own).
    const left = (await listDatabases(db.env)).filter((name) => !before.includes(name) && TEST_DATABASE_NAMES.some((re) => re.test(name)))
    const stray = left.filter((name) => !kept.includes(name))
    if (stray.length) {
      process.stderr.write(`db: test databases remain after the run: ${stray.join(", ")}\n`)
      failed.push("database clean-up")
    }
  } catch (e) {
    process.stderr.write(`db: could not drop the test databases this run left behind: ${e instanceof Error ? e.message : e}\n`)
    failed.push("database clean-up")
  }
}
await db?.stop()
const secs = ((Date.now() - started) / 1000).toFixed(1)
if (failed.length) {
  process.stderr.write(`\nnpm test: FAILED (${failed.join(", ")}) in ${secs} s\n`)
  process.exit(1)
}
process.stderr.write(`\nnpm test: all suites passed in ${secs} s\n`)
