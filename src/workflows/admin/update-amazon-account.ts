import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { UpdateAmazonAccountInput } from "../../modules/amazon/service"
import { checkSettingsStockImpactStep } from "./steps/check-settings-stock-impact"
import { mergeAmazonAccountSettingsStep } from "./steps/merge-amazon-account-settings"
import { requeueAccountListingsStep } from "./steps/requeue-account-listings"
import { updateAmazonAccountStep } from "./steps/update-amazon-account"
import { validateAccountMarketplacesStep } from "./steps/validate-account-marketplaces"
import { validateAccountSettingsStep } from "./steps/validate-account-settings"

export const updateAmazonAccountWorkflowId = "amazon-update-account"

export type UpdateAmazonAccountWorkflowInput = Omit<UpdateAmazonAccountInput, "settings"> & {
  /** A settings patch: given keys are set, keys given as null are removed, other keys are kept. */
  settings?: Record<string, unknown> | null
  /** The merchant confirmed a change that sets most stocked listings (or all, with no location) to 0. */
  confirm_zero_stock?: boolean
}

export interface UpdateAmazonAccountWorkflowOutput {
  id: string
  /** Linked merchant-fulfilled listings queued for the next push (a quantity setting changed), else 0. */
  requeued_listings: number
}

/**
 * Updates an account: connection fields (a new secret replaces the stored one; an omitted secret is
 * kept) and a settings patch (counted locations, sales channel, regions, rules, push tuning,
 * enable/disable). Everything is checked before anything is written: marketplaces, what the settings
 * refer to, and whether the change would take most stocked listings to 0 (refused unless confirmed).
 * Both writes are undone together if either fails. A change of the quantity settings queues the
 * account's linked variants, so the next push sends the new quantities.
 */
export const updateAmazonAccountWorkflow = createWorkflow(
  updateAmazonAccountWorkflowId,
  (input: UpdateAmazonAccountWorkflowInput) => {
    validateAccountMarketplacesStep(
      transform({ input }, ({ input }) => ({ id: input.id, region: input.region, marketplace_ids: input.marketplace_ids }))
    )
    validateAccountSettingsStep(
      transform({ input }, ({ input }) => ({ account_id: input.id, marketplace_ids: input.marketplace_ids, settings: input.settings ?? null }))
    )
    const impact = checkSettingsStockImpactStep(
      transform({ input }, ({ input }) => ({ account_id: input.id, settings: input.settings ?? null, confirm_zero_stock: input.confirm_zero_stock === true }))
    )
    const updated = updateAmazonAccountStep(
      transform({ input }, ({ input }) => {
        const { settings: _settings, confirm_zero_stock: _confirm, ...rest } = input
        return rest
      })
    )
    mergeAmazonAccountSettingsStep(transform({ input }, ({ input }) => ({ account_id: input.id, settings: input.settings ?? null })))
    const requeued = requeueAccountListingsStep(
      transform({ input, impact }, ({ input, impact }) => ({ account_id: input.id, requeue: impact.quantity_changed }))
    )
    return new WorkflowResponse(
      transform({ updated, requeued }, ({ updated, requeued }): UpdateAmazonAccountWorkflowOutput => ({
        id: updated.id,
        requeued_listings: requeued.requeued_listings,
      }))
    )
  }
)
