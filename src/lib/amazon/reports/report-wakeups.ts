/**
 * Lets a REPORT_PROCESSING_FINISHED notification cut short the wait of whoever polls that report in this
 * process (the drift check waits between getReport calls): `reportSleep(reportId)` is a sleep that
 * `wakeReportWaiters(reportId)` ends early. Polling stays the mechanism, so a notification that never comes,
 * or comes to another instance, only means the wait runs its normal length.
 */
const waiters = new Map<string, Set<() => void>>()

/** A sleep for pollReport's `sleep` option that a notification about `reportId` ends early. */
export function reportSleep(reportId: string): (ms: number) => Promise<void> {
  return (ms: number) =>
    new Promise<void>((resolve) => {
      const set = waiters.get(reportId) ?? new Set()
      const done = () => {
        clearTimeout(timer)
        set.delete(done)
        if (!set.size) waiters.delete(reportId)
        resolve()
      }
      const timer = setTimeout(done, ms)
      set.add(done)
      waiters.set(reportId, set)
    })
}

/** Ends the waits on `reportId`; how many there were (0: nobody in this process polls it). */
export function wakeReportWaiters(reportId: string): number {
  const set = waiters.get(reportId)
  if (!set) return 0
  const all = [...set]
  all.forEach((done) => done())
  return all.length
}
