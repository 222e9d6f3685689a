#!/usr/bin/env node
// Generates migrations for the amazon module after a model change: `npm run db:generate`.
// Needs a PostgreSQL (found or embedded, see db.mjs) because MikroORM diffs against a real database.
import { spawn } from "node:child_process"
import { acquireDatabase } from "./db.mjs"

const db = await acquireDatabase()
// Asynchronous: an embedded PostgreSQL's log pipe must keep being read (see test.mjs).
const status = await new Promise((resolve) => {
  const child = spawn("npx", ["medusa", "plugin:db:generate"], {
    stdio: "inherit",
    env: {
      ...process.env,
      ...db.env,
      MEDUSA_DISABLE_TELEMETRY: "true",
      AMAZON_ENCRYPTION_KEY: process.env.AMAZON_ENCRYPTION_KEY ?? "0".repeat(64),
    },
  })
  child.on("exit", (code) => resolve(code ?? 1))
})
await db.stop()
process.exit(status)
