/**
 * P8 (issue 18, the closed loop): the drift check of 100,000 listings, in a process of its own.
 *
 * It boots the demo stack (fresh database `<db>_p8`, migrations, Medusa with the plugin, every job parked
 * as in env.ts) and starts the SP-API simulator in another process (sim-process.ts), so the memory figure
 * is the plugin's process alone: the simulator's 100,000 listings and the report it builds live there.
 * Seeding, not measured: 100,000 mapped merchant-fulfilled SKUs with bulk SQL (catalog.ts; the listing rows
 * say Amazon accepted the store's quantity), the same 100,000 listings at the simulator (control API, in
 * chunks), `--differ` (300) of them holding another quantity there than the plugin last set.
 *
 * Measured: the plugin's runner `runDriftCheck(container, { account_id, marketplace_id, trigger })`
 * (src/workflows/drift-check/run-drift-check.ts), called once: createReport → getReport every
 * AMAZON_DRIFT_REPORT_POLL_MS until DONE → getReportDocument → download → parse → the store's listings →
 * diff → writes (every compared listing's state, the differences queued urgent) → summary.
 *  - calls: the runner's own tally (stored on amazon_drift_check.calls), checked against the FetchRecorder;
 *  - local time: wall time of the runner minus the time Amazon's report was being prepared (from the start
 *    of createReport to the end of the getReport that answered DONE);
 *  - RSS: this process's resident set size sampled every 25 ms during the runner; the key is the increase
 *    (after a full GC before the start, so the seeding's garbage is not there to be reused).
 * The runner's parts (details.P8.parts) follow from the start and end times of its HTTP calls (FetchRecorder)
 * and of the Amazon module service's methods it calls (wrapped on the instance: they only record times).
 * The push-soon trigger is off here (AMAZON_STOCK_PUSH_DEBOUNCE_MS=off) so the push of the differences the
 * check queues does not overlap the measured check.
 */
import "../lib/env"
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import { runDriftCheck } from "../../src/workflows/drift-check/run-drift-check"
import { bootBenchStack } from "../lib/boot"
import { createBenchAccount, DE, seedCatalog } from "../lib/catalog"
import { FetchRecorder, type RecordedCall } from "../lib/fetch-recorder"
import { startSimProcess } from "../lib/sim-process"
import { RssSampler, mb, round } from "../lib/stats"

const { values } = parseArgs({
  options: {
    result: { type: "string" },
    db: { type: "string" },
    listings: { type: "string" },
    differ: { type: "string" },
    "poll-ms": { type: "string" },
    "report-queue-ms": { type: "string" },
    "report-processing-ms": { type: "string" },
  },
})
const LISTINGS = Number(values.listings ?? 100_000)
const DIFFER = Number(values.differ ?? 300)
const POLL_MS = Number(values["poll-ms"] ?? 15_000)
const REPORT_TIMING = { queueMs: Number(values["report-queue-ms"] ?? 5_000), processingMs: Number(values["report-processing-ms"] ?? 20_000) }
const say = (line: string) => process.stdout.write(`P8: ${line}\n`)

process.env.AMAZON_DRIFT_REPORT_POLL_MS = String(POLL_MS)
process.env.AMAZON_STOCK_PUSH_DEBOUNCE_MS = "off"

type Span = { label: string; start: number; end: number }

/**
 * Records the start and end (epoch ms, like the FetchRecorder) of every call to the service method
 * `obj[name]`, through an own property shadowing the method; arguments and results are passed unchanged.
 * (The plugin's module functions cannot be wrapped the same way: their exports are getters.)
 */
function timeMethod(obj: any, name: string, spans: Span[]) {
  const original = obj[name]
  if (typeof original !== "function") throw new Error(`cannot time ${name}: not a function`)
  obj[name] = function timed(this: unknown, ...args: unknown[]) {
    const start = Date.now()
    const out = original.apply(this, args)
    return Promise.resolve(out).finally(() => spans.push({ label: name, start, end: Date.now() }))
  }
}

function operationOf(c: RecordedCall): string {
  if (c.path === "/auth/o2/token") return "LWA token"
  if (c.path.startsWith("/_s3/")) return "document download"
  if (c.method === "POST" && c.path === "/reports/2021-06-30/reports") return "createReport"
  if (c.method === "GET" && c.path.startsWith("/reports/2021-06-30/reports/")) return "getReport"
  if (c.method === "GET" && c.path.startsWith("/reports/2021-06-30/documents/")) return "getReportDocument"
  return `${c.method} ${c.path}`
}

/**
 * The runner's time after the report is DONE, in its order (run-drift-check.ts): download (getReportDocument
 * + the document's GET) → gunzip, decode and parse (until the first read of the store's listings) → read
 * the store's listings (listListingsOfMarketplace, one query; then listAmazonListings for those pushed meanwhile)
 * → diff and the rows to write (until updateListingPushStates)
 * → write listing states → the differences' variants (liveLinksOfListings, until enqueueStockChanges) →
 * queue them → summary, sync log.
 */
function parts(spans: Span[], calls: RecordedCall[], t0: number, t1: number) {
  const of = (label: string) => spans.filter((s) => s.label === label && s.start >= t0 && s.end <= t1)
  const sum = (list: { start: number; end: number }[]) => list.reduce((n, s) => n + (s.end - s.start), 0)
  const docCall = calls.find((c) => operationOf(c) === "getReportDocument")
  const download = calls.find((c) => operationOf(c) === "document download")
  const reads = [...of("listListingsOfMarketplace"), ...of("listAmazonListings")].sort((a, b) => a.start - b.start)
  const writes = of("updateListingPushStates")
  const enqueue = of("enqueueStockChanges")
  const progress = of("updateAmazonDriftChecks")
  const log = of("recordSyncLog")
  const out: Record<string, number | null> = {
    "download: getReportDocument + GET of the document (HTTP)": docCall && download ? download.end - docCall.start : null,
    "gunzip + decode + parse": download && reads[0] ? reads[0].start - download.end : null,
    "read the store's listings (listListingsOfMarketplace + the pushed-meanwhile check)": sum(reads),
    "listing reads": reads.length,
    "diff + building the rows to write": reads.length && writes[0] ? writes[0].start - reads[reads.length - 1].end : null,
    "write listing states (updateListingPushStates)": sum(writes),
    "variants of the differences (liveLinksOfListings)": writes.length && enqueue[0] ? enqueue[0].start - writes[writes.length - 1].end : null,
    "queue the differences (enqueueStockChanges)": sum(enqueue),
    "progress updates on the check row (updateAmazonDriftChecks)": sum(progress),
    "progress updates": progress.length,
    "sync log (recordSyncLog)": sum(log),
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v === null ? null : Math.round(v)]))
}

async function main() {
  const recorder = new FetchRecorder()
  recorder.install()
  const ext = await startSimProcess({ timeScale: 1, reportTiming: REPORT_TIMING })
  say(`simulator in its own process (pid ${ext.pid}) at ${ext.url}; report ${REPORT_TIMING.queueMs / 1000} s in queue + ${REPORT_TIMING.processingMs / 1000} s processing`)
  recorder.watch(ext.url)
  const stack = await bootBenchStack({ dbName: values.db ?? "medusa_amazon_bench_p8", simulator: { timeScale: 1 }, log: (l) => say(`boot: ${l}`) })
  const { container } = stack
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  try {
    const {
      result: [location],
    } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "P8 warehouse" }] } })
    const { accountId, seller } = await createBenchAccount(
      container,
      { url: ext.url, control: { seedSeller: (s) => ext.control("POST", "sellers", s) } },
      "D",
      { stock_location_ids: [location.id] }
    )
    const seedStarted = Date.now()
    const skus = await seedCatalog(container, { tag: "D", count: LISTINGS, accountId, sellerId: seller.sellerId, locationId: location.id, inSync: true, seedSimulator: false })
    // Every (LISTINGS / DIFFER)-th listing holds another quantity at Amazon (an edit in Seller Central, a
    // quantity accepted and never applied): 1-5 units more or fewer.
    const every = Math.floor(LISTINGS / DIFFER)
    const differing = new Set<number>()
    for (let k = 0; k < DIFFER; k++) differing.add(k * every + 7)
    const amazonQuantity = (i: number) => (differing.has(i) ? skus[i].stock + ((i % 2 ? 1 : -1) * (1 + (i % 5))) : skus[i].stock)
    const CHUNK = 20_000
    for (let from = 0; from < skus.length; from += CHUNK) {
      await ext.control("POST", "seed", {
        listings: skus.slice(from, from + CHUNK).map((s, j) => {
          const i = from + j
          return {
            sellerId: seller.sellerId,
            sku: s.sku,
            marketplaceId: DE,
            quantity: amazonQuantity(i),
            productType: "PRODUCT",
            asin: `B0${String(i).padStart(8, "0")}`,
            itemName: `Bench D product ${i} - cotton shirt, size ${["S", "M", "L", "XL"][i % 4]}, colour ${["blue", "red", "black"][i % 3]}`,
            price: { amount: `${10 + (i % 90)}.${i % 10}9` },
          }
        }),
      })
    }
    await knex.raw("analyze amazon_listing")
    say(`seeded ${LISTINGS.toLocaleString("en")} listings in the store (bulk SQL) and at the simulator, ${differing.size} differing, in ${round((Date.now() - seedStarted) / 1000, 1)} s (not measured)`)
    skus.length = 0

    // When the runner's database calls start and end (the parts between them follow from those times).
    const spans: Span[] = []
    const amazon = container.resolve(AMAZON_MODULE) as any
    for (const m of ["listListingsOfMarketplace", "listAmazonListings", "updateListingPushStates", "enqueueStockChanges", "updateAmazonDriftChecks", "recordSyncLog"]) timeMethod(amazon, m, spans)

    ;(global as { gc?: () => void }).gc?.()
    await new Promise((r) => setTimeout(r, 1000))
    const heapBefore = process.memoryUsage().heapUsed
    const mark = recorder.mark()
    const rss = new RssSampler(25)
    let heapPeak = heapBefore
    const heapTimer = setInterval(() => {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
    }, 25)
    const t0 = Date.now()
    say(`running the drift check (poll every ${POLL_MS / 1000} s) …`)
    const outcome = await runDriftCheck(container, { account_id: accountId, marketplace_id: DE, trigger: "admin" })
    const t1 = Date.now()
    clearInterval(heapTimer)
    const mem = rss.stop()
    if (outcome.status !== "done") throw new Error(`drift check ${outcome.status}: ${JSON.stringify(outcome)}`)

    const calls = recorder.since(mark)
    const byOperation: Record<string, number> = {}
    for (const c of calls) byOperation[operationOf(c)] = (byOperation[operationOf(c)] ?? 0) + 1
    const create = calls.find((c) => operationOf(c) === "createReport")
    const polls = calls.filter((c) => operationOf(c) === "getReport")
    const lastPoll = polls[polls.length - 1]
    const waitingMs = create && lastPoll ? lastPoll.end - create.start : 0
    const wallS = (t1 - t0) / 1000
    const [row] = await knex("amazon_drift_check").select("calls", "status", "summary").where({ id: outcome.id })
    const outbox = Number((await knex("amazon_stock_outbox").count({ n: "*" }))[0].n)
    const confirmed = Number((await knex("amazon_listing").count({ n: "*" }).where({ account_id: accountId, confirm_status: "confirmed", amazon_quantity_source: "report" }))[0].n)
    const spApiCalls = calls.filter((c) => operationOf(c) !== "LWA token").length
    const reports = await ext.control<{ reportId: string; documentBytes?: number; uncompressedBytes?: number; rowCount?: number; compressionAlgorithm?: string }[]>("GET", "reports")
    const report = reports[reports.length - 1]
    const s = outcome.summary
    const result = {
      listings: LISTINGS,
      seeded_differing: differing.size,
      calls: outcome.calls,
      calls_stored_on_check_row: row?.calls ?? null,
      calls_recorded_http: spApiCalls,
      calls_by_operation: byOperation,
      report_document: report ? { rows: report.rowCount ?? null, bytes: report.documentBytes ?? null, uncompressed_bytes: report.uncompressedBytes ?? null, compression: report.compressionAlgorithm ?? null } : null,
      poll_interval_s: POLL_MS / 1000,
      report_timing_s: { queue: REPORT_TIMING.queueMs / 1000, processing: REPORT_TIMING.processingMs / 1000 },
      wall_s: round(wallS, 1),
      waiting_for_report_s: round(waitingMs / 1000, 1),
      local_s: round(wallS - waitingMs / 1000, 1),
      parts: parts(spans, calls, t0, t1),
      http_ms_after_report_done: Math.round(calls.filter((c) => lastPoll && c.start >= lastPoll.end).reduce((n, c) => n + (c.end - c.start), 0)),
      rss: mem,
      heap: { beforeMb: mb(heapBefore), peakMb: mb(heapPeak), increaseMb: mb(heapPeak - heapBefore) },
      gc_before_start: typeof (global as { gc?: unknown }).gc === "function",
      summary: {
        listings_in_report: s.listings_in_report,
        compared: s.compared,
        matching: s.matching,
        differing: s.differing,
        skipped_newer: s.skipped_newer,
        missing_on_amazon: s.missing_on_amazon,
        inactive_on_amazon: s.inactive_on_amazon,
        requeued: s.requeued,
      },
      outbox_rows_after: outbox,
      listings_confirmed_by_report: confirmed,
      check_status: row?.status ?? null,
    }
    if (values.result) writeFileSync(values.result, JSON.stringify(result))
    say(
      `done: ${outcome.calls} calls (${Object.entries(byOperation).map(([k, v]) => `${k} ${v}`).join(", ")}); wall ${result.wall_s} s, ` +
        `${result.waiting_for_report_s} s waiting for the report, ${result.local_s} s local; RSS ${mem.baselineMb} → ${mem.peakMb} MB; ` +
        `${s.compared} compared, ${s.differing} differing, ${s.missing_on_amazon} missing`
    )
  } finally {
    await stack.stop().catch(() => undefined)
    await ext.close().catch(() => undefined)
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    process.stderr.write(`P8 failed: ${(e as Error)?.stack ?? String(e)}\n`)
    process.exit(1)
  })
