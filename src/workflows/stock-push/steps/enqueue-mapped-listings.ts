import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { Sql, variantsOfMerchantListings } from "../../shared/medusa-tables"

export const enqueueMappedListingsStepId = "amazon-enqueue-mapped-listings"

export interface EnqueueMappedListingsStepInput {
  /** Only this account; default every enabled account. */
  account_id?: string
}

/**
 * Queues every variant sold under a merchant-fulfilled listing of the enabled accounts, with reason
 * "reconcile". The push then recomputes each quantity and sends only those that differ from what Amazon
 * last accepted, so missed events heal and an unchanged catalogue costs no Amazon call. The whole
 * catalogue is one select of distinct variant ids (listing ⋈ live link) and one upsert per 20,000 of
 * them: paging listings and links through the ORM took 17 s for 100,000 SKUs.
 *
 * @example
 * enqueueMappedListingsStep({})
 */
export const enqueueMappedListingsStep = createStep(
  enqueueMappedListingsStepId,
  async (input: EnqueueMappedListingsStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const accounts = await amazon.listAmazonAccounts(
      input.account_id ? { id: input.account_id, enabled: true } : { enabled: true },
      { select: ["id"], take: 1000 }
    )
    if (!accounts.length) {
      return new StepResponse({ listings: 0, enqueued: 0 })
    }
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    const { listings, variant_ids } = await variantsOfMerchantListings(sql, accounts.map((a) => a.id))
    const enqueued = await amazon.enqueueStockChanges(variant_ids.map((variant_id) => ({ variant_id, reason: "reconcile" })))
    return new StepResponse({ listings, enqueued })
  }
)
