import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { FbaSkuIssue, FbaSkuMapping } from "../../../lib/amazon/fba/levels"
import type { ParsedInventorySummary } from "../../../lib/amazon/parsers/parse-inventory-summaries"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { chunked } from "../constants"

export const recordFbaStockStepId = "amazon-record-fba-stock"

export interface RecordFbaStockStepInput {
  account_id: string
  marketplace_id: string
  items: ParsedInventorySummary[]
  mappings: Record<string, FbaSkuMapping>
  /** Stored SKUs re-resolved without a new snapshot (their mapping may have changed). */
  rechecked_skus: string[]
  /** Full scan: stored SKUs Amazon no longer reports are set to 0 (Amazon holds none of them). */
  full: boolean
  synced_at: string
}

export interface RecordFbaStockStepOutput {
  created: number
  updated: number
  /** Stored SKUs a full scan did not see any more, now at 0. */
  zeroed_skus: string[]
  /** SKUs that became unmappable in this pass (new, or with another reason than before). */
  newly_flagged: { sku: string; issue: FbaSkuIssue }[]
  /** Flagged snapshots of the account + marketplace after this pass. */
  flagged: { sku: string; issue: FbaSkuIssue }[]
}

const ZERO = {
  fulfillable: 0,
  inbound_working: 0,
  inbound_shipped: 0,
  inbound_receiving: 0,
  reserved: 0,
  unfulfillable: 0,
  researching: 0,
  total: 0,
}

function snapshotColumns(item: ParsedInventorySummary) {
  return {
    asin: item.asin ?? null,
    fn_sku: item.fnSku ?? null,
    fulfillable: item.fulfillable,
    inbound_working: item.inboundWorking,
    inbound_shipped: item.inboundShipped,
    inbound_receiving: item.inboundReceiving,
    reserved: item.reserved,
    unfulfillable: item.unfulfillable,
    researching: item.researching,
    total: item.total,
    amazon_updated_at: item.lastUpdatedTime ? new Date(item.lastUpdatedTime) : null,
  }
}

/**
 * Upserts the amazon_fba_stock snapshots of a pass (inbound / reserved / unfulfillable / researching for
 * the admin, plus the listing it maps to or why it maps to none).
 *
 * No compensation: the rows are snapshots, and a failed pass does not advance the watermark, so the next
 * pass reads the same changes again and rewrites the same values.
 *
 * @example
 * const recorded = recordFbaStockStep({ account_id, marketplace_id, items, mappings, rechecked_skus, full: false, synced_at })
 */
export const recordFbaStockStep = createStep(
  recordFbaStockStepId,
  async (input: RecordFbaStockStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const scope = { account_id: input.account_id, marketplace_id: input.marketplace_id }
    const syncedAt = new Date(input.synced_at)

    const relevant = [...input.items.map((i) => i.sellerSku), ...input.rechecked_skus]
    const existing = new Map<string, { id: string; issue: string | null; listing_id: string | null; fulfillable: number | null; total: number | null }>()
    const existingRows = input.full
      ? [await amazon.listAmazonFbaStocks(scope, { select: ["id", "seller_sku", "issue", "listing_id", "fulfillable", "total"] })]
      : await Promise.all(
          chunked(relevant).map((skus) =>
            amazon.listAmazonFbaStocks({ ...scope, seller_sku: skus }, { select: ["id", "seller_sku", "issue", "listing_id", "fulfillable", "total"] })
          )
        )
    for (const row of existingRows.flat()) {
      existing.set(row.seller_sku, row)
    }

    const creates: Record<string, unknown>[] = []
    const updates: Record<string, unknown>[] = []
    const newlyFlagged: RecordFbaStockStepOutput["newly_flagged"] = []
    const noteFlag = (sku: string, mapping: FbaSkuMapping | undefined, previousIssue: string | null | undefined) => {
      if (mapping?.issue && mapping.issue !== previousIssue) {
        newlyFlagged.push({ sku, issue: mapping.issue })
      }
    }

    const seen = new Set<string>()
    for (const item of input.items) {
      const sku = item.sellerSku
      seen.add(sku)
      const mapping = input.mappings[sku]
      const row = existing.get(sku)
      const columns = {
        ...snapshotColumns(item),
        listing_id: mapping?.listing_id ?? null,
        issue: mapping ? mapping.issue : "unmapped",
        synced_at: syncedAt,
      }
      noteFlag(sku, mapping, row?.issue)
      if (row) {
        updates.push({ id: row.id, ...columns })
      } else {
        creates.push({ ...scope, seller_sku: sku, ...columns })
      }
    }

    const zeroed: string[] = []
    for (const sku of input.rechecked_skus) {
      const row = existing.get(sku)
      if (!row || seen.has(sku)) {
        continue
      }
      const mapping = input.mappings[sku]
      const change: Record<string, unknown> = {}
      if (mapping && (mapping.listing_id !== row.listing_id || mapping.issue !== row.issue)) {
        change.listing_id = mapping.listing_id
        change.issue = mapping.issue
        noteFlag(sku, mapping, row.issue)
      }
      if (input.full && (row.fulfillable !== 0 || row.total !== 0)) {
        Object.assign(change, ZERO, { synced_at: syncedAt })
        zeroed.push(sku)
      }
      if (Object.keys(change).length) {
        updates.push({ id: row.id, ...change })
      }
    }

    for (const part of chunked(creates)) {
      await amazon.createAmazonFbaStocks(part as any)
    }
    for (const part of chunked(updates)) {
      await amazon.updateAmazonFbaStocks(part as any)
    }

    const flaggedRows = await amazon.listAmazonFbaStocks({ ...scope, issue: { $ne: null } }, { select: ["seller_sku", "issue"] })
    const output: RecordFbaStockStepOutput = {
      created: creates.length,
      updated: updates.length,
      zeroed_skus: zeroed,
      newly_flagged: newlyFlagged,
      flagged: flaggedRows.map((r) => ({ sku: r.seller_sku, issue: r.issue as FbaSkuIssue })),
    }
    return new StepResponse(output)
  }
)
