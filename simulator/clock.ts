/**
 * The simulated clock. Every duration the simulator enforces (token lifetime, presigned URL expiry, the
 * 2-minute `*Before` rule, nextToken TTLs, quota refill, feed processing) is measured on this clock, so a
 * `timeScale` of 60 makes one real second count as one simulated minute.
 *
 * Simulated time moves with real time (scaled) and can also jump forward with {@link SimClock.advance}.
 * Timers scheduled with {@link SimClock.schedule} fire when *simulated* time reaches their due time,
 * whichever of the two made it get there.
 */

export interface SimClockOptions {
  /** Simulated epoch ms at start. Default: the real `Date.now()`. */
  startTime?: number
  /** How many simulated ms pass per real ms. Default 1. */
  timeScale?: number
  /** Receives an error thrown by a scheduled task (the remaining tasks still run). */
  onTaskError?: (error: unknown) => void
}

interface ScheduledTask {
  id: number
  dueAt: number
  run: () => void
}

export class SimClock {
  private baseSim: number
  private baseReal: number
  private scale: number
  private tasks: ScheduledTask[] = []
  private nextTaskId = 1
  private realTimer: NodeJS.Timeout | undefined
  private firing = false
  private runningAt: number | undefined
  private readonly onTaskError: (error: unknown) => void

  constructor(options: SimClockOptions = {}) {
    this.onTaskError = options.onTaskError ?? ((error) => process.emitWarning(`simulator task failed: ${String(error)}`))
    const scale = options.timeScale ?? 1
    assertTimeScale(scale)
    this.scale = scale
    this.baseReal = Date.now()
    this.baseSim = options.startTime ?? this.baseReal
  }

  /**
   * Current simulated time, epoch ms. While a timer runs, "now" is that timer's due time, so work it schedules
   * is timed from when it was due (a jump of the clock runs a whole chain of timers as if time had flowed).
   */
  now(): number {
    return this.runningAt ?? this.flowingNow()
  }

  private flowingNow(): number {
    return this.baseSim + (Date.now() - this.baseReal) * this.scale
  }

  get timeScale(): number {
    return this.scale
  }

  /** Change the scale from now on; simulated time does not jump. */
  setTimeScale(scale: number): void {
    assertTimeScale(scale)
    this.rebase()
    this.scale = scale
    this.armRealTimer()
  }

  /** Jump simulated time forward and fire every timer that became due, in due order. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advance(ms) needs a finite, non-negative number, got ${ms}`)
    }
    this.rebase()
    this.baseSim += ms
    this.fireDue()
  }

  /** Run `run` once simulated time has moved `delayMs` forward. Returns a handle for {@link cancel}. */
  schedule(delayMs: number, run: () => void): number {
    const task: ScheduledTask = { id: this.nextTaskId++, dueAt: this.now() + Math.max(0, delayMs), run }
    this.tasks.push(task)
    this.tasks.sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)
    this.armRealTimer()
    return task.id
  }

  cancel(taskId: number): void {
    this.tasks = this.tasks.filter((task) => task.id !== taskId)
    this.armRealTimer()
  }

  /** Drop every pending timer (used by reset and close). */
  cancelAll(): void {
    this.tasks = []
    this.clearRealTimer()
  }

  get pendingTimers(): number {
    return this.tasks.length
  }

  private rebase(): void {
    const realNow = Date.now()
    this.baseSim += (realNow - this.baseReal) * this.scale
    this.baseReal = realNow
  }

  private fireDue(): void {
    // A task may schedule further tasks (the feed queue does); those run in the same pass when already due.
    if (this.firing) return
    this.firing = true
    try {
      for (;;) {
        const head = this.tasks[0]
        if (!head || head.dueAt > this.flowingNow()) break
        this.tasks.shift()
        this.runningAt = head.dueAt
        try {
          head.run()
        } catch (error) {
          this.onTaskError(error)
        } finally {
          this.runningAt = undefined
        }
      }
    } finally {
      this.firing = false
      this.armRealTimer()
    }
  }

  private armRealTimer(): void {
    this.clearRealTimer()
    const head = this.tasks[0]
    if (!head) return
    const realDelay = Math.max(0, Math.ceil((head.dueAt - this.flowingNow()) / this.scale))
    // Node caps timers at 2^31-1 ms; a longer wait simply re-arms when it fires.
    this.realTimer = setTimeout(() => this.fireDue(), Math.min(realDelay, 2_147_483_647))
    this.realTimer.unref()
  }

  private clearRealTimer(): void {
    if (this.realTimer) clearTimeout(this.realTimer)
    this.realTimer = undefined
  }
}

function assertTimeScale(scale: number): void {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new RangeError(`timeScale must be a positive number, got ${scale}`)
  }
}

/** Amazon renders timestamps to the second (`2026-01-01T10:00:00Z`). */
export function toAmazonIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z")
}

/** Truncate to the second, the precision at which Amazon exposes (and therefore filters) timestamps. */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000
}

/** Parse an ISO 8601 date-time; undefined when it is not one. */
export function parseIso(value: string): number | undefined {
  // Date.parse accepts many informal formats; require at least a full date.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}
