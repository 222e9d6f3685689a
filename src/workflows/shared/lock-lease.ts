import type { ILockingModule } from "@medusajs/framework/types"

/**
 * A job lock that never outlives its holder by more than a short lease.
 *
 * The lock is taken with a lease of LEASE_SECONDS and renewed every RENEW_EVERY_MS while the run that
 * holds it is alive (the Locking Module extends a lock when its owner acquires it again). A process that
 * dies — SIGKILL, an OOM kill, a lost container — stops renewing, and the lock frees itself within one
 * lease instead of the 15–30 minutes a fixed TTL sized for the longest run would block the next runs.
 *
 * Renewal timers are per process and unref'd (they never keep Node alive); stopLease ends them. A renewal
 * that fails (the lock was lost to another owner after a long pause) stops renewing: the holder's work is
 * idempotent and the new holder simply carries on.
 */
export const LEASE_SECONDS = 30
export const RENEW_EVERY_MS = 10_000
/**
 * A renewal never goes on longer than this: should a run end without releasing (a workflow engine that
 * dropped its compensation), its lock still frees itself — like the fixed TTL this replaces, but only in
 * that unlikely case instead of after every crash.
 */
export const MAX_HOLD_MS = 30 * 60_000

const timers = new Map<string, NodeJS.Timeout>()
const id = (key: string | string[], ownerId: string) => `${[key].flat().join("\u0001")}\u0000${ownerId}`

export function startLease(
  locking: ILockingModule,
  key: string | string[],
  ownerId: string,
  leaseSeconds = LEASE_SECONDS,
  maxHoldMs = MAX_HOLD_MS
): void {
  stopLease(key, ownerId)
  const every = Math.max(1_000, Math.min(RENEW_EVERY_MS, Math.floor((leaseSeconds * 1000) / 3)))
  const stopAt = Date.now() + maxHoldMs
  const timer = setInterval(() => {
    if (Date.now() >= stopAt) {
      stopLease(key, ownerId)
      return
    }
    locking.acquire(key, { ownerId, expire: leaseSeconds }).catch(() => stopLease(key, ownerId))
  }, every)
  timer.unref()
  timers.set(id(key, ownerId), timer)
}

export function stopLease(key: string | string[], ownerId: string): void {
  const k = id(key, ownerId)
  const timer = timers.get(k)
  if (timer) {
    clearInterval(timer)
    timers.delete(k)
  }
}

/** Leases this process is renewing (tests and diagnostics). */
export function activeLeases(): number {
  return timers.size
}
