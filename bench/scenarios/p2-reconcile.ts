/**
 * P2: a full reconcile of a 100,000-SKU catalogue: feeds used, local build time, peak memory (RSS).
 *
 * The catalogue (100,000 mapped merchant-fulfilled SKUs with stock at one location) is written with bulk
 * SQL (not measured). Nothing was ever sent to Amazon for it — a first full sync after connecting a large
 * catalogue — so every SKU has to go out: the worst case of the daily reconcile. Measured is what the
 * reconcile job does: reconcileAmazonStockWorkflow (queue every mapped SKU), then pushAmazonStockWorkflow,
 * repeated until the outbox is drained. In production the push job picks up the rest a minute later each
 * time; here the runs are 20 s apart (that waiting is not counted in any time). The same reconcile is run
 * again with the runs back to back (details.P2.back_to_back: V8 then collects one run's garbage only while
 * the next allocates, the worst case) and under a 400 MB heap limit (details.P2.with_heap_limit_400mb).
 *
 * Local build time = wall time of those runs minus the time spent inside HTTP calls to the simulator.
 * RSS = the P2 process's resident set size, sampled every 25 ms: the key holds the increase during the
 * reconcile, details hold the absolute baseline and peak.
 *
 * It runs in a child process (p2-child.ts, see there why) started at the beginning of the benchmark and
 * awaited at the end; if it has not finished by the deadline it is stopped and what it reached is
 * reported (flagged).
 */
import { spawn } from "node:child_process"
import { existsSync, readFileSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { round } from "../lib/stats"

export const P2_SKUS = 100_000

export interface P2Handle {
  startedAt: number
  lines: string[]
  /** Waits for the child until `deadline` (epoch ms); stops it if it is still running then. */
  finish(deadline: number): Promise<{ P2_feeds: number | null; P2_build_s: number | null; P2_rss_mb: number | null; details: Record<string, unknown> }>
}

export function startP2(opts: {
  dbName: string
  say: (l: string) => void
  skus?: number
  /** Run the child with `--max-old-space-size=<MB>` (how a merchant bounds a Medusa server's heap). */
  heapLimitMb?: number
  /** Pause between push runs (default 20 s; the push job runs once a minute in production). 0 = back to back. */
  runGapMs?: number
}): P2Handle {
  const resultFile = path.join(os.tmpdir(), `bench-p2-${process.pid}-${opts.heapLimitMb ?? "default"}-${opts.runGapMs ?? "gap"}.json`)
  rmSync(resultFile, { force: true })
  const child = spawn(
    process.execPath,
    [
      ...(opts.heapLimitMb ? [`--max-old-space-size=${opts.heapLimitMb}`] : []),
      require.resolve("ts-node/dist/bin.js"),
      "--transpile-only",
      path.join(__dirname, "p2-child.ts"),
      "--skus",
      String(opts.skus ?? P2_SKUS),
      "--result",
      resultFile,
      "--db",
      `${opts.dbName}_p2`,
    ],
    {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, ...(opts.runGapMs !== undefined ? { BENCH_P2_RUN_GAP_MS: String(opts.runGapMs) } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    }
  )
  const startedAt = Date.now()
  const lines: string[] = []
  let stderr = ""
  let reconcileStartedAt: number | undefined
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line.trim()) continue
      lines.push(line)
      if (line.includes("reconciling")) reconcileStartedAt = Date.now()
      // Progress only; Medusa's own boot chatter is left out.
      if (line.startsWith("P2: ")) opts.say(`${line}`)
    }
  }
  child.stdout.on("data", relay)
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString()
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000)
  })
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))

  return {
    startedAt,
    lines,
    async finish(deadline) {
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), Math.max(0, deadline - Date.now()))),
      ])
      if (timedOut) {
        opts.say("P2: the reconcile did not finish before the deadline; stopping it")
        child.kill("SIGKILL")
        await exited
      }
      const code = await exited
      const progress = lines.filter((l) => l.startsWith("P2: ")).map((l) => l.slice(4))
      if (!timedOut && code === 0 && existsSync(resultFile)) {
        const r = JSON.parse(readFileSync(resultFile, "utf8"))
        rmSync(resultFile, { force: true })
        return {
          P2_feeds: r.feeds,
          P2_build_s: r.local_s,
          P2_rss_mb: r.rss.increaseMb,
          details: {
            status: r.outbox_left === 0 ? "measured" : `measured, ${r.outbox_left} outbox rows left`,
            time_scale: 1,
            rss_key: "P2_rss_mb = increase of the P2 process's RSS during the reconcile; absolute baseline/peak below",
            ...r,
            ran: "first and alone, in a process and database of its own",
          },
        }
      }
      const elapsed = round((Date.now() - startedAt) / 1000, 0)
      return {
        P2_feeds: null,
        P2_build_s: null,
        P2_rss_mb: null,
        details: {
          status: timedOut ? `not finished: stopped after ${elapsed} s (deadline)` : `failed (exit ${code})`,
          // The build time is at least this (from the start of the reconcile to the stop).
          build_s_at_least: reconcileStartedAt ? round((Date.now() - reconcileStartedAt) / 1000, 0) : null,
          progress,
          stderr: stderr.split("\n").filter((l) => !l.startsWith("npm warn")).slice(-20).join("\n"),
        },
      }
    },
  }
}
