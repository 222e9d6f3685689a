#!/usr/bin/env node
// Runs a shell command with a PostgreSQL available (see db.mjs): `node scripts/with-db.mjs "<command>"`.
import { spawn } from "node:child_process"
import { acquireDatabase } from "./db.mjs"

const command = process.argv.slice(2).join(" ")
if (!command) {
  console.error('usage: node scripts/with-db.mjs "<command>"')
  process.exit(2)
}

const db = await acquireDatabase()
process.stderr.write(`db: using ${db.source}\n`)
const child = spawn(command, { shell: true, stdio: "inherit", env: { ...process.env, ...db.env } })
const forward = (sig) => child.kill(sig)
process.on("SIGINT", forward)
process.on("SIGTERM", forward)
child.on("exit", async (code, signal) => {
  await db.stop()
  process.exit(code ?? (signal ? 1 : 0))
})
