/**
 * FBA Inventory v1 getInventorySummaries.
 *
 * nextToken lives 30 s (simulated). With startDateTime only SKUs changed since then are returned (sellerSkus is
 * ignored), and every page must repeat the same startDateTime (enforced by Amazon since 2022-10-31).
 */
import { randomBytes } from "node:crypto"
import type { components } from "../../src/lib/amazon/generated/fba-inventory-v1"
import { parseIso, toAmazonIso, toSecond } from "../clock"
import { type PageCursor, type SimContext, type SpApiRequest, type SpApiRoute, storeCursor } from "../context"
import { invalidInput, json } from "../http"
import type { FbaStock } from "../types"
import { requireList, requireSellerMarketplaces } from "./common"

type InventorySummary = components["schemas"]["InventorySummary"]
type GetInventorySummariesResponse = components["schemas"]["GetInventorySummariesResponse"]

const EIGHTEEN_MONTHS_MS = 548 * 24 * 3_600_000
const NEXT_TOKEN_INVALID = "The nextToken is invalid or expired"

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

export function renderSummary(stock: FbaStock, details: boolean, fallback: { asin?: string; productName?: string }): InventorySummary {
  const reservedTotal = sum([stock.reserved.pendingCustomerOrder, stock.reserved.pendingTransshipment, stock.reserved.fcProcessing])
  const unfulfillableTotal = sum(Object.values(stock.unfulfillable))
  const summary: InventorySummary = {
    sellerSku: stock.sku,
    condition: stock.condition,
    lastUpdatedTime: toAmazonIso(stock.lastUpdatedAt),
    totalQuantity: sum([
      stock.fulfillable,
      stock.inboundWorking,
      stock.inboundShipped,
      stock.inboundReceiving,
      reservedTotal,
      stock.researching,
      unfulfillableTotal,
    ]),
  }
  const asin = stock.asin ?? fallback.asin
  const productName = stock.productName ?? fallback.productName
  if (asin) summary.asin = asin
  if (stock.fnSku) summary.fnSku = stock.fnSku
  if (productName) summary.productName = productName
  if (details) {
    summary.inventoryDetails = {
      fulfillableQuantity: stock.fulfillable,
      inboundWorkingQuantity: stock.inboundWorking,
      inboundShippedQuantity: stock.inboundShipped,
      inboundReceivingQuantity: stock.inboundReceiving,
      reservedQuantity: {
        totalReservedQuantity: reservedTotal,
        pendingCustomerOrderQuantity: stock.reserved.pendingCustomerOrder,
        pendingTransshipmentQuantity: stock.reserved.pendingTransshipment,
        fcProcessingQuantity: stock.reserved.fcProcessing,
      },
      researchingQuantity: { totalResearchingQuantity: stock.researching, researchingQuantityBreakdown: [] },
      unfulfillableQuantity: {
        totalUnfulfillableQuantity: unfulfillableTotal,
        customerDamagedQuantity: stock.unfulfillable.customerDamaged,
        warehouseDamagedQuantity: stock.unfulfillable.warehouseDamaged,
        distributorDamagedQuantity: stock.unfulfillable.distributorDamaged,
        carrierDamagedQuantity: stock.unfulfillable.carrierDamaged,
        defectiveQuantity: stock.unfulfillable.defective,
        expiredQuantity: stock.unfulfillable.expired,
      },
    }
  }
  return summary
}

function getInventorySummaries(ctx: SimContext, req: SpApiRequest) {
  const granularityType = req.query.requiredString("granularityType")
  if (granularityType !== "Marketplace") throw invalidInput(`Invalid granularityType: ${granularityType}. Allowed: Marketplace.`)
  const granularityId = req.query.requiredString("granularityId")
  const marketplaceIds = requireList(req.query.list("marketplaceIds"), "marketplaceIds")
  if (marketplaceIds.length !== 1) throw invalidInput("marketplaceIds must contain exactly one marketplace.")
  if (granularityId !== marketplaceIds[0]) throw invalidInput("granularityId must be the marketplace given in marketplaceIds.")
  requireSellerMarketplaces(req.seller, marketplaceIds, "marketplaceIds")
  const details = req.query.bool("details") ?? false
  const rawStart = req.query.string("startDateTime")
  const now = ctx.clock.now()
  let startDateTime: number | undefined
  if (rawStart !== undefined) {
    startDateTime = parseIso(rawStart)
    if (startDateTime === undefined) throw invalidInput("startDateTime must be in ISO 8601 format.")
    if (startDateTime < now - EIGHTEEN_MONTHS_MS) throw invalidInput("startDateTime must be no earlier than 18 months before the request.")
  }
  const sellerSkus = req.query.list("sellerSkus")
  if (sellerSkus && sellerSkus.length > 50) throw invalidInput("sellerSkus accepts at most 50 values.")
  const sellerSku = req.query.string("sellerSku")

  let afterSku: string | undefined
  const token = req.query.string("nextToken")
  if (token !== undefined) {
    const cursor = ctx.cursors.fba.get(token)
    if (!cursor || cursor.sellerId !== req.seller.sellerId || cursor.expiresAt < now || cursor.fingerprint !== granularityId) {
      throw invalidInput(NEXT_TOKEN_INVALID)
    }
    if ((cursor.fixed.startDateTime ?? undefined) !== rawStart) {
      throw invalidInput("When startDateTime was used, every page must send the same startDateTime together with the nextToken.")
    }
    afterSku = cursor.after
  }

  const marketplaceId = marketplaceIds[0]
  const matching = ctx.state
    .stockOf(req.seller.sellerId, marketplaceId)
    .filter((stock) => {
      // With startDateTime, sellerSkus is ignored (Amazon's documented behaviour).
      if (startDateTime !== undefined) return toSecond(stock.lastUpdatedAt) >= startDateTime
      if (sellerSkus && !sellerSkus.includes(stock.sku)) return false
      if (sellerSku !== undefined && stock.sku !== sellerSku) return false
      return true
    })
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .filter((stock) => afterSku === undefined || stock.sku > afterSku)

  const page = matching.slice(0, ctx.config.fbaPageSize)
  const response: GetInventorySummariesResponse = {
    payload: {
      granularity: { granularityType, granularityId },
      inventorySummaries: page.map((stock) => {
        const listing = ctx.state.listing(req.seller.sellerId, stock.sku)
        return renderSummary(stock, details, { asin: listing?.asin, productName: listing?.itemName })
      }),
    },
  }
  if (matching.length > page.length) {
    const nextToken = randomBytes(24).toString("base64url")
    const cursor: PageCursor<string> = {
      sellerId: req.seller.sellerId,
      fingerprint: granularityId,
      after: page[page.length - 1].sku,
      expiresAt: now + ctx.config.fbaTokenTtlMs,
      fixed: { startDateTime: rawStart },
    }
    storeCursor(ctx.cursors.fba, nextToken, cursor, now)
    response.pagination = { nextToken }
  }
  return json(200, response)
}

export const fbaRoutes: SpApiRoute[] = [
  { method: "GET", path: "/fba/inventory/v1/summaries", operation: "fba-inventory-v1.getInventorySummaries", handler: getInventorySummaries },
]
