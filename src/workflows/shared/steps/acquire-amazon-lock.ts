import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "node:crypto"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { LEASE_SECONDS, startLease, stopLease } from "../lock-lease"

export const acquireAmazonLockStepId = "amazon-acquire-lock"

export interface AcquireAmazonLockStepInput {
  /**
   * One lock, or several taken all or none (e.g. the per-order locks of an order batch): when any is held
   * elsewhere, the ones this call got are let go again. An empty list is acquired at once.
   */
  key: string | string[]
  /**
   * The lease: the lock frees itself this long after its holder stopped renewing it (a crashed process).
   * Renewed while the run is alive, so a long run keeps it. Default LEASE_SECONDS (30).
   */
  ttl_seconds?: number
  /**
   * Fail the workflow (instead of answering `acquired: false`) when the lock is still held after
   * `wait_seconds`: for work that must not go on without it, like applying one Amazon order.
   */
  required?: boolean
  /** How long to wait for another holder to finish before giving up (0 = try once). */
  wait_seconds?: number
  /** Where a run kept out by the lock says so (amazon_sync_log stream, account). */
  report?: { stream: string; account_id?: string | null }
}

/** A run kept out this long (the lock held by one run all along) is reported as a warning to act on. */
export const LOCK_BLOCKED_WARN_AFTER_MS = 10 * 60_000

export interface AmazonLock {
  acquired: boolean
  key: string | string[]
  owner_id: string
}

/**
 * Takes a Medusa lock (Locking Module) without failing the workflow when another instance holds it:
 * `acquired: false` tells the next steps to do nothing. Unlike core's acquireLockStep, which throws, this
 * lets a scheduled job that overlaps another instance's run end quietly.
 *
 * The lock is a lease (see shared/lock-lease.ts): renewed while this run is alive, free within
 * LEASE_SECONDS of a crash. A run kept out is not silent: it leaves an info entry in the sync log (stream `report`),
 * raised to a warning when the same lock has kept runs out for 10 minutes, and resolved when a run gets it.
 *
 * Several instances are only safe with a shared locking provider (locking-redis or locking-postgres); the
 * default in-memory provider locks within one process.
 *
 * @example
 * const lock = acquireAmazonLockStep({ key: "amazon:stock-push", ttl_seconds: 600, wait_seconds: 30 })
 */
export const acquireAmazonLockStep = createStep(
  acquireAmazonLockStepId,
  async (input: AcquireAmazonLockStepInput, { container }) => {
    const locking = container.resolve(Modules.LOCKING)
    const ownerId = `amazon:${randomUUID()}`
    const lease = input.ttl_seconds ?? LEASE_SECONDS
    const until = Date.now() + (input.wait_seconds ?? 0) * 1000
    if (Array.isArray(input.key) && !input.key.length) {
      const none: AmazonLock = { acquired: false, key: [], owner_id: ownerId }
      return new StepResponse<AmazonLock, AmazonLock>({ ...none, acquired: true }, none)
    }
    const label = [input.key].flat().join(", ")
    for (;;) {
      try {
        await locking.acquire(input.key, { ownerId, expire: lease })
        startLease(locking, input.key, ownerId, lease)
        if (input.report) {
          await reportLockBlocked(container, label, input.report, false)
        }
        const lock: AmazonLock = { acquired: true, key: input.key, owner_id: ownerId }
        return new StepResponse(lock, lock)
      } catch {
        if (Array.isArray(input.key)) {
          // All or none: keys of the list this attempt got are not held while waiting or after giving up.
          await locking.release(input.key, { ownerId }).catch(() => undefined)
        }
        if (Date.now() >= until) {
          if (input.required) {
            throw new MedusaError(
              MedusaError.Types.CONFLICT,
              `Another run holds the lock ${label}; it frees itself within ${lease} s if its holder stopped. Try again.`
            )
          }
          if (input.report) {
            await reportLockBlocked(container, label, input.report, true)
          }
          const lock: AmazonLock = { acquired: false, key: input.key, owner_id: ownerId }
          return new StepResponse(lock, lock)
        }
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
  },
  async (lock, { container }) => {
    if (!lock?.acquired || !lock.key.length) {
      return
    }
    stopLease(lock.key, lock.owner_id)
    // Releasing by owner is safe to repeat: a lock taken over by someone else is left alone.
    await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner_id })
  }
)

/**
 * Keeps one open LOCK_BLOCKED entry per lock in the sync log while runs are kept out: info at first,
 * warn once it has lasted LOCK_BLOCKED_WARN_AFTER_MS; resolved when a run gets the lock. Never throws
 * (reporting must not fail the job).
 */
async function reportLockBlocked(
  container: { resolve: <T>(key: string) => T },
  key: string,
  report: { stream: string; account_id?: string | null },
  blocked: boolean
): Promise<void> {
  try {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const open = await amazon.listAmazonSyncLogs(
      { stream: report.stream, code: "LOCK_BLOCKED", resolved_at: null, ...(report.account_id ? { account_id: report.account_id } : {}) },
      { select: ["id", "level", "created_at", "context"], take: 20 }
    )
    const mine = open.filter((l) => (l.context as { key?: string } | null)?.key === key)
    if (!blocked) {
      if (mine.length) {
        await amazon.updateAmazonSyncLogs(mine.map((l) => ({ id: l.id, resolved_at: new Date() })))
      }
      return
    }
    if (!mine.length) {
      await amazon.createAmazonSyncLogs({
        account_id: report.account_id ?? null,
        stream: report.stream,
        level: "info",
        code: "LOCK_BLOCKED",
        message: `A run was skipped: another run holds the lock (${key}). It frees itself within ${LEASE_SECONDS} s if its holder stopped.`,
        context: { key },
      })
      return
    }
    const first = mine[0]
    if (first.level !== "warn" && Date.now() - new Date(first.created_at as unknown as string).getTime() >= LOCK_BLOCKED_WARN_AFTER_MS) {
      await amazon.updateAmazonSyncLogs({
        id: first.id,
        level: "warn",
        message: `Runs have been kept out for over ${Math.round(LOCK_BLOCKED_WARN_AFTER_MS / 60_000)} minutes by one run holding the lock (${key}). If no run is making progress, check the worker; the lock frees itself within ${LEASE_SECONDS} s of its holder stopping.`,
      })
    }
  } catch {
    // the job's own outcome matters more than this report
  }
}
