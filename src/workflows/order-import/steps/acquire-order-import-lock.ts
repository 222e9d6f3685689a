import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "node:crypto"

export const acquireOrderImportLockStepId = "amazon-acquire-order-import-lock"

export interface AcquireOrderImportLockStepInput {
  key: string
  /** The lock expires on its own after this long, so a crashed instance cannot hold it forever. */
  ttl_seconds: number
}

export interface OrderImportLock {
  acquired: boolean
  key: string
  owner_id: string
}

/**
 * Takes the account's import lock without failing when another run holds it (`acquired: false`): a
 * scheduled run that overlaps a slow one, or another instance's, ends quietly instead of spending the
 * searchOrders quota on the same window twice. Across instances this needs a shared locking provider
 * (locking-redis or locking-postgres); the default in-memory provider locks within one process.
 *
 * @example
 * const lock = acquireOrderImportLockStep({ key: orderImportLockKey(accountId), ttl_seconds: 1800 })
 */
export const acquireOrderImportLockStep = createStep(
  acquireOrderImportLockStepId,
  async (input: AcquireOrderImportLockStepInput, { container }) => {
    const locking = container.resolve(Modules.LOCKING)
    const owner_id = `amazon-orders:${randomUUID()}`
    let acquired = true
    try {
      await locking.acquire(input.key, { ownerId: owner_id, expire: input.ttl_seconds })
    } catch {
      acquired = false
    }
    const lock: OrderImportLock = { acquired, key: input.key, owner_id }
    return new StepResponse(lock, lock)
  },
  async (lock, { container }) => {
    if (!lock?.acquired) {
      return
    }
    await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner_id })
  }
)
