/**
 * Start the simulator from a shell:
 *   ts-node --transpile-only simulator/cli.ts --port 4010 [--time-scale 60] [--seed demo]
 * (or `npm run simulator -- --port 4010 …`). Ctrl-C stops it.
 */
import { parseArgs } from "node:util"
import { DEMO_CREDENTIALS, startSimulator, type ReportCompression } from "./index"

const USAGE = `Usage: simulator/cli.ts [options]
  --port <n>                 port on 127.0.0.1 (default 4010; 0 = any free port)
  --time-scale <n>           simulated ms per real ms (default 1; 60 = a real second is a simulated minute)
  --seed demo                load the demo seller, listings, FBA stock and orders
  --feed-queue-ms <n>        simulated ms a feed waits IN_QUEUE (default 10000)
  --feed-processing-ms <n>   simulated ms a feed stays IN_PROGRESS (default 20000)
  --report-queue-ms <n>      simulated ms a report waits IN_QUEUE (default 5000)
  --report-processing-ms <n> simulated ms a report stays IN_PROGRESS (default 30000)
  --report-cache-ms <n>      serve a cached listings report created within n simulated ms of an earlier one (default 0 = off)
  --compress-reports <mode>  always | never | auto (default auto: when larger than 4 KiB)
  --help                     show this text`

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a non-negative number, got '${value}'`)
  return n
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "time-scale": { type: "string" },
      seed: { type: "string" },
      "feed-queue-ms": { type: "string" },
      "feed-processing-ms": { type: "string" },
      "report-queue-ms": { type: "string" },
      "report-processing-ms": { type: "string" },
      "report-cache-ms": { type: "string" },
      "compress-reports": { type: "string" },
      help: { type: "boolean" },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (values.seed !== undefined && values.seed !== "demo") throw new Error(`--seed only knows 'demo', got '${values.seed}'`)
  const compress = values["compress-reports"]
  if (compress !== undefined && !["always", "never", "auto"].includes(compress)) throw new Error(`--compress-reports must be always, never or auto`)
  const queueMs = numberOption(values["feed-queue-ms"], "feed-queue-ms")
  const processingMs = numberOption(values["feed-processing-ms"], "feed-processing-ms")
  const reportQueueMs = numberOption(values["report-queue-ms"], "report-queue-ms")
  const reportProcessingMs = numberOption(values["report-processing-ms"], "report-processing-ms")

  const sim = await startSimulator({
    port: numberOption(values.port, "port") ?? 4010,
    timeScale: numberOption(values["time-scale"], "time-scale") ?? 1,
    seed: values.seed === "demo" ? "demo" : undefined,
    feedTiming: { ...(queueMs !== undefined ? { queueMs } : {}), ...(processingMs !== undefined ? { processingMs } : {}) },
    reportTiming: {
      ...(reportQueueMs !== undefined ? { queueMs: reportQueueMs } : {}),
      ...(reportProcessingMs !== undefined ? { processingMs: reportProcessingMs } : {}),
    },
    reportCacheMs: numberOption(values["report-cache-ms"], "report-cache-ms"),
    compressReports: compress as ReportCompression | undefined,
    onError: (error) => console.error("[simulator] internal error:", error),
  })

  console.log(`Amazon SP-API simulator listening on ${sim.url} (time scale ${sim.clock.timeScale})`)
  console.log(`  SP-API endpoint : ${sim.url}`)
  console.log(`  LWA token URL   : ${sim.url}/auth/o2/token`)
  console.log(`  control API     : ${sim.url}/_sim/state`)
  if (values.seed === "demo") {
    console.log("  demo credentials:")
    for (const [key, value] of Object.entries(DEMO_CREDENTIALS)) console.log(`    ${key.padEnd(14)}: ${value}`)
  } else {
    console.log(`  no seller seeded: POST ${sim.url}/_sim/sellers (or restart with --seed demo)`)
  }

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping the simulator…`)
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.on("SIGINT", () => stop("SIGINT"))
  process.on("SIGTERM", () => stop("SIGTERM"))
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  console.error(USAGE)
  process.exit(1)
})
