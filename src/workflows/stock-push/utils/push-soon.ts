import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { runScheduledStream } from "../../sync-streams"
import { confirmDelays } from "../../../lib/stock/confirmation"
import type { PushAmazonStockWorkflowOutput } from "../push-amazon-stock"

/**
 * Event-driven stock push: a store change reaches Amazon in seconds with the shipped settings, instead of
 * waiting for the every-minute job (which stays as the safety net).
 *
 * Whoever queued stock work (the stock-changes subscriber after its insert, the `amazon.stock_queued`
 * subscriber for the admin's mapping changes, the order import) calls `requestStockPushSoon`. It only arms
 * a timer: no query, no Amazon call, so a subscriber's cost does not change. The push runs once the
 * changes stop arriving for `AMAZON_STOCK_PUSH_DEBOUNCE_MS` (default 1,000 ms), and at most
 * `AMAZON_STOCK_PUSH_MAX_DELAY_MS` (default 5,000 ms) after the first of a steady stream, so a checkout's
 * 3–5 events or a stock take of 1,000 items become one run, one feed or a few patches.
 *
 * One run at a time: in this process a request during a run asks for one more run after it; across
 * processes the push workflow's lock decides, and a run that found the lock taken (the job or another
 * instance is pushing, maybe without this process's newest changes) tries again shortly, a bounded number of
 * times, after which the every-minute job has it. `AMAZON_STOCK_PUSH_DEBOUNCE_MS=off` turns the trigger off
 * (tests that drive the push by hand, or a merchant who wants the job's cadence only).
 *
 * Per process state is deliberate: this is a timer, not a queue. Nothing is lost when the process dies,
 * the changes are in the database (amazon_stock_event / amazon_stock_outbox) and the job drains them.
 */

/** The settings as read now (env can change between test files, which share a process). */
export function pushSoonSettings(env: NodeJS.ProcessEnv = process.env): { enabled: boolean; debounceMs: number; maxDelayMs: number } {
  const raw = (env.AMAZON_STOCK_PUSH_DEBOUNCE_MS ?? "").trim().toLowerCase()
  if (raw === "off" || raw === "false" || raw === "disabled") {
    return { enabled: false, debounceMs: 0, maxDelayMs: 0 }
  }
  const debounceMs = raw !== "" && Number.isFinite(Number(raw)) && Number(raw) >= 0 ? Number(raw) : DEFAULT_DEBOUNCE_MS
  const maxRaw = Number(env.AMAZON_STOCK_PUSH_MAX_DELAY_MS)
  const maxDelayMs = Number.isFinite(maxRaw) && maxRaw > 0 ? Math.max(maxRaw, debounceMs) : Math.max(DEFAULT_MAX_DELAY_MS, debounceMs)
  return { enabled: true, debounceMs, maxDelayMs }
}

export const DEFAULT_DEBOUNCE_MS = 1_000
export const DEFAULT_MAX_DELAY_MS = 5_000
/** A run that found the lock taken tries again after this long, at most LOCKED_RETRIES times. */
export const LOCKED_RETRY_MS = 3_000
export const LOCKED_RETRIES = 20
/** A follow-up further away than this is left to the every-minute job. */
export const MAX_FOLLOW_UP_MS = 60_000

/**
 * When a push wants another soon: the first read-back of quantities it just sent (the first confirmation
 * delay), or the next read-back it scheduled, whichever comes first; null when neither.
 */
export function confirmFollowUpMs(results: PushAmazonStockWorkflowOutput[], now: number = Date.now(), delays: readonly number[] = confirmDelays()): number | null {
  if (!delays.length) {
    return null
  }
  let next: number | null = null
  for (const r of results) {
    if (r.patched > 0 || r.confirmations.repushed > 0) {
      next = Math.min(next ?? Infinity, delays[0])
    }
    if (r.confirmations.next_due_at) {
      next = Math.min(next ?? Infinity, Math.max(0, new Date(r.confirmations.next_due_at).getTime() - now))
    }
  }
  // a moment after the due time, so the read is due when the run looks
  return next === null ? null : next + 100
}

/**
 * The timer logic, separate from Medusa so it can be tested with fake timers and a fake runner.
 * `request()` arms or re-arms the debounce; `settled()` resolves when nothing is armed or running.
 */
export class PushSoon {
  private timer: NodeJS.Timeout | null = null
  private followTimer: NodeJS.Timeout | null = null
  private firstRequestAt: number | null = null
  private running: Promise<void> | null = null
  private again = false
  private lockedRetries = 0
  /** Runs started by this trigger (for logs and tests). */
  runs = 0

  constructor(
    private readonly run: () => Promise<PushAmazonStockWorkflowOutput[]>,
    private readonly settings: () => ReturnType<typeof pushSoonSettings>,
    private readonly logger?: Pick<Logger, "info" | "warn" | "error">,
    private readonly now: () => number = Date.now,
    /** After a run: ms until another run is wanted (a read-back of what it just sent), or null. */
    private readonly followUp?: (results: PushAmazonStockWorkflowOutput[]) => number | null
  ) {}

  request(): void {
    const s = this.settings()
    if (!s.enabled) {
      return
    }
    if (this.running) {
      // The running push may have read the outbox before this change: one more run after it.
      this.again = true
      return
    }
    const now = this.now()
    this.firstRequestAt ??= now
    const latest = this.firstRequestAt + s.maxDelayMs
    const at = Math.min(now + s.debounceMs, latest)
    if (this.timer) {
      clearTimeout(this.timer)
    }
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - now))
    this.timer.unref?.()
  }

  private fire(): void {
    this.timer = null
    this.firstRequestAt = null
    this.again = false
    this.runs++
    this.running = this.run()
      .then((results) => {
        const locked = results.length > 0 && results.every((r) => !r.lock_acquired)
        if (locked && this.lockedRetries < LOCKED_RETRIES) {
          // Another run holds the lock (the job, or another instance) and may have missed these changes.
          this.lockedRetries++
          this.again = false
          this.retryLater(LOCKED_RETRY_MS)
          return
        }
        this.lockedRetries = 0
        const next = this.followUp?.(results)
        if (next !== null && next !== undefined && next <= MAX_FOLLOW_UP_MS) {
          this.followUpIn(next)
        }
        for (const r of results) {
          if (r.candidates > 0) {
            this.logger?.info(
              `amazon stock push (on change): ${r.candidates} listing(s), ${r.skipped} unchanged, ${r.patched} patched, ${r.fed} in ${r.feeds.length} feed(s), ${r.held} held, ${r.amazon_calls} Amazon call(s)`
            )
          }
        }
      })
      .catch((e) => {
        // The job retries within a minute; nothing is lost (the outbox keeps the changes).
        this.logger?.error(`amazon stock push (on change) failed: ${(e as Error)?.message ?? String(e)}`)
      })
      .finally(() => {
        this.running = null
        if (this.again) {
          this.again = false
          this.request()
        }
      })
  }

  /** One follow-up at a time: the earlier one wins (a later one is asked for again by the run it starts). */
  private followUpIn(ms: number): void {
    if (this.followTimer) {
      clearTimeout(this.followTimer)
    }
    this.followTimer = setTimeout(() => {
      this.followTimer = null
      this.request()
    }, Math.max(0, ms))
    this.followTimer.unref?.()
  }

  private retryLater(ms: number): void {
    if (this.timer) {
      clearTimeout(this.timer)
    }
    this.timer = setTimeout(() => this.fire(), ms)
    this.timer.unref?.()
  }

  /** Resolves once nothing is armed or running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.timer || this.running) {
      await (this.running ?? new Promise((r) => setTimeout(r, 50)))
    }
  }

  /** Drops an armed timer (the job will pick the changes up). */
  cancel(): void {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.followTimer) {
      clearTimeout(this.followTimer)
      this.followTimer = null
    }
    this.firstRequestAt = null
    this.again = false
  }
}

let instance: { container: MedusaContainer; trigger: PushSoon } | null = null

/**
 * Asks for a stock push soon (see the file's comment). Cheap and synchronous: call it after stock work was
 * committed. The container is the app's (a subscriber's or a job's): the push runs with it.
 */
export function requestStockPushSoon(container: MedusaContainer): void {
  if (!pushSoonSettings().enabled) {
    return
  }
  if (!instance || instance.container !== container) {
    // One trigger per app container (a test file boots a new app in the same process).
    instance?.trigger.cancel()
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    const trigger = new PushSoon(
      async () => {
        // The job's own runner (sync-streams imports this file too: used at call time only, never at load)
        const results = await runScheduledStream(container, "stock_push", { wait_for_lock_seconds: 0 })
        return results.map((r) => r.result as PushAmazonStockWorkflowOutput)
      },
      () => pushSoonSettings(),
      logger,
      Date.now,
      (results) => confirmFollowUpMs(results)
    )
    instance = { container, trigger }
  }
  instance.trigger.request()
}

/** The current process's trigger, if one was armed (tests). */
export function currentStockPushTrigger(): PushSoon | null {
  return instance?.trigger ?? null
}
