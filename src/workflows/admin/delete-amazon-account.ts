import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
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
 * that cannot be undone). Imported orders and the Medusa orders they created stay. Nothing is changed at Amazon.
 */
export const deleteAmazonAccountWorkflow = createWorkflow(
  deleteAmazonAccountWorkflowId,
  (input: DeleteAmazonAccountWorkflowInput) => {
    removeListingVariantLinksStep({ account_id: input.id })
    const deleted = softDeleteAmazonAccountStep({ id: input.id })
    wipeAmazonAccountSecretsStep({ id: input.id })
    return new WorkflowResponse(deleted)
  }
)
