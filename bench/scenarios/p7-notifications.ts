/**
 * P7: Amazon notifications over SQS (issue 19). Part A: Amazon order created or cancelled by the buyer →
 * Medusa order (or cancelled order, reservations released), with the order import parked, p95. Part B: the
 * consumer at 50 messages/s for 60 s: lost, applied twice, SendMessage → inbox row lag p95. Runs in a process
 * and database of its own with the simulator in another process (p7-child.ts, where the method is described).
 */
import path from "node:path"
import { runBenchChild } from "../lib/child"

export async function runP7(opts: { dbName: string; say: (l: string) => void; deadline: number; orderSeconds?: number; keepupSeconds?: number; rate?: number }) {
  const outcome = await runBenchChild<any>({
    script: path.join(__dirname, "p7-child.ts"),
    args: [
      "--db",
      `${opts.dbName}_p7`,
      "--order-seconds",
      String(opts.orderSeconds ?? 60),
      "--keepup-seconds",
      String(opts.keepupSeconds ?? 60),
      "--rate",
      String(opts.rate ?? 50),
    ],
    // the consumer's shipped timings (the child removes them as well)
    env: { AMAZON_NOTIFICATIONS: undefined, AMAZON_NOTIFICATIONS_WAIT_SECONDS: undefined, AMAZON_NOTIFICATIONS_VISIBILITY_SECONDS: undefined, AMAZON_NOTIFICATIONS_QUIET_MINUTES: undefined },
    prefix: "P7",
    say: opts.say,
    deadline: opts.deadline,
  })
  if (!outcome.ok || !outcome.result) {
    return {
      P7_p95_s: null,
      P7_lost: null,
      P7_applied_twice: null,
      P7_keepup_lag_p95_s: null,
      details: { status: outcome.status, progress: outcome.progress, stderr: outcome.stderr },
    }
  }
  const r = outcome.result
  const censored = r.A.censored > 0
  return {
    P7_p95_s: r.A.all.p95_s as number,
    P7_lost: r.B.lost as number,
    P7_applied_twice: r.B.applied_twice as number,
    P7_keepup_lag_p95_s: r.B.keepup_lag.p95_s as number,
    details: {
      status: censored
        ? `measured; ${r.A.censored} order event(s) not done within ${r.A.observed_for_s} s after the last (counted with the observation time: P7_p95_s is then a lower bound)`
        : r.B.drained
          ? "measured"
          : `measured; the keep-up part did not drain within the window (${JSON.stringify(r.B.backlog_at_end)})`,
      ran: "in a process and database of its own (every job parked, the order import among them; consumer with its default timings); the simulator and its SQS endpoint in another process",
      time_scale: 1,
      P7_p95_s: "Part A: seed / buyer-cancellation call → amazon_order row with the Medusa order (created_at) / amazon_order CANCELLED and the Medusa order canceled (updated_at), p95 over orders and cancellations",
      P7_polling_floor_s: r.polling_floor_s,
      P7_polling_floor_note: "Amazon's rule, not measured: searchOrders shows an order 2 minutes after its last change, so polling alone cannot bring it sooner",
      P7_lost: "Part B: distinct keys sent (NotificationId, or the parser's body hash for unreadable bodies) without an amazon_notification row",
      P7_applied_twice: "Part B: rows with attempts > 1 + applications counted on the set-up (applied_count) beyond the rows applied",
      P7_keepup_lag_p95_s: "Part B: first SendMessage of a key → its row's received_at, p95",
      process_s: outcome.process_s,
      ...r,
    },
  }
}
