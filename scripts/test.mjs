#!/usr/bin/env node
// `npm test`: unit tests, then module and HTTP integration tests against one PostgreSQL (found or
// embedded, see db.mjs). Extra arguments are passed to jest (e.g. `npm test -- stock-push`).
import { spawn } from "node:child_process"
import { acquireDatabase } from "./db.mjs"

const extra = process.argv.slice(2)
const jest = ["node_modules/.bin/jest", "--runInBand", "--forceExit", ...extra]
const suites = [
  { name: "unit", env: { TEST_TYPE: "unit" } },
  { name: "integration:modules", env: { TEST_TYPE: "integration:modules" }, db: true },
  { name: "integration:http", env: { TEST_TYPE: "integration:http" }, db: true },
]

const started = Date.now()
let db
let failed = []
for (const suite of suites) {
  if (suite.db && !db) {
    db = await acquireDatabase()
    process.stderr.write(`db: using ${db.source}\n`)
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
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --experimental-vm-modules`.trim(),
      },
    })
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
  if (status !== 0) {
    failed.push(suite.name)
  }
}
await db?.stop()
const secs = ((Date.now() - started) / 1000).toFixed(1)
if (failed.length) {
  process.stderr.write(`\nnpm test: FAILED (${failed.join(", ")}) in ${secs} s\n`)
  process.exit(1)
}
process.stderr.write(`\nnpm test: all suites passed in ${secs} s\n`)
