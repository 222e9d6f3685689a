import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { testAmazonConnectionStep } from "./steps/test-amazon-connection"

export const testAmazonConnectionWorkflowId = "amazon-test-connection"

export interface TestAmazonConnectionWorkflowInput {
  account_id: string
  deadline_ms?: number
}

/**
 * "Test connection": LWA token exchange + getMarketplaceParticipations, answered within a deadline,
 * with the outcome recorded in the sync log. The only admin action that waits for Amazon, because the
 * merchant asked for exactly that answer.
 */
export const testAmazonConnectionWorkflow = createWorkflow(
  testAmazonConnectionWorkflowId,
  (input: TestAmazonConnectionWorkflowInput) => {
    const result = testAmazonConnectionStep({ account_id: input.account_id, deadline_ms: input.deadline_ms })
    return new WorkflowResponse(result)
  }
)
