import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { liveLinksOfListings } from "../utils/stock-queries"

export const enqueueMappedListingsStepId = "amazon-enqueue-mapped-listings"

export interface EnqueueMappedListingsStepInput {
  /** Only this account; default every enabled account. */
  account_id?: string
}

const PAGE = 5000

/**
 * Queues every variant sold under a merchant-fulfilled listing of the enabled accounts, with reason
 * "reconcile". The push then recomputes each quantity and sends only those that differ from what Amazon
 * last accepted, so missed events heal and an unchanged catalogue costs no Amazon call.
 *
 * @example
 * enqueueMappedListingsStep({})
 */
export const enqueueMappedListingsStep = createStep(
  enqueueMappedListingsStepId,
  async (input: EnqueueMappedListingsStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const accounts = await amazon.listAmazonAccounts(
      input.account_id ? { id: input.account_id, enabled: true } : { enabled: true },
      { select: ["id"], take: 1000 }
    )
    if (!accounts.length) {
      return new StepResponse({ listings: 0, enqueued: 0 })
    }
    let listings = 0
    let enqueued = 0
    for (let skip = 0; ; skip += PAGE) {
      const page = await amazon.listAmazonListings(
        { account_id: accounts.map((a) => a.id), fulfillment_channel: "MERCHANT" },
        { select: ["id"], order: { id: "ASC" }, skip, take: PAGE }
      )
      if (!page.length) break
      listings += page.length
      const links = await liveLinksOfListings(query, page.map((l) => l.id))
      enqueued += await amazon.enqueueStockChanges(links.map((l) => ({ variant_id: l.product_variant_id, reason: "reconcile" })))
      if (page.length < PAGE) break
    }
    return new StepResponse({ listings, enqueued })
  }
)
