import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { AmazonLock } from "./steps/acquire-amazon-lock"
import { releaseAmazonLockStep } from "./steps/release-amazon-lock"

export const releaseAmazonLockWorkflowId = "amazon-release-lock-workflow"

/**
 * Releases a lock that a workflow took with acquireAmazonLockStep and handed back to an orchestrator
 * (e.g. importAmazonOrders, which runs workflows while it holds the lock). Does nothing when the lock was
 * not acquired or was taken over after its lease ran out. The result: whether this release freed it.
 *
 * @example
 * await releaseAmazonLockWorkflow(container).run({ input: lock })
 */
export const releaseAmazonLockWorkflow = createWorkflow(releaseAmazonLockWorkflowId, (lock: AmazonLock) => {
  return new WorkflowResponse(releaseAmazonLockStep(lock))
})
