#!/usr/bin/env node
// Runs a shell command with a PostgreSQL available (see db.mjs): `node scripts/with-db.mjs "<command>"`.
// On a server it did not start, it then drops the test databases the command left behind (a suite that
// fails or is killed before its afterAll keeps its `medusa-…-integration-N` database and template).
import { spawn } from "node:child_process"
import { acquireDatabase, dropNewTestDatabases, listDatabases } from "./db.mjs"

const command = process.argv.slice(2).join(" ")
if (!command) {
  console.error('usage: node scripts/with-db.mjs "<command>"')
  process.exit(2)
}

const db = await acquireDatabase()
process.stderr.write(`db: using ${db.source}\n`)
// An embedded server is deleted with everything in it on stop. Without a list from before the run nothing
// can be told apart as this run's, so nothing is dropped.
const before = db.embedded
  ? undefined
  : await listDatabases(db.env).catch((e) => {
      process.stderr.write(`db: cannot list databases (${e.message}); test databases left behind will not be dropped\n`)
      return undefined
    })
const child = spawn(command, { shell: true, stdio: "inherit", env: { ...process.env, ...db.env } })
const forward = (sig) => child.kill(sig)
process.on("SIGINT", forward)
process.on("SIGTERM", forward)
child.on("exit", async (code, signal) => {
  if (before) {
    try {
      const { dropped, kept } = await dropNewTestDatabases(db.env, before)
      process.stderr.write(
        `db: dropped ${dropped.length} test database(s) this run left behind` +
          (kept.length ? `; kept ${kept.length} still in use by another connection (${kept.join(", ")})` : "") +
          "\n"
      )
    } catch (e) {
      process.stderr.write(`db: could not drop the test databases this run left behind: ${e.message}\n`)
    }
  }
  await db.stop()
  process.exit(code ?? (signal ? 1 : 0))
})
