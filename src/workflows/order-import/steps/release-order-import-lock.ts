import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { OrderImportLock } from "./acquire-order-import-lock"

export const releaseOrderImportLockStepId = "amazon-release-order-import-lock"

/**
 * Releases the account's import lock, by owner: a lock that expired and was taken by another run is left
 * alone. The workflow's last step.
 *
 * @example
 * releaseOrderImportLockStep(lock)
 */
export const releaseOrderImportLockStep = createStep(releaseOrderImportLockStepId, async (lock: OrderImportLock, { container }) => {
  if (!lock.acquired) {
    return new StepResponse(false)
  }
  const released = await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner_id })
  return new StepResponse(released)
})
