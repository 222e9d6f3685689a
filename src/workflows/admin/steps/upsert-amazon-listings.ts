import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { ImportedListing } from "../lib/parse-listings-search"

export const upsertAmazonListingsStepId = "amazon-upsert-listings"

export interface UpsertAmazonListingsStepInput {
  account_id: string
  marketplace_ids: string[]
  items: ImportedListing[]
}

export interface UpsertAmazonListingsStepOutput {
  created: number
  updated: number
  unchanged: number
  created_ids: string[]
}

const CHUNK = 1000

/**
 * Creates the listings Amazon reported that the plugin does not know yet and refreshes ASIN, item name and
 * product type of known ones (key: account + marketplace + SKU + channel). Listings Amazon no longer reports are
 * kept: their mapping and push history stay visible. Undone by deleting the created rows and writing the
 * previous values back.
 *
 * @example
 * upsertAmazonListingsStep({ account_id, marketplace_ids, items })
 */
export const upsertAmazonListingsStep = createStep(
  upsertAmazonListingsStepId,
  async (input: UpsertAmazonListingsStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const existing = await amazon.listAmazonListings(
      { account_id: input.account_id, marketplace_id: input.marketplace_ids },
      { select: ["id", "marketplace_id", "seller_sku", "fulfillment_channel", "asin", "item_name", "product_type"] }
    )
    const key = (l: { marketplace_id: string; seller_sku: string; fulfillment_channel: string }) =>
      `${l.marketplace_id}\u0000${l.seller_sku}\u0000${l.fulfillment_channel}`
    const byKey = new Map(existing.map((l) => [key(l), l]))

    const toCreate: Record<string, unknown>[] = []
    type Refreshed = { id: string; asin: string | null; item_name: string | null; product_type: string }
    const toUpdate: Refreshed[] = []
    const previous: Refreshed[] = []
    let unchanged = 0
    for (const item of input.items) {
      const known = byKey.get(key(item))
      if (!known) {
        toCreate.push({
          account_id: input.account_id,
          marketplace_id: item.marketplace_id,
          seller_sku: item.seller_sku,
          asin: item.asin,
          item_name: item.item_name,
          product_type: item.product_type,
          fulfillment_channel: item.fulfillment_channel,
        })
        continue
      }
      // A page without a value (summaries not included) keeps the known one instead of erasing it.
      const asin = item.asin ?? known.asin ?? null
      const itemName = item.item_name ?? known.item_name ?? null
      if (asin !== (known.asin ?? null) || itemName !== (known.item_name ?? null) || item.product_type !== known.product_type) {
        toUpdate.push({ id: known.id, asin, item_name: itemName, product_type: item.product_type })
        previous.push({ id: known.id, asin: known.asin ?? null, item_name: known.item_name ?? null, product_type: known.product_type })
      } else {
        unchanged++
      }
    }

    const createdIds: string[] = []
    for (let i = 0; i < toCreate.length; i += CHUNK) {
      const created = (await amazon.createAmazonListings(toCreate.slice(i, i + CHUNK) as any)) as unknown as { id: string }[]
      createdIds.push(...created.map((l) => l.id))
    }
    for (let i = 0; i < toUpdate.length; i += CHUNK) {
      await amazon.updateAmazonListings(toUpdate.slice(i, i + CHUNK))
    }
    const output: UpsertAmazonListingsStepOutput = {
      created: createdIds.length,
      updated: toUpdate.length,
      unchanged,
      created_ids: createdIds,
    }
    return new StepResponse(output, { created_ids: createdIds, previous })
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    for (let i = 0; i < undo.created_ids.length; i += CHUNK) {
      await amazon.deleteAmazonListings(undo.created_ids.slice(i, i + CHUNK))
    }
    for (let i = 0; i < undo.previous.length; i += CHUNK) {
      await amazon.updateAmazonListings(undo.previous.slice(i, i + CHUNK))
    }
  }
)
