import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { fetchAmazonListingsStep } from "./steps/fetch-amazon-listings"
import { recordListingsImportStep } from "./steps/record-listings-import"
import { upsertAmazonListingsStep } from "./steps/upsert-amazon-listings"

export const importAmazonListingsWorkflowId = "amazon-import-listings"

export interface ImportAmazonListingsWorkflowInput {
  account_id: string
  marketplace_id?: string
  page_size?: number
}

/**
 * Imports the seller's listings from Amazon (searchListingsItems, following pageToken) into
 * amazon_listing, so the merchant can map them to variants. Started by "sync now" in the background,
 * never from a request handler.
 */
export const importAmazonListingsWorkflow = createWorkflow(
  importAmazonListingsWorkflowId,
  (input: ImportAmazonListingsWorkflowInput) => {
    const startedAt = transform({ input }, () => new Date().toISOString())
    const fetched = fetchAmazonListingsStep({ account_id: input.account_id, marketplace_id: input.marketplace_id, page_size: input.page_size })
    const upserted = upsertAmazonListingsStep(
      transform({ fetched }, ({ fetched }) => ({ account_id: fetched.account_id, marketplace_ids: fetched.marketplace_ids, items: fetched.items }))
    )
    const summary = recordListingsImportStep(
      transform({ fetched, upserted, startedAt }, ({ fetched, upserted, startedAt }) => ({
        account_id: fetched.account_id,
        marketplace_ids: fetched.marketplace_ids,
        started_at: startedAt,
        reported: fetched.items.length,
        created: upserted.created,
        updated: upserted.updated,
        unchanged: upserted.unchanged,
        calls: fetched.calls,
      }))
    )
    return new WorkflowResponse(summary)
  }
)
