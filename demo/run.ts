/**
 * `npm run demo`: a store that syncs with the local SP-API simulator, by itself, while traffic flows.
 *
 * It boots PostgreSQL (DATABASE_URL, a local server, or an embedded one), the simulator and a Medusa app
 * with this plugin and its admin, seeds a small catalogue with stock at two locations, an admin user, an
 * Amazon account pointed at the simulator, linked listings (merchant- and Amazon-fulfilled) and FBA stock.
 * Then the plugin's own scheduled jobs do the work (on fast demo schedules) while the demo places store
 * orders, moves Amazon orders through their statuses and cancels one, printing what happens.
 *
 *   npm run demo                       # until Ctrl-C
 *   npm run demo -- --duration 150 --summary-file out.json --no-admin --port 9001 --db-name demo_test
 *
 * Each run starts from a fresh database (default medusa_amazon_demo). The demo marks the databases it creates
 * and drops only those: an existing database of that name it did not create stops it with a message.
 */
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { AMAZON_MODULE } from "../src/modules/amazon"
import type AmazonModuleService from "../src/modules/amazon/service"
import { DEMO_CREDENTIALS } from "../simulator"
import { DemoSetupError } from "./database"
import { startStack, Stack } from "./stack"
import { DemoCatalogue, seedDemo } from "./seed"
import { DemoTraffic } from "./traffic"

const { values } = parseArgs({
  options: {
    duration: { type: "string" },
    "summary-file": { type: "string" },
    "no-admin": { type: "boolean" },
    port: { type: "string" },
    "time-scale": { type: "string" },
    "db-name": { type: "string" },
  },
})

const started = Date.now()
const stamp = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s]`
const say = (line: string) => process.stdout.write(`${stamp()} ${line}\n`)

async function main() {
  const timeScale = Number(values["time-scale"] ?? 10)
  const adminOn = !values["no-admin"]
  say(`starting: PostgreSQL, SP-API simulator (time ×${timeScale}), Medusa with the plugin …`)
  const stack: Stack = await startStack({
    dbName: values["db-name"] ?? "medusa_amazon_demo",
    port: Number(values.port ?? 9000),
    admin: adminOn,
    log: say,
    simulator: {
      timeScale,
      // feeds wait 10 s in queue and take 20 s simulated; at ×10 that is 3 s of real time
      feedTiming: { queueMs: 10_000, processingMs: 20_000 },
    },
    env: {
      // The plugin's own jobs, on demo schedules (seconds) instead of minutes.
      AMAZON_STOCK_PUSH_SCHEDULE: "*/5 * * * * *",
      AMAZON_FEED_RESULTS_SCHEDULE: "*/5 * * * * *",
      AMAZON_ORDER_IMPORT_SCHEDULE: "*/10 * * * * *",
      AMAZON_FBA_SYNC_SCHEDULE: "*/20 * * * * *",
      AMAZON_STATUS_SAMPLE_SCHEDULE: "*/30 * * * * *",
    },
  })

  let stopping = false
  const traffic = new DemoTraffic(stack, say)
  const stop = async (code = 0) => {
    if (stopping) return
    stopping = true
    say("stopping …")
    traffic.stop()
    const summary = traffic.summary()
    if (values["summary-file"]) {
      writeFileSync(values["summary-file"], JSON.stringify(summary, null, 2))
    }
    say(`summary: ${JSON.stringify(summary)}`)
    await stack.stop().catch((e) => say(`stop: ${(e as Error).message}`))
    say("stopped cleanly")
    process.exit(code)
  }
  process.on("SIGINT", () => void stop(0))
  process.on("SIGTERM", () => void stop(0))

  const catalogue: DemoCatalogue = await seedDemo(stack, say)
  const amazon = stack.container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const accounts = await amazon.listAmazonAccounts({})
  // With --no-admin, /app answers 404: no admin URL or login to print.
  const admin = adminOn ? `Admin: ${stack.url}/app  (${catalogue.admin.email} / ${catalogue.admin.password})` : `store API: ${stack.url} (admin off)`
  say(`ready. ${admin}  ·  simulator control: ${stack.sim.url}/_sim/state  ·  Amazon account ${accounts[0]?.id} (seller ${DEMO_CREDENTIALS.sellerId})`)
  await traffic.start(catalogue)

  if (values.duration) {
    setTimeout(() => void stop(0), Number(values.duration) * 1000)
  }
}

main().catch((e) => {
  const why = e instanceof DemoSetupError ? e.message : (e as Error)?.stack ?? JSON.stringify(e)
  process.stderr.write(`demo failed: ${why}\n`)
  process.exit(1)
})
