/**
 * The drift check: what Amazon shows (a GET_MERCHANT_LISTINGS_ALL_DATA report, parsed by
 * lib/amazon/parsers/parse-merchant-listings-report.ts) against what the store intends, listing by listing.
 * Pure and O(n): one Map over the report, one pass over the store's listings. Catches what feed results
 * cannot: a feed DONE/ACCEPTED whose quantity never reached the listing (FACTS §13 point 3), a listing
 * changed by hand in Seller Central, a listing that vanished.
 *
 * Only seller-fulfilled listings are compared: Amazon-fulfilled rows carry no quantity in this report
 * (FBA stock comes from the FBA Inventory API).
 *
 * A listing pushed after the report's data time is skipped: Amazon may serve a listings report that is
 * one to six hours old (FACTS §12), and a push it has not seen would read as drift. Both the last send and
 * the last acceptance count, since a feed can sit at Amazon for a long time before it is applied.
 */
import type { MerchantListingRow } from "../amazon/parsers/parse-merchant-listings-report"

export interface IntendedListing {
  listingId: string
  sellerSku: string
  fulfillmentChannel: "MERCHANT" | "AMAZON"
  /** What the store wants Amazon to show now; null when the store cannot say (then not compared). */
  intendedQuantity: number | null
  /** When a quantity for this listing was last sent to Amazon. */
  lastSentAt: Date | null
  /** When Amazon last confirmed (accepted) a quantity for this listing. */
  lastAcceptedAt: Date | null
}

export type DriftReportRow = Pick<MerchantListingRow, "sellerSku" | "quantity" | "fulfillmentChannel" | "status">

export interface DriftOptions {
  /** The time the report's data are as of (reportDataTime in lib/amazon/reports/fetch-report.ts). */
  reportDataTime: Date
  /** How many differences `worst` keeps. Default 10. */
  worstLimit?: number
}

export interface DriftDifference {
  listingId: string
  sellerSku: string
  amazonQuantity: number
  intendedQuantity: number
  /** amazonQuantity − intendedQuantity: positive means Amazon may sell stock the store does not have. */
  delta: number
}

export type DriftMissingReason =
  /** The SKU is not in the report at all: deleted on Amazon, never created, or under another SKU. */
  | "not_in_report"
  /** In the report but not Active (Inactive, Incomplete, …) although the store wants it to sell (intended > 0). */
  | "inactive"

export interface DriftMissing {
  listingId: string
  sellerSku: string
  reason: DriftMissingReason
  /** Amazon's status cell, for "inactive". */
  status?: string
  intendedQuantity: number | null
}

export type DriftNotComparedReason =
  /** The store's listing is Amazon-fulfilled. */
  | "amazon_fulfilled"
  /** The store's listing is seller-fulfilled but Amazon's row is Amazon-fulfilled. */
  | "channel_mismatch"
  /** The store has no intended quantity for the listing. */
  | "intended_unknown"
  /** Amazon's row has no readable quantity. */
  | "amazon_quantity_unknown"

export interface DriftSummary {
  /** Listings whose quantities were compared: matching + differing. */
  compared: number
  matching: number
  differing: number
  /** Listings pushed after the report's data time: not compared. */
  skippedNewer: number
  /** Seller-fulfilled listings of the store whose SKU is not in the report. */
  missingOnAmazon: number
  /** Listings in the report but not active while the store wants them to sell; also counted in compared when their quantity was compared. */
  inactiveOnAmazon: number
  /** Distinct report SKUs the store has no listing for (unmapped). Counted only. */
  unknownOnAmazon: number
  /** Listings not compared for another reason, by reason. */
  notCompared: Record<DriftNotComparedReason, number>
  /** SKUs on more than one report row; the row used is chosen as `pickReportRow` says. */
  duplicateSkusInReport: number
  /** The `worstLimit` largest differences by |delta| (ties by SKU). */
  worst: DriftDifference[]
  /** The listings compared and found equal (ids, in the order of the store's listings): confirmed by the report. */
  matchingIds: string[]
  /** Every difference, in the order of the store's listings. */
  differences: DriftDifference[]
  /** Listings not on Amazon or not active there, in the order of the store's listings. */
  missing: DriftMissing[]
}

/**
 * Compares Amazon's listings report with the store's intended quantities. See the file comment for the
 * rules; per store listing, in this order:
 * 1. Amazon-fulfilled in the store → notCompared.amazon_fulfilled;
 * 2. last sent or accepted at or after `reportDataTime` → skippedNewer (checked before "missing": a listing
 *    created by a push after the report is not missing);
 * 3. SKU not in the report → missing "not_in_report";
 * 4. Amazon's row Amazon-fulfilled → notCompared.channel_mismatch;
 * 5. not Active on Amazon while intended > 0 → missing "inactive" (and still compared below: an inactive
 *    listing holding the wrong quantity is wrong twice);
 * 6. no intended quantity / no Amazon quantity → notCompared;
 * 7. otherwise compared: matching, or a difference.
 *
 * @example
 * const summary = diffDrift(parsed.rows, intended, { reportDataTime: reportDataTime(report) })
 */
export function diffDrift(reportRows: readonly DriftReportRow[], intended: readonly IntendedListing[], options: DriftOptions): DriftSummary {
  const dataTime = options.reportDataTime.getTime()
  if (Number.isNaN(dataTime)) {
    throw new TypeError("diffDrift: reportDataTime is not a valid date")
  }
  const worstLimit = options.worstLimit ?? 10

  const bySku = new Map<string, DriftReportRow>()
  const duplicateSkus = new Set<string>()
  for (const row of reportRows) {
    const kept = bySku.get(row.sellerSku)
    if (kept === undefined) {
      bySku.set(row.sellerSku, row)
    } else {
      duplicateSkus.add(row.sellerSku)
      bySku.set(row.sellerSku, pickReportRow(kept, row))
    }
  }

  const summary: DriftSummary = {
    compared: 0,
    matching: 0,
    differing: 0,
    skippedNewer: 0,
    missingOnAmazon: 0,
    inactiveOnAmazon: 0,
    unknownOnAmazon: 0,
    notCompared: { amazon_fulfilled: 0, channel_mismatch: 0, intended_unknown: 0, amazon_quantity_unknown: 0 },
    duplicateSkusInReport: duplicateSkus.size,
    worst: [],
    matchingIds: [],
    differences: [],
    missing: [],
  }

  const storeSkus = new Set<string>()
  for (const listing of intended) {
    storeSkus.add(listing.sellerSku)
    if (listing.fulfillmentChannel === "AMAZON") {
      summary.notCompared.amazon_fulfilled++
      continue
    }
    if (pushedSince(listing, dataTime)) {
      summary.skippedNewer++
      continue
    }
    const row = bySku.get(listing.sellerSku)
    if (row === undefined) {
      summary.missingOnAmazon++
      summary.missing.push({
        listingId: listing.listingId,
        sellerSku: listing.sellerSku,
        reason: "not_in_report",
        intendedQuantity: listing.intendedQuantity,
      })
      continue
    }
    if (row.fulfillmentChannel === "AMAZON") {
      summary.notCompared.channel_mismatch++
      continue
    }
    if (row.status !== null && !isActive(row.status) && (listing.intendedQuantity ?? 0) > 0) {
      summary.inactiveOnAmazon++
      summary.missing.push({
        listingId: listing.listingId,
        sellerSku: listing.sellerSku,
        reason: "inactive",
        status: row.status,
        intendedQuantity: listing.intendedQuantity,
      })
    }
    if (listing.intendedQuantity === null) {
      summary.notCompared.intended_unknown++
      continue
    }
    if (row.quantity === null) {
      summary.notCompared.amazon_quantity_unknown++
      continue
    }
    summary.compared++
    if (row.quantity === listing.intendedQuantity) {
      summary.matching++
      summary.matchingIds.push(listing.listingId)
      continue
    }
    summary.differing++
    summary.differences.push({
      listingId: listing.listingId,
      sellerSku: listing.sellerSku,
      amazonQuantity: row.quantity,
      intendedQuantity: listing.intendedQuantity,
      delta: row.quantity - listing.intendedQuantity,
    })
  }

  for (const sku of bySku.keys()) {
    if (!storeSkus.has(sku)) {
      summary.unknownOnAmazon++
    }
  }
  summary.worst = worstDifferences(summary.differences, worstLimit)
  return summary
}

/**
 * Which of two report rows with the same SKU stands for the listing: a seller-fulfilled one over an
 * Amazon-fulfilled one (the drift check is about the seller's quantity), then an Active one, then one
 * with a quantity, then the later row.
 */
export function pickReportRow<R extends DriftReportRow>(a: R, b: R): R {
  const score = (r: R) =>
    (r.fulfillmentChannel === "MERCHANT" ? 4 : 0) + (r.status === null || isActive(r.status) ? 2 : 0) + (r.quantity !== null ? 1 : 0)
  return score(a) > score(b) ? a : b
}

function isActive(status: string): boolean {
  return status.trim().toLowerCase() === "active"
}

function pushedSince(listing: IntendedListing, dataTime: number): boolean {
  // At or after: a push in the same second as the report's data time may or may not be in it.
  for (const at of [listing.lastSentAt, listing.lastAcceptedAt]) {
    if (at !== null && at.getTime() >= dataTime) {
      return true
    }
  }
  return false
}

function worstDifferences(differences: readonly DriftDifference[], limit: number): DriftDifference[] {
  if (limit <= 0) {
    return []
  }
  return [...differences]
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.sellerSku < y.sellerSku ? -1 : x.sellerSku > y.sellerSku ? 1 : 0))
    .slice(0, limit)
}
