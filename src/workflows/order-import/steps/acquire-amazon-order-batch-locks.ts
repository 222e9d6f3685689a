import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "node:crypto"
import { LEASE_SECONDS, startLease, stopLease } from "../../shared/lock-lease"

export const acquireAmazonOrderBatchLocksStepId = "amazon-acquire-order-batch-locks"

export interface AcquireAmazonOrderBatchLocksStepInput {
  /** amazonOrderLockKey of every order of the batch. */
  keys: string[]
  /** The lease (default LEASE_SECONDS): renewed while the batch runs, so a killed process frees them soon. */
  ttl_seconds?: number
}

export interface AmazonOrderBatchLock {
  acquired: boolean
  keys: string[]
  owner_id: string
}

/**
 * Takes the per-order locks of a whole batch at once, all or none: the same locks applyAmazonOrderWorkflow
 * takes one by one, so an admin's retry of one of these orders cannot run beside the batch. When any key
 * is held elsewhere, the keys this call got are let go again and the batch reports `acquired: false` (it
 * then hands every order to the one-by-one path, which waits for its lock) instead of failing, and
 * instead of holding half the keys until they expire. The locks are leases (shared/lock-lease.ts): a
 * process killed mid-batch holds them at most one lease longer.
 *
 * @example
 * const lock = acquireAmazonOrderBatchLocksStep({ keys: ids.map(amazonOrderLockKey) })
 */
export const acquireAmazonOrderBatchLocksStep = createStep(
  acquireAmazonOrderBatchLocksStepId,
  async (input: AcquireAmazonOrderBatchLocksStepInput, { container }) => {
    const locking = container.resolve(Modules.LOCKING)
    const owner_id = `amazon-order-batch:${randomUUID()}`
    let acquired = true
    if (input.keys.length) {
      const lease = input.ttl_seconds ?? LEASE_SECONDS
      try {
        await locking.acquire(input.keys, { ownerId: owner_id, expire: lease })
        startLease(locking, input.keys, owner_id, lease)
      } catch {
        acquired = false
        await locking.release(input.keys, { ownerId: owner_id }).catch(() => undefined)
      }
    }
    const lock: AmazonOrderBatchLock = { acquired, keys: input.keys, owner_id }
    return new StepResponse(lock, lock)
  },
  async (lock, { container }) => {
    if (!lock?.acquired || !lock.keys.length) {
      return
    }
    stopLease(lock.keys, lock.owner_id)
    await container.resolve(Modules.LOCKING).release(lock.keys, { ownerId: lock.owner_id })
  }
)

export const releaseAmazonOrderBatchLocksStepId = "amazon-release-order-batch-locks"

/** Lets the batch's per-order locks go: the batch workflow's last step. */
export const releaseAmazonOrderBatchLocksStep = createStep(
  releaseAmazonOrderBatchLocksStepId,
  async (lock: AmazonOrderBatchLock, { container }) => {
    if (!lock.acquired || !lock.keys.length) {
      return new StepResponse(false)
    }
    stopLease(lock.keys, lock.owner_id)
    return new StepResponse(await container.resolve(Modules.LOCKING).release(lock.keys, { ownerId: lock.owner_id }))
  }
)
