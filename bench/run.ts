/**
 * `npm run bench`: the plugin against the SP-API simulator with Amazon's documented quotas, in one
 * process — PostgreSQL (local or embedded), a fresh database, Medusa with the plugin, the simulator(s).
 * Prints a table and writes bench/results/latest.json.
 *
 *   npx ts-node --transpile-only bench/run.ts                 # everything (about 12 minutes)
 *   npx ts-node --transpile-only bench/run.ts --only P1,P3    # a subset while working on one figure
 *
 * Options: --only <P1,P1C,P2,P3,P4,P5,P6,P7,P8> (P1C = the figures P1c and P1d), --budget <s> (whole run, default 860), --p4-orders <n> (10000),
 * --p4-time-scale <n> (100), --p1b-seconds <n> (30), --p6-orders <n> (1000), --db-name <name>.
 *
 * A run of some figures (--only) keeps the other figures of bench/results/latest.json from the run that
 * measured them (listed in `run.carried_over` with that run's end time).
 *
 * Figures, what each one measures and how its optimum is computed: see bench/README.md and the header
 * of each scenario in bench/scenarios/.
 */
// First: parks the plugin's job schedules and sets the log level before any module reads them.
import "./lib/env"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import { seedTestStore } from "../integration-tests/helpers/store-seed"
import { bootBenchStack } from "./lib/boot"
import { createBenchAccount, seedCatalog } from "./lib/catalog"
import type { BenchContext } from "./lib/context"
import { FetchRecorder } from "./lib/fetch-recorder"
import { round } from "./lib/stats"
import { runP1C } from "./scenarios/p1-closed-loop"
import { FEED_RESULTS_EVERY_MS, PUSH_EVERY_MS, runP1 } from "./scenarios/p1-lag"
import { startP2 } from "./scenarios/p2-reconcile"
import { runP3 } from "./scenarios/p3-quota"
import { runP4 } from "./scenarios/p4-orders"
import { runP5 } from "./scenarios/p5-subscriber"
import { runP6, SEND_EVERY_MS } from "./scenarios/p6-shipments"
import { runP7 } from "./scenarios/p7-notifications"
import { runP8 } from "./scenarios/p8-drift"

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    budget: { type: "string" },
    "p4-orders": { type: "string" },
    "p4-time-scale": { type: "string" },
    "p1b-seconds": { type: "string" },
    "p6-orders": { type: "string" },
    "db-name": { type: "string" },
  },
})

/** Phases in the order they run; P2, P1C (P1c + P1d), P7 and P8 in processes of their own, the rest in the main stack. */
const ALL_PHASES = ["P2", "P1C", "P7", "P8", "P1", "P3", "P4", "P5", "P6"]
const MAIN_STACK_PHASES = ["P1", "P3", "P4", "P5", "P6"]
const started = Date.now()
const budgetS = Number(values.budget ?? 860)
const only = new Set((values.only ?? ALL_PHASES.join(",")).split(",").map((s) => s.trim().toUpperCase()))
const stamp = () => `[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`
const say = (line: string) => process.stdout.write(`${stamp()} ${line}\n`)

const GOALS = {
  P1a_p95_s: { goal: 5, better: "lower" },
  P1b_p95_s: { goal: 90, better: "lower" },
  P1c_p95_s: { goal: 10, better: "lower" },
  P1d_p95_s: { goal: 30, better: "lower" },
  P2_feeds: { goal: 4, better: "lower" },
  P2_build_s: { goal: 20, better: "lower" },
  P2_rss_mb: { goal: 400, better: "lower" },
  P3_quota_use: { goal: 0.9, better: "higher" },
  P3_429_beyond_burst: { goal: 0, better: "lower" },
  P4_ratio: { goal: 1.2, better: "lower" },
  P4_duplicates: { goal: 0, better: "lower" },
  P5_p95_ms: { goal: 5, better: "lower" },
  P6_time_s: { goal: 120, better: "lower" },
  P6_unconfirmed: { goal: 0, better: "lower" },
  P6_duplicates: { goal: 0, better: "lower" },
  P6_calls: { goal: 15, better: "lower" },
  P6_429: { goal: 0, better: "lower" },
  P7_p95_s: { goal: 15, better: "lower" },
  P7_lost: { goal: 0, better: "lower" },
  P7_applied_twice: { goal: 0, better: "lower" },
  P7_keepup_lag_p95_s: { goal: 5, better: "lower" },
  P8_calls: { goal: 6, better: "lower" },
  P8_diff_s: { goal: 10, better: "lower" },
  P8_rss_mb: { goal: 300, better: "lower" },
} as const
type Key = keyof typeof GOALS

function verdict(key: Key, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a"
  const g = GOALS[key]
  return (g.better === "lower" ? value <= g.goal : value >= g.goal) ? "PASS" : "FAIL"
}

async function main() {
  const recorder = new FetchRecorder()
  recorder.install()
  say(`bench: budget ${budgetS} s, phases ${[...only].join(", ")}; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`)
  const dbName = values["db-name"] ?? "medusa_amazon_bench"
  const out: Record<string, unknown> = {}
  const details: Record<string, unknown> = {}
  const phaseTimes: Record<string, number> = {}
  // P2 (the 100,000-SKU reconcile) runs first, alone, in a process and database of its own: its memory
  // figure is then that of one Medusa process doing the reconcile, and its time is not shared with the
  // other scenarios. It gets at most 5 minutes.
  if (only.has("P2")) {
    const t = Date.now()
    say("── P2 ── the 100,000-SKU reconcile in a process and database of its own …")
    const r = await startP2({ dbName, say }).finish(Date.now() + 300_000)
    out.P2_feeds = r.P2_feeds
    out.P2_build_s = r.P2_build_s
    out.P2_rss_mb = r.P2_rss_mb
    // The same reconcile with the push runs back to back (no pause: more than any schedule would do),
    // and with the heap bounded at 400 MB (how a merchant bounds a Medusa server): the worst case for
    // V8's lazy collection, and what the reconcile needs when V8 must collect.
    say("P2: again with the push runs back to back …")
    const backToBack = await startP2({ dbName: `${dbName}_b`, say, runGapMs: 0 }).finish(Date.now() + 300_000)
    say("P2: again with --max-old-space-size=400 …")
    const bounded = await startP2({ dbName: `${dbName}_h`, say, heapLimitMb: 400 }).finish(Date.now() + 300_000)
    const variant = (v: typeof r) => ({
      feeds: v.P2_feeds,
      build_s: v.P2_build_s,
      rss_increase_mb: v.P2_rss_mb,
      rss: (v.details as { rss?: unknown }).rss ?? null,
      status: (v.details as { status?: unknown }).status ?? null,
    })
    details.P2 = {
      ...r.details,
      back_to_back: variant(backToBack),
      with_heap_limit_400mb: variant(bounded),
    }
    phaseTimes.P2 = round((Date.now() - t) / 1000, 0)
  }
  // P1c/P1d, P7 and P8 also run in processes (and databases) of their own, one after the other: P1C because it
  // needs the plugin's default job schedules (this process has them parked), P7 because the notification
  // consumer is a loop of the process (its lag and RSS are that process's alone), P8 for its memory figure.
  const childPhase = async (name: string, label: string, fn: () => Promise<void>) => {
    if (!only.has(name)) return
    const t = Date.now()
    say(`── ${name} ── ${label} …`)
    try {
      await fn()
    } catch (e) {
      say(`${name} failed: ${(e as Error)?.stack ?? String(e)}`)
      details[`${name}_error`] = (e as Error)?.message ?? String(e)
    }
    phaseTimes[name] = round((Date.now() - t) / 1000, 0)
  }
  await childPhase("P1C", "store change → acknowledged / confirmed by Amazon with the plugin's default settings, in a process and database of its own", async () => {
    const r = await runP1C({ dbName, say, deadline: Date.now() + 330_000 })
    out.P1c_p95_s = r.P1c_p95_s
    out.P1d_p95_s = r.P1d_p95_s
    details.P1C = r.details
  })
  await childPhase("P7", "Amazon notifications over SQS: orders and cancellations with polling parked, then 50 messages/s, in a process and database of its own", async () => {
    const r = await runP7({ dbName, say, deadline: Date.now() + 480_000 })
    out.P7_p95_s = r.P7_p95_s
    out.P7_lost = r.P7_lost
    out.P7_applied_twice = r.P7_applied_twice
    out.P7_keepup_lag_p95_s = r.P7_keepup_lag_p95_s
    details.P7 = r.details
  })
  await childPhase("P8", "the drift check of 100,000 listings, in a process and database of its own", async () => {
    const r = await runP8({ dbName, say, deadline: Date.now() + 300_000 })
    out.P8_calls = r.P8_calls
    out.P8_diff_s = r.P8_diff_s
    out.P8_rss_mb = r.P8_rss_mb
    details.P8 = r.details
  })
  if (!MAIN_STACK_PHASES.some((p) => only.has(p))) {
    // nothing left for the main stack: not booted
    writeResults(out, details, phaseTimes)
    return
  }
  say("starting PostgreSQL, a fresh database with migrations, the simulator (time scale 1) and Medusa with the plugin …")
  const stack = await bootBenchStack({
    dbName,
    // Amazon's real quotas in real time; feeds wait 10 s in queue and take 20 s (simulated = real here).
    simulator: { timeScale: 1, feedTiming: { queueMs: 10_000, processingMs: 20_000 } },
    // The scenarios here drive the push at the cadence each states (P1a/P1b: the job every 2 s; P3: one job
    // run). The plugin's push-soon trigger would start runs of its own ~1 s after the store's stock events,
    // which take the push lock, so a scenario's job run would find it held and skip (P3 then measures
    // nothing). The trigger is measured where it is the subject: P1C, with the shipped settings.
    env: { AMAZON_STOCK_PUSH_DEBOUNCE_MS: "off" },
    log: say,
  })
  recorder.watch(stack.sim.url)
  const { container } = stack
  const extraSims: BenchContext["extraSims"] = []
  try {
    const store = await seedTestStore(container, { locationNames: ["Bench warehouse"] })
    const locationId = store.locationIds[0]
    const a = await createBenchAccount(container, stack.sim, "A", { stock_location_ids: [locationId] })
    const skus = await seedCatalog(container, { tag: "A", count: 1000, accountId: a.accountId, sellerId: a.seller.sellerId, locationId, inSync: true, sim: stack.sim })
    say("seeded: a store (region, channel, location), account A with 1,000 mapped SKUs in sync with Amazon")
    const ctx: BenchContext = {
      stack,
      container,
      sim: stack.sim,
      recorder,
      store,
      locationId,
      accountA: { ...a, skus },
      say,
      remainingS: () => budgetS - (Date.now() - started) / 1000,
      extraSims,
    }

    const phase = async (name: string, fn: () => Promise<void>) => {
      if (!only.has(name)) return
      const t = Date.now()
      say(`── ${name} ──`)
      try {
        await fn()
      } catch (e) {
        say(`${name} failed: ${(e as Error)?.stack ?? String(e)}`)
        details[`${name}_error`] = (e as Error)?.message ?? String(e)
      }
      phaseTimes[name] = round((Date.now() - t) / 1000, 0)
    }

    await phase("P1", async () => {
      const r = await runP1(ctx, { p1bDurationS: Number(values["p1b-seconds"] ?? 30), p1bObserveS: 100 })
      out.P1a_p95_s = r.a.p95_s
      out.P1b_p95_s = r.b.p95_s
      details.P1 = {
        push_job_every_s: PUSH_EVERY_MS / 1000,
        feed_results_job_every_s: FEED_RESULTS_EVERY_MS / 1000,
        schedule_equivalent: 'AMAZON_STOCK_PUSH_SCHEDULE="*/2 * * * * *", AMAZON_FEED_RESULTS_SCHEDULE="*/5 * * * * *"',
        time_scale: 1,
        acknowledgement: "patch: amazon_listing.last_accepted_at (ACCEPTED); feed: amazon_feed.submitted_at of the feed carrying the new quantity",
        push_runs: r.push_runs,
        P1a: r.a,
        P1b: r.b,
      }
    })
    await phase("P3", async () => {
      const r = await runP3(ctx)
      out.P3_quota_use = r.P3_quota_use
      out.P3_429_beyond_burst = r.P3_429_beyond_burst
      details.P3 = r.details
    })
    await phase("P4", async () => {
      const r = await runP4(ctx, {
        orders: Number(values["p4-orders"] ?? 10_000),
        timeScale: Number(values["p4-time-scale"] ?? 100),
      })
      out.P4_ratio = r.P4_ratio
      out.P4_duplicates = r.P4_duplicates
      details.P4 = r.details
    })
    await phase("P5", async () => {
      const r = await runP5(ctx)
      out.P5_p95_ms = r.P5_p95_ms
      details.P5 = r.details
    })
    await phase("P6", async () => {
      const r = await runP6(ctx, { orders: Number(values["p6-orders"] ?? 1000) })
      out.P6_time_s = r.P6_time_s
      out.P6_unconfirmed = r.P6_unconfirmed
      out.P6_duplicates = r.P6_duplicates
      out.P6_calls = r.P6_calls
      out.P6_429 = r.P6_429
      details.P6 = r.details
    })
  } finally {
    writeResults(out, details, phaseTimes)
    for (const sim of extraSims) await sim.close().catch(() => undefined)
    await stack.stop().catch((e) => say(`stop: ${(e as Error).message}`))
  }
}

/** Prints the table and writes bench/results/latest.json (figures of phases not run are carried over). */
function writeResults(out: Record<string, unknown>, details: Record<string, unknown>, phaseTimes: Record<string, number>) {
  const runS = round((Date.now() - started) / 1000, 0)
  printTable(out, details, runS)
  const file = path.join(__dirname, "results", "latest.json")
  mkdirSync(path.dirname(file), { recursive: true })
  // Figures of phases this run did not run are kept from the file, with their details.
  const kept = carryOver(file, only)
  for (const [k, v] of Object.entries(kept.values)) if (out[k] === undefined) out[k] = v
  for (const [k, v] of Object.entries(kept.details)) if (!(k in details)) details[k] = v
  writeFileSync(
    file,
    JSON.stringify(
      {
        ...Object.fromEntries((Object.keys(GOALS) as Key[]).map((k) => [k, out[k] ?? null])),
        goals: Object.fromEntries((Object.keys(GOALS) as Key[]).map((k) => [k, { goal: GOALS[k].goal, better: GOALS[k].better, verdict: verdict(k, out[k] as number) }])),
        units: {
          P1a_p95_s: "s",
          P1b_p95_s: "s",
          P1c_p95_s: "s",
          P1d_p95_s: "s",
          P2_feeds: "JSON_LISTINGS_FEED submissions",
          P2_build_s: "s",
          P2_rss_mb: "MB (RSS increase during the reconcile; absolute peak in details.P2)",
          P3_quota_use: "ratio",
          P3_429_beyond_burst: "responses",
          P4_ratio: "ratio",
          P4_duplicates: "orders",
          P5_p95_ms: "ms",
          P6_time_s: "s",
          P6_unconfirmed: "orders",
          P6_duplicates: "confirmations",
          P6_calls: "HTTP requests to Amazon",
          P6_429: "responses",
          P7_p95_s: "s",
          P7_lost: "notifications",
          P7_applied_twice: "notifications",
          P7_keepup_lag_p95_s: "s",
          P8_calls: "SP-API calls (createReport, getReport, getReportDocument, document download)",
          P8_diff_s: "s",
          P8_rss_mb: "MB (RSS increase during the check; absolute peak in details.P8)",
        },
        details,
        run: {
          finished_at: new Date().toISOString(),
          run_s: runS,
          phase_s: { ...kept.phaseTimes, ...phaseTimes },
          ...(Object.keys(kept.from).length ? { carried_over: kept.from } : {}),
          cpus: os.cpus().length,
          load_at_end: os.loadavg().map((l) => round(l, 1)),
          node: process.version,
        },
      },
      null,
      2
    )
  )
  say(`wrote ${path.relative(process.cwd(), file)} (run time ${runS} s)`)
}

/** The phase a figure or details key belongs to: P1a_p95_s → P1; P1c_p95_s, P1d_p95_s, P1C → P1C; P8_calls → P8. */
function phaseOf(key: string): string {
  if (/^P1([cd]_|C(_|$))/.test(key)) return "P1C"
  return /^P\d/.exec(key)?.[0] ?? key
}

/**
 * What a run of some phases keeps from the results file: the figures, details and phase times of the
 * phases it did not run, and when each was measured (a figure carried over keeps its first run's date).
 */
function carryOver(file: string, ran: Set<string>) {
  const kept = { values: {} as Record<string, unknown>, details: {} as Record<string, unknown>, phaseTimes: {} as Record<string, number>, from: {} as Record<string, string> }
  if (!existsSync(file)) return kept
  let previous: any
  try {
    previous = JSON.parse(readFileSync(file, "utf8"))
  } catch {
    return kept
  }
  for (const key of Object.keys(GOALS)) {
    const phase = phaseOf(key)
    if (ran.has(phase) || previous[key] === undefined || previous[key] === null) continue
    kept.values[key] = previous[key]
    kept.from[phase] = previous.run?.carried_over?.[phase] ?? previous.run?.finished_at ?? "unknown"
  }
  for (const [k, v] of Object.entries(previous.details ?? {})) {
    if (!ran.has(phaseOf(k))) kept.details[k] = v
  }
  for (const [k, v] of Object.entries(previous.run?.phase_s ?? {})) {
    if (!ran.has(k) && typeof v === "number") kept.phaseTimes[k] = v
  }
  return kept
}

function fmt(v: unknown, unit = ""): string {
  if (v === null || v === undefined) return "—"
  return `${v}${unit}`
}

function printTable(out: Record<string, unknown>, d: Record<string, any>, runS: number) {
  const rows: [string, string, string, string, string][] = []
  const add = (key: Key, label: string, value: string, how: string) =>
    rows.push([key, label, value, `${GOALS[key].better === "lower" ? "≤" : "≥"} ${GOALS[key].goal}`, `${verdict(key, out[key] as number)}  ${how}`])
  const p1 = d.P1 ?? {}
  add("P1a_p95_s", "lag at 1 change/s, p95", `${fmt(out.P1a_p95_s, " s")} (p50 ${fmt(p1.P1a?.p50_s, " s")})`, `time ×1; push job every ${PUSH_EVERY_MS / 1000} s; ${fmt(p1.P1a?.via?.patch)} by patch, ${fmt(p1.P1a?.via?.feed)} by feed`)
  add(
    "P1b_p95_s",
    "lag at 20 changes/s, p95",
    `${p1.P1b?.censored ? "≥ " : ""}${fmt(out.P1b_p95_s, " s")} (p50 ${fmt(p1.P1b?.p50_s, " s")})`,
    `time ×1; ${fmt(p1.P1b?.acked)}/${fmt(p1.P1b?.changes)} acknowledged in ${fmt(p1.P1b?.observed_for_s)} s; ${fmt(p1.P1b?.feeds)} feeds, ${fmt(p1.P1b?.via?.patch)} patched`
  )
  const p1c = d.P1C ?? {}
  add(
    "P1c_p95_s",
    "lag to acknowledged, plugin defaults, p95",
    `${p1c.P1c?.censored ? "≥ " : ""}${fmt(out.P1c_p95_s, " s")} (p50 ${fmt(p1c.P1c?.p50_s, " s")})`,
    p1c.P1c ? `time ×1; no job driven: push-soon ${fmt(p1c.push_soon_runs)} runs; ${fmt(p1c.P1c.via?.patch)} by patch, ${fmt(p1c.P1c.via?.feed)} by feed; ${fmt(p1c.P1c.censored)} censored` : p1c.status ?? ""
  )
  add(
    "P1d_p95_s",
    "lag to confirmed (Amazon shows it), p95",
    `${p1c.P1d?.censored ? "≥ " : ""}${fmt(out.P1d_p95_s, " s")} (p50 ${fmt(p1c.P1d?.p50_s, " s")})`,
    p1c.P1d ? `read-backs ${fmt(p1c.settings?.confirm_delays_ms?.map((x: number) => x / 1000).join("/"))} s; ${fmt(p1c.P1d.done)}/${fmt(p1c.changes)} confirmed within ${fmt(p1c.observed_for_s)} s after the last change` : ""
  )
  const p2 = d.P2 ?? {}
  const ran = typeof p2.wall_s === "number"
  add("P2_feeds", "100k reconcile: feeds", fmt(out.P2_feeds), `time ×1; ${p2.status ?? "not run"}${ran ? `; ${p2.messages} messages` : ""}`)
  add("P2_build_s", "100k reconcile: local build time", fmt(out.P2_build_s, " s"), ran ? `wall ${p2.wall_s} s − ${p2.amazon_http_s} s in simulator calls; reconcile + ${p2.push_runs} push runs; slowest step ${p2.steps?.[0]?.step} ${Math.round((p2.steps?.[0]?.ms ?? 0) / 1000)} s` : "")
  add(
    "P2_rss_mb",
    "100k reconcile: RSS increase",
    fmt(out.P2_rss_mb, " MB"),
    ran
      ? `absolute: ${p2.rss.baselineMb} → peak ${p2.rss.peakMb} MB (the P2 Medusa process, with its simulator; push runs ${p2.gap_between_runs_s} s apart); ` +
          `runs back to back: +${p2.back_to_back?.rss_increase_mb ?? "?"} MB; 400 MB heap limit: +${p2.with_heap_limit_400mb?.rss_increase_mb ?? "?"} MB`
      : ""
  )
  const p3 = d.P3 ?? {}
  add("P3_quota_use", "backlog: calls ÷ quota optimum", fmt(out.P3_quota_use), `time ×1; ${fmt(p3.calls)} patches in ${fmt(p3.first_to_last_call_s)} s; optimum 5 + 5/s × T = ${fmt(p3.optimum_calls)}`)
  add("P3_429_beyond_burst", "backlog: quota 429s", fmt(out.P3_429_beyond_burst), "simulator throttledByQuota, patchListingsItem")
  const p4 = d.P4 ?? {}
  add("P4_ratio", "10k orders: time ÷ quota minimum", fmt(out.P4_ratio), `time ×${fmt(p4.time_scale)}; ${fmt(p4.time_to_import_all_s)} s ÷ ${fmt(p4.quota_minimum_s)} s (80 pages / (0.0056×scale)/s); ${p4.status ?? ""}`)
  add("P4_duplicates", "10k orders: duplicates", fmt(out.P4_duplicates), `${fmt(p4.amazon_order_rows)} records, ${fmt(p4.medusa_orders)} Medusa orders`)
  const p5 = d.P5 ?? {}
  add("P5_p95_ms", "subscriber time per store event, p95", fmt(out.P5_p95_ms, " ms"), `inventory change ${fmt(p5.inventory_change?.p95_ms, " ms")}, order placed ${fmt(p5.order_placed?.p95_ms, " ms")}; enqueue workflow alone ${fmt(p5.enqueue_workflow_alone_one_event?.p50_ms, " ms")} p50`)
  const p6 = d.P6 ?? {}
  add("P6_time_s", "1,000 shipments: time to all confirmed", fmt(out.P6_time_s, " s"), `time ×1; send job every ${SEND_EVERY_MS / 1000} s (${fmt(p6.send_job_runs)} runs); ${fmt(p6.feeds_submitted)} feed(s); confirmShipment alone would need ≥ ${fmt(p6.confirm_shipment_only_minimum_s, " s")}`)
  add("P6_unconfirmed", "1,000 shipments: not confirmed", fmt(out.P6_unconfirmed), `${fmt(p6.confirmed)} done and SHIPPED at Amazon with their tracking; ${p6.status ?? "not run"}`)
  add("P6_duplicates", "1,000 shipments: duplicates", fmt(out.P6_duplicates), `${fmt(p6.action_rows)} action rows, ${fmt(p6.amazon_packages)} packages at Amazon`)
  add("P6_calls", "1,000 shipments: HTTP calls to Amazon", fmt(out.P6_calls), p6.http_calls_by_operation ? Object.entries(p6.http_calls_by_operation).map(([k, v]) => `${k} ${v}`).join(", ") : "")
  add("P6_429", "1,000 shipments: quota 429s", fmt(out.P6_429), "simulator throttledByQuota, every operation")
  const p7 = d.P7 ?? {}
  const p7a = p7.A
  const p7b = p7.B
  add(
    "P7_p95_s",
    "notified order / cancellation → Medusa, p95",
    `${p7a?.censored ? "≥ " : ""}${fmt(out.P7_p95_s, " s")} (p50 ${fmt(p7a?.all?.p50_s, " s")})`,
    p7a
      ? `time ×1; import parked; ${fmt(p7a.orders)} orders (p95 ${fmt(p7a.created?.p95_s, " s")}) + ${fmt(p7a.buyer_cancellations)} cancellations (p95 ${fmt(p7a.cancelled?.p95_s, " s")}); ${fmt(p7a.get_order_calls)} getOrder, ${fmt(p7a.quota_429)} 429s; polling alone ≥ ${fmt(p7.P7_polling_floor_s, " s")}`
      : p7.status ?? ""
  )
  add("P7_lost", "50 notifications/s: lost", fmt(out.P7_lost), p7b ? `${fmt(p7b.messages_sent)} sent in ${fmt(p7b.send_s, " s")} (${fmt(p7b.mix?.distinct_keys)} distinct, ${fmt(p7b.mix?.duplicates)} duplicates, ${fmt(p7b.mix?.malformed)} malformed → ${fmt(p7b.invalid_rows)} invalid rows); queue at end ${fmt(p7b.queue_at_end?.visible)} visible, ${fmt(p7b.queue_at_end?.inFlight)} in flight` : "")
  add("P7_applied_twice", "50 notifications/s: applied twice", fmt(out.P7_applied_twice), p7b ? `${fmt(p7b.rows_with_attempts_over_1)} rows with attempts > 1, ${fmt(p7b.applications_counted_beyond_rows)} applications beyond rows; ${fmt(p7b.rows_not_applied ?? p7b.backlog_at_end?.rows_not_applied)} still to apply at the end` : "")
  add("P7_keepup_lag_p95_s", "50 notifications/s: SendMessage → recorded, p95", fmt(out.P7_keepup_lag_p95_s, " s"), p7b ? `p50 ${fmt(p7b.keepup_lag?.p50_s, " s")}, max ${fmt(p7b.keepup_lag?.max_s, " s")}; recorded ${fmt(p7b.recorded_per_s)}/s, applied ${fmt(p7b.applied_per_s)}/s (last ${fmt(p7b.last_applied_after_last_send_s, " s")} after the last send); RSS ${fmt(p7b.rss?.baselineMb)} → ${fmt(p7b.rss?.peakMb)} MB` : "")
  const p8 = d.P8 ?? {}
  add("P8_calls", "drift check 100k: SP-API calls", fmt(out.P8_calls), p8.calls_by_operation ? Object.entries(p8.calls_by_operation).map(([k, v]) => `${k} ${v}`).join(", ") + ` (LWA not counted); poll every ${p8.poll_interval_s} s` : p8.status ?? "")
  add("P8_diff_s", "drift check 100k: local time", fmt(out.P8_diff_s, " s"), p8.wall_s !== undefined ? `wall ${p8.wall_s} s − ${p8.waiting_for_report_s} s Amazon preparing the report; ${p8.summary?.compared} compared, ${p8.summary?.differing} differing` : "")
  add("P8_rss_mb", "drift check 100k: RSS increase", fmt(out.P8_rss_mb, " MB"), p8.rss ? `absolute ${p8.rss.baselineMb} → peak ${p8.rss.peakMb} MB (the plugin's process; simulator in another)` : "")

  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ["key", "figure", "value", "goal"][i].length))
  const line = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join("  ")
  process.stdout.write(`\n${line(["key", "figure", "value", "goal", "verdict / how"])}\n${"─".repeat(140)}\n`)
  for (const r of rows) process.stdout.write(`${line(r)}\n`)
  process.stdout.write(`${"─".repeat(140)}\nrun time ${runS} s; timings are wall-clock on a shared ${os.cpus().length}-CPU machine (other work running: load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})\n\n`)
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    process.stderr.write(`bench failed: ${(e as Error)?.stack ?? String(e)}\n`)
    process.exit(1)
  })
