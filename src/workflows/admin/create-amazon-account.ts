import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { CreateAmazonAccountInput } from "../../modules/amazon/service"
import { createAmazonAccountsStep } from "./steps/create-amazon-accounts"
import { validateAccountMarketplacesStep } from "./steps/validate-account-marketplaces"

export const createAmazonAccountWorkflowId = "amazon-create-account"

export type CreateAmazonAccountWorkflowInput = CreateAmazonAccountInput

/**
 * Connects an Amazon seller account: checks its marketplaces against its region, then stores it with
 * encrypted secrets. Returns the public form (secrets reported as set, never returned).
 */
export const createAmazonAccountWorkflow = createWorkflow(
  createAmazonAccountWorkflowId,
  (input: CreateAmazonAccountWorkflowInput) => {
    validateAccountMarketplacesStep(
      transform({ input }, ({ input }) => ({ region: input.region, marketplace_ids: input.marketplace_ids }))
    )
    const created = createAmazonAccountsStep(transform({ input }, ({ input }) => [input]))
    const account = transform({ created }, ({ created }) => created[0])
    return new WorkflowResponse(account)
  }
)
