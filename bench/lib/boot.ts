/**
 * Boots the demo stack (PostgreSQL, a fresh database with migrations, the SP-API simulator, Medusa with
 * the plugin) for the benchmark, with the plugin's scheduled jobs parked (see env.ts).
 */
import net from "node:net"
import { startStack, Stack } from "../../demo/stack"
import type { SimulatorOptions } from "../../simulator"
import { JOB_SCHEDULE_ENV, PARKED_CRON } from "./env"

/** A free TCP port on 127.0.0.1 (for a Medusa server the benchmark boots). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on("error", reject)
  })
}

export async function bootBenchStack(opts: {
  dbName: string
  simulator: SimulatorOptions
  log: (l: string) => void
  /** Set in the stack's environment after the parked schedules (e.g. the push-soon trigger turned off). */
  env?: Record<string, string>
}): Promise<Stack> {
  const env: Record<string, string> = Object.fromEntries(JOB_SCHEDULE_ENV.map((k) => [k, PARKED_CRON]))
  env.LOG_LEVEL = process.env.LOG_LEVEL ?? "error"
  // the benchmark is a development tool: its simulators listen on loopback ports chosen at run time
  env.AMAZON_ALLOW_LOOPBACK_ENDPOINTS = "true"
  Object.assign(env, opts.env ?? {})
  return startStack({
    dbName: opts.dbName,
    port: await freePort(),
    admin: false,
    simulator: opts.simulator,
    env,
    log: opts.log,
  })
}
