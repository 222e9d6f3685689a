/**
 * Per-operation call statistics, so tests can assert how a client behaved under quotas (did it stay inside
 * the burst, did it back off after a 429?).
 */

export interface OperationCounters {
  /** Every call that reached the operation (after routing, before auth). */
  calls: number
  /** 2xx answers. */
  succeeded: number
  /** Every 429, whatever its cause. */
  throttled: number
  /** 429s because the usage-plan bucket (or the JSON_LISTINGS_FEED window) was empty: calls beyond burst/rate. */
  throttledByQuota: number
  /** 429s injected by a "throttle" fault. */
  throttledByFault: number
  /** 4xx other than 429. */
  clientErrors: number
  /** 5xx. */
  serverErrors: number
}

export type ThrottleCause = "quota" | "fault"

export class CallCounters {
  private readonly byOperation = new Map<string, OperationCounters>()

  recordCall(operation: string): void {
    this.entry(operation).calls += 1
  }

  recordOutcome(operation: string, status: number, throttleCause?: ThrottleCause): void {
    const entry = this.entry(operation)
    if (status >= 200 && status < 300) entry.succeeded += 1
    else if (status === 429) {
      entry.throttled += 1
      if (throttleCause === "fault") entry.throttledByFault += 1
      else entry.throttledByQuota += 1
    } else if (status >= 400 && status < 500) entry.clientErrors += 1
    else if (status >= 500) entry.serverErrors += 1
  }

  get(operation: string): OperationCounters {
    return { ...this.entry(operation) }
  }

  snapshot(): Record<string, OperationCounters> {
    const out: Record<string, OperationCounters> = {}
    for (const [operation, counters] of [...this.byOperation.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      out[operation] = { ...counters }
    }
    return out
  }

  reset(): void {
    this.byOperation.clear()
  }

  private entry(operation: string): OperationCounters {
    let entry = this.byOperation.get(operation)
    if (!entry) {
      entry = { calls: 0, succeeded: 0, throttled: 0, throttledByQuota: 0, throttledByFault: 0, clientErrors: 0, serverErrors: 0 }
      this.byOperation.set(operation, entry)
    }
    return entry
  }
}
