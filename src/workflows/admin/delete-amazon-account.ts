import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { NOTIFICATIONS_CHANGED_EVENT } from "../notifications/constants"
import { removeListingVariantLinksStep } from "./steps/remove-listing-variant-links"
import { softDeleteAmazonAccountStep } from "./steps/soft-delete-amazon-account"
import { wipeAmazonAccountSecretsStep } from "./steps/wipe-amazon-account-secrets"

export const deleteAmazonAccountWorkflowId = "amazon-delete-account"

export interface DeleteAmazonAccountWorkflowInput {
  id: string
}

/**
 * Disconnects an account: its listings lose their variant links, then the account and what belongs to it
 * (listings, cursors, feeds, FBA snapshots) are soft-deleted, and its encrypted secrets are wiped (last:
 * that cannot be undone), the AWS key of its notifications with them (its consumer stops). Imported orders and
 * the Medusa orders they created stay. Nothing is changed at Amazon: notification subscriptions stay there
 * until turned off (turn them off before disconnecting to delete them).
 */
export const deleteAmazonAccountWorkflow = createWorkflow(
  deleteAmazonAccountWorkflowId,
  (input: DeleteAmazonAccountWorkflowInput) => {
    removeListingVariantLinksStep({ account_id: input.id })
    const deleted = softDeleteAmazonAccountStep({ id: input.id })
    wipeAmazonAccountSecretsStep({ id: input.id })
    emitEventStep({ eventName: NOTIFICATIONS_CHANGED_EVENT, data: transform({ input }, ({ input }) => ({ account_id: input.id })) })
    return new WorkflowResponse(deleted)
  }
)
