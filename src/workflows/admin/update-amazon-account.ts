import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { UpdateAmazonAccountInput } from "../../modules/amazon/service"
import { mergeAmazonAccountSettingsStep } from "./steps/merge-amazon-account-settings"
import { updateAmazonAccountStep } from "./steps/update-amazon-account"
import { validateAccountMarketplacesStep } from "./steps/validate-account-marketplaces"

export const updateAmazonAccountWorkflowId = "amazon-update-account"

export type UpdateAmazonAccountWorkflowInput = Omit<UpdateAmazonAccountInput, "settings"> & {
  /** A settings patch: given keys are set, keys given as null are removed, other keys are kept. */
  settings?: Record<string, unknown> | null
}

/**
 * Updates an account: connection fields (a new secret replaces the stored one; an omitted secret is
 * kept) and a settings patch (counted locations, sales channel, regions, rules, push tuning,
 * enable/disable). Both changes are undone together if either fails.
 */
export const updateAmazonAccountWorkflow = createWorkflow(
  updateAmazonAccountWorkflowId,
  (input: UpdateAmazonAccountWorkflowInput) => {
    validateAccountMarketplacesStep(
      transform({ input }, ({ input }) => ({ id: input.id, region: input.region, marketplace_ids: input.marketplace_ids }))
    )
    const updated = updateAmazonAccountStep(
      transform({ input }, ({ input }) => {
        const { settings: _settings, ...rest } = input
        return rest
      })
    )
    mergeAmazonAccountSettingsStep(transform({ input }, ({ input }) => ({ account_id: input.id, settings: input.settings ?? null })))
    return new WorkflowResponse(updated)
  }
)
