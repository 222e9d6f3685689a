/**
 * P8: the drift check of 100,000 listings (the plugin's runDriftCheck against the stack's database and a
 * simulator holding the same listings, a few hundred with other quantities): SP-API calls, local time and
 * the RSS increase of the plugin's process. Runs in a process and database of its own with the simulator in
 * yet another process (p8-child.ts, where the method is described).
 */
import path from "node:path"
import { runBenchChild } from "../lib/child"

export async function runP8(opts: { dbName: string; say: (l: string) => void; deadline: number; listings?: number; pollMs?: number }) {
  const outcome = await runBenchChild<any>({
    script: path.join(__dirname, "p8-child.ts"),
    args: ["--db", `${opts.dbName}_p8`, "--listings", String(opts.listings ?? 100_000), "--poll-ms", String(opts.pollMs ?? 15_000)],
    nodeArgs: ["--expose-gc"],
    prefix: "P8",
    say: opts.say,
    deadline: opts.deadline,
  })
  if (!outcome.ok || !outcome.result) {
    return { P8_calls: null, P8_diff_s: null, P8_rss_mb: null, details: { status: outcome.status, progress: outcome.progress, stderr: outcome.stderr } }
  }
  const r = outcome.result
  return {
    P8_calls: r.calls as number,
    P8_diff_s: r.local_s as number,
    P8_rss_mb: r.rss.increaseMb as number,
    details: {
      status: "measured: the plugin's runner (runDriftCheck) against the stack's database",
      ran: "in a process and database of its own (every job parked, push-soon off); the simulator in another process, so the RSS is the plugin's process alone",
      time_scale: 1,
      calls_formula: "createReport + getReport polls (1 + ceil(report time / poll interval)) + getReportDocument + document download; LWA token calls not counted",
      local_s_formula: "wall time of runDriftCheck − (end of the getReport answering DONE − start of createReport)",
      rss_key: "P8_rss_mb = increase of the P8 process's RSS during runDriftCheck (after a full GC); absolute baseline/peak below",
      process_s: outcome.process_s,
      ...r,
    },
  }
}
