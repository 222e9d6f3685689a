import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { CreateAmazonAccountInput } from "../../modules/amazon/service"
import { checkSettingsStockImpactStep } from "./steps/check-settings-stock-impact"
import { createAmazonAccountsStep } from "./steps/create-amazon-accounts"
import { validateAccountMarketplacesStep } from "./steps/validate-account-marketplaces"
import { validateAccountSettingsStep } from "./steps/validate-account-settings"

export const createAmazonAccountWorkflowId = "amazon-create-account"

export type CreateAmazonAccountWorkflowInput = CreateAmazonAccountInput & {
  /** The merchant confirmed counting no stock location (every listing would get 0). */
  confirm_zero_stock?: boolean
}

/**
 * Connects an Amazon seller account: checks its marketplaces against its region and what its settings
 * refer to (locations, sales channel, regions, rules; counting no location needs confirm_zero_stock),
 * then stores it with encrypted secrets. Returns the public form (secrets reported as set, never returned).
 */
export const createAmazonAccountWorkflow = createWorkflow(
  createAmazonAccountWorkflowId,
  (input: CreateAmazonAccountWorkflowInput) => {
    validateAccountMarketplacesStep(
      transform({ input }, ({ input }) => ({ region: input.region, marketplace_ids: input.marketplace_ids }))
    )
    validateAccountSettingsStep(
      transform({ input }, ({ input }) => ({ marketplace_ids: input.marketplace_ids, settings: input.settings ?? null }))
    )
    checkSettingsStockImpactStep(
      transform({ input }, ({ input }) => ({ settings: input.settings ?? null, confirm_zero_stock: input.confirm_zero_stock === true }))
    )
    const created = createAmazonAccountsStep(
      transform({ input }, ({ input }) => {
        const { confirm_zero_stock: _confirm, ...account } = input
        return [account]
      })
    )
    const account = transform({ created }, ({ created }) => created[0])
    return new WorkflowResponse(account)
  }
)
