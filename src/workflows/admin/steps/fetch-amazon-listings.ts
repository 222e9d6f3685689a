import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { ImportedListing, nextWindowStart, parseListingsSearchPage } from "../lib/parse-listings-search"

export const fetchAmazonListingsStepId = "amazon-fetch-listings"

export interface FetchAmazonListingsStepInput {
  account_id: string
  /** Default: every marketplace of the account. */
  marketplace_id?: string
  /** Items per page (Amazon allows 1–20). Default 20. */
  page_size?: number
}

export interface FetchAmazonListingsStepOutput {
  account_id: string
  marketplace_ids: string[]
  items: ImportedListing[]
  /** searchListingsItems calls made. */
  calls: number
  windows: number
}

/** Guards against a window that never advances (> 500k SKUs at 1,000 per window). */
const MAX_WINDOWS = 500

/**
 * Reads the seller's listings from Amazon with searchListingsItems (summaries + fulfillment availability),
 * following pageToken; catalogs above Amazon's 1,000-result cap are read in createdDate windows. Read-only
 * at Amazon, so nothing to compensate. Amazon errors propagate with their code (the runner records them).
 *
 * @example
 * const fetched = fetchAmazonListingsStep({ account_id: "amzacc_…" })
 */
export const fetchAmazonListingsStep = createStep(
  fetchAmazonListingsStepId,
  async (input: FetchAmazonListingsStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [account] = await amazon.listAmazonAccounts({ id: input.account_id }, { take: 1, select: ["id", "marketplace_ids"] })
    if (!account) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${input.account_id} was not found`)
    }
    const configured = ((account.marketplace_ids ?? []) as unknown as string[]).filter(Boolean)
    if (input.marketplace_id && !configured.includes(input.marketplace_id)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Marketplace ${input.marketplace_id} is not one of the account's marketplaces (${configured.join(", ")})`
      )
    }
    const marketplaceIds = input.marketplace_id ? [input.marketplace_id] : configured
    const api = await amazon.getSpApi(input.account_id)
    const pageSize = Math.min(20, Math.max(1, input.page_size ?? 20))
    const items: ImportedListing[] = []
    let calls = 0
    let windows = 0

    for (const marketplaceId of marketplaceIds) {
      let windowStart: string | null = null
      for (let w = 0; w < MAX_WINDOWS; w++) {
        windows++
        // Every page of a search repeats the same parameters; only pageToken is added.
        const base = {
          marketplaceIds: [marketplaceId],
          includedData: ["summaries", "fulfillmentAvailability"],
          pageSize,
          sortBy: "createdDate",
          sortOrder: "ASC",
          ...(windowStart ? { createdAfter: windowStart } : {}),
        } as const
        let token: string | null = null
        let seen = 0
        let total = 0
        let lastCreated: string | null = null
        do {
          const res = await api.searchListingsItems({ ...base, ...(token ? { pageToken: token } : {}) } as any)
          calls++
          const page = parseListingsSearchPage(res.data, marketplaceId)
          items.push(...page.items)
          seen += page.item_count
          total = page.number_of_results
          lastCreated = page.last_created_date ?? lastCreated
          token = page.next_token
        } while (token)
        const next = nextWindowStart({ number_of_results: total, seen_in_window: seen, last_created_date: lastCreated, window_start: windowStart })
        if (!next) break
        windowStart = next
      }
    }

    // A SKU read twice (window boundaries share a createdDate) is one row.
    const unique = new Map<string, ImportedListing>()
    for (const i of items) {
      unique.set(`${i.marketplace_id}\u0000${i.seller_sku}\u0000${i.fulfillment_channel}`, i)
    }
    const output: FetchAmazonListingsStepOutput = {
      account_id: input.account_id,
      marketplace_ids: marketplaceIds,
      items: [...unique.values()],
      calls,
      windows,
    }
    return new StepResponse(output)
  }
)
