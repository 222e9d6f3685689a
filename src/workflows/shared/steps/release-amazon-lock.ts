import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { stopLease } from "../lock-lease"
import type { AmazonLock } from "./acquire-amazon-lock"

export const releaseAmazonLockStepId = "amazon-release-lock"

/**
 * Releases a lock taken by acquireAmazonLockStep (only if this run holds it).
 *
 * @example
 * releaseAmazonLockStep(lock)
 */
export const releaseAmazonLockStep = createStep(releaseAmazonLockStepId, async (lock: AmazonLock, { container }) => {
  if (!lock.acquired || !lock.key.length) {
    return new StepResponse(false)
  }
  stopLease(lock.key, lock.owner_id)
  const released = await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner_id })
  return new StepResponse(released)
})
