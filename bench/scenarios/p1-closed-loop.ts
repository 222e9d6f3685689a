/**
 * P1c / P1d: store stock change → Amazon acknowledges (P1c) and → Amazon shows it, confirmed by the
 * plugin's read-back (P1d), 1 change/s for 60 s, with the plugin's shipped settings (the every-minute
 * stock push and feed-results jobs, the push-soon trigger, read-backs at 5 s, 30 s, 2 min, 10 min). No
 * job or workflow is run by the scenario. Runs in a process and database of its own (p1c-child.ts, where
 * the method is described), since the benchmark's own process has every job parked.
 */
import path from "node:path"
import { runBenchChild } from "../lib/child"
import { STOCK_DEFAULT_ENV } from "../lib/env-stock-defaults"

export async function runP1C(opts: { dbName: string; say: (l: string) => void; deadline: number; seconds?: number; observeS?: number }) {
  const outcome = await runBenchChild<any>({
    script: path.join(__dirname, "p1c-child.ts"),
    args: ["--db", `${opts.dbName}_p1c`, "--seconds", String(opts.seconds ?? 60), "--observe", String(opts.observeS ?? 120)],
    // the plugin's defaults: none of these set in the child (it removes them itself as well)
    env: Object.fromEntries(STOCK_DEFAULT_ENV.map((k) => [k, undefined])),
    prefix: "P1C",
    say: opts.say,
    deadline: opts.deadline,
  })
  if (!outcome.ok || !outcome.result) {
    return { P1c_p95_s: null, P1d_p95_s: null, details: { status: outcome.status, progress: outcome.progress, stderr: outcome.stderr } }
  }
  const r = outcome.result
  return {
    P1c_p95_s: r.P1c.p95_s as number,
    P1d_p95_s: r.P1d.p95_s as number,
    details: {
      status: r.P1c.censored || r.P1d.censored ? `measured; censored: ${r.P1c.censored} not acknowledged, ${r.P1d.censored} not confirmed within ${r.observed_for_s} s after the last change (counted with the observation time: p95 is then a lower bound)` : "measured",
      ran: "in a process and database of its own, with the plugin's default stock settings (no job run by the scenario)",
      acknowledgement: "patch: amazon_listing.last_accepted_at (ACCEPTED); feed: amazon_feed.submitted_at of the feed carrying the new quantity",
      confirmation: "amazon_listing.confirm_status = 'confirmed' with amazon_quantity = the new quantity, at the row's updated_at of that write",
      process_s: outcome.process_s,
      ...r,
    },
  }
}
