import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "node:crypto"

export const acquireAmazonOrderBatchLocksStepId = "amazon-acquire-order-batch-locks"

export interface AcquireAmazonOrderBatchLocksStepInput {
  /** amazonOrderLockKey of every order of the batch. */
  keys: string[]
  ttl_seconds: number
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
 * instead of holding half the keys until they expire.
 *
 * @example
 * const lock = acquireAmazonOrderBatchLocksStep({ keys: ids.map(amazonOrderLockKey), ttl_seconds: 300 })
 */
export const acquireAmazonOrderBatchLocksStep = createStep(
  acquireAmazonOrderBatchLocksStepId,
  async (input: AcquireAmazonOrderBatchLocksStepInput, { container }) => {
    const locking = container.resolve(Modules.LOCKING)
    const owner_id = `amazon-order-batch:${randomUUID()}`
    let acquired = true
    if (input.keys.length) {
      try {
        await locking.acquire(input.keys, { ownerId: owner_id, expire: input.ttl_seconds })
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
    return new StepResponse(await container.resolve(Modules.LOCKING).release(lock.keys, { ownerId: lock.owner_id }))
  }
)
