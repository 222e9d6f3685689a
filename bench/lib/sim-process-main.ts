/**
 * The SP-API simulator in a process of its own (started by sim-process.ts), so that a scenario's memory
 * figure is the plugin's alone: the simulator's state and the report documents it builds live here.
 * Options as JSON in argv[2] (SimulatorOptions); prints `SIM_URL <url>` once listening. Exits when its
 * parent closes stdin (the parent ended, even when killed).
 */
import { startSimulator } from "../../simulator"

async function main() {
  const options = JSON.parse(process.argv[2] ?? "{}")
  const sim = await startSimulator({ ...options, port: 0, onError: (e) => process.stderr.write(`simulator: ${String((e as Error)?.stack ?? e)}\n`) })
  process.stdout.write(`SIM_URL ${sim.url}\n`)
  const stop = () => {
    sim.close().finally(() => process.exit(0))
  }
  process.stdin.on("end", stop)
  process.stdin.on("close", stop)
  process.stdin.resume()
  process.on("SIGTERM", stop)
}

main().catch((e) => {
  process.stderr.write(`simulator process failed: ${(e as Error)?.stack ?? String(e)}\n`)
  process.exit(1)
})
