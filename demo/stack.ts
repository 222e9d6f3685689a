/**
 * Boots the whole stack in one process for the demo and the benchmark: a PostgreSQL (found or
 * embedded), a fresh database with Medusa's and the plugin's migrations, the SP-API simulator, and a
 * Medusa app with this plugin (the same loaders `medusa develop` uses), listening on a port.
 */
import { spawnSync } from "node:child_process"
import path from "node:path"
import type { MedusaContainer } from "@medusajs/framework/types"
import { SimulatorHandle, SimulatorOptions, startSimulator } from "../simulator"
import { ensureDemoAdminBuild, serveDemoAdmin } from "./admin-bundle"
import { recreateDemoDatabase } from "./database"

export interface Stack {
  container: MedusaContainer
  sim: SimulatorHandle
  /** Medusa's base URL (admin at /app when enabled). */
  url: string
  databaseUrl: string
  dbSource: string
  stop(): Promise<void>
}

export interface StackOptions {
  dbName: string
  port?: number
  admin?: boolean
  simulator?: SimulatorOptions
  log?: (line: string) => void
  /** Extra environment for the app (e.g. job schedules). */
  env?: Record<string, string>
}

const ROOT = path.resolve(__dirname, "..")

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`))
  // scripts/db.mjs is ESM: load it with a real dynamic import (ts-node would turn import() into require()).
  const { acquireDatabase } = await (new Function("p", "return import(p)")(path.join(ROOT, "scripts/db.mjs")) as Promise<{
    acquireDatabase: (o?: { log?: (m: string) => void }) => Promise<{ env: Record<string, string>; source: string; stop(): Promise<void> }>
  }>)
  const db = await acquireDatabase({ log })
  const base = new URL(db.env.DATABASE_URL)
  base.pathname = `/${options.dbName}`
  const databaseUrl = base.toString()
  try {
    await recreateDemoDatabase(db.env, options.dbName)
  } catch (e) {
    await db.stop()
    throw e
  }
  log(`db: ${db.source}, database ${options.dbName} (fresh)`)

  const env: Record<string, string> = {
    ...db.env,
    DATABASE_URL: databaseUrl,
    NODE_ENV: process.env.NODE_ENV ?? "development",
    AMAZON_ENCRYPTION_KEY: process.env.AMAZON_ENCRYPTION_KEY ?? "4d6564757361416d617a6f6e44656d6f4b65792d303132333435363738396162",
    // Medusa's own admin loader stays off: with the admin on, the demo serves a prebuilt bundle (below)
    // instead of Vite's dev server, whose first load held up the app's jobs for ~45 s.
    MEDUSA_ADMIN_DISABLE: "true",
    MEDUSA_DISABLE_TELEMETRY: "true",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    ...(options.env ?? {}),
  }
  Object.assign(process.env, env)

  const started = Date.now()
  const migrate = spawnSync(process.execPath, [require.resolve("@medusajs/cli/cli.js"), "db:migrate", "--skip-scripts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  })
  if (migrate.status !== 0) {
    await db.stop()
    throw new Error(`medusa db:migrate failed:\n${migrate.stdout}\n${migrate.stderr}`)
  }
  log(`db: migrations applied in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  let adminDir: string | undefined
  try {
    adminDir = options.admin ? ensureDemoAdminBuild(log, env) : undefined
  } catch (e) {
    await db.stop()
    throw e
  }

  const sim = await startSimulator(options.simulator ?? {})
  log(`simulator: ${sim.url} (time scale ×${sim.clock.timeScale})`)
  // The store's configuration allows the simulator as an endpoint (read by medusa-config when the app
  // loads below); nothing else but Amazon's own hosts may receive the demo account's credentials.
  process.env.AMAZON_ALLOWED_ENDPOINTS = sim.url

  const express = require("express")
  const app = express()
  app.get("/health", (_: unknown, res: { send: (s: string) => void }) => res.send("OK"))
  if (adminDir) app.use("/app", await serveDemoAdmin(adminDir))
  const loaders = require("@medusajs/medusa/loaders/index").default
  const { container, shutdown } = await loaders({ directory: ROOT, expressApp: app })
  const port = options.port ?? 9000
  const server = await new Promise<import("node:http").Server>((resolve, reject) => {
    const s = app.listen(port, "127.0.0.1", () => resolve(s)).on("error", reject)
  })
  const url = `http://localhost:${port}`
  log(`medusa: ${url}${options.admin ? ` (admin at ${url}/app)` : ""}`)

  let stopped = false
  return {
    container,
    sim,
    url,
    databaseUrl,
    dbSource: db.source,
    stop: async () => {
      if (stopped) return
      stopped = true
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await shutdown().catch(() => undefined)
      await sim.close()
      await db.stop()
    },
  }
}
