import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "node:crypto"

export const acquireAmazonLockStepId = "amazon-acquire-lock"

export interface AcquireAmazonLockStepInput {
  key: string
  /** The lock expires on its own after this long, so a crashed instance cannot hold it forever. */
  ttl_seconds: number
  /** How long to wait for another holder to finish before giving up (0 = try once). */
  wait_seconds?: number
}

export interface AmazonLock {
  acquired: boolean
  key: string
  owner_id: string
}

/**
 * Takes a Medusa lock (Locking Module) without failing the workflow when another instance holds it:
 * `acquired: false` tells the next steps to do nothing. Unlike core's acquireLockStep, which throws, this
 * lets a scheduled job that overlaps another instance's run end quietly.
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
    const until = Date.now() + (input.wait_seconds ?? 0) * 1000
    for (;;) {
      try {
        await locking.acquire(input.key, { ownerId, expire: input.ttl_seconds })
        const lock: AmazonLock = { acquired: true, key: input.key, owner_id: ownerId }
        return new StepResponse(lock, lock)
      } catch {
        if (Date.now() >= until) {
          const lock: AmazonLock = { acquired: false, key: input.key, owner_id: ownerId }
          return new StepResponse(lock, lock)
        }
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
  },
  async (lock, { container }) => {
    if (!lock?.acquired) {
      return
    }
    // Releasing by owner is safe to repeat: a lock taken over by someone else is left alone.
    await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner_id })
  }
)
