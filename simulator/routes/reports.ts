/**
 * Reports API 2021-06-30: createReport, getReport, getReports, cancelReport, getReportDocument.
 */
import type { components } from "../../src/lib/amazon/generated/reports-2021-06-30"
import { parseIso, toAmazonIso } from "../clock"
import type { SimContext, SpApiRoute } from "../context"
import { MERCHANT_LISTINGS_ALL_DATA } from "../domain/merchant-listings-report"
import { invalidInput, json, notFound } from "../http"
import type { ReportProcessingStatus, ReportRecord, SellerAccount } from "../types"
import { pageOfDocuments, parseDocumentListQuery, requireSellerMarketplaces, validatedBody } from "./common"

type Report = components["schemas"]["Report"]
type CreateReportSpecification = components["schemas"]["CreateReportSpecification"]
type GetReportsResponse = components["schemas"]["GetReportsResponse"]
type ReportDocument = components["schemas"]["ReportDocument"]

const PROCESSING_STATUSES: readonly ReportProcessingStatus[] = ["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]
const REPORT_RETENTION_MS = 90 * 24 * 3_600_000

/** Report types that cover exactly one marketplace per report ("one marketplace per report"). */
const SINGLE_MARKETPLACE_TYPES: ReadonlySet<string> = new Set([MERCHANT_LISTINGS_ALL_DATA])

export function renderReport(report: ReportRecord): Report {
  const out: Report = {
    reportId: report.reportId,
    reportType: report.reportType,
    marketplaceIds: [...report.marketplaceIds],
    createdTime: toAmazonIso(report.createdAt),
    processingStatus: report.status,
  }
  out.dataStartTime = toAmazonIso(report.requestedDataStartTime ?? report.createdAt)
  if (report.reportType === MERCHANT_LISTINGS_ALL_DATA) {
    // A snapshot of the listings: dataEndTime is when the data was taken (the requested range is ignored, as
    // Amazon ignores it for this report), known once the report is DONE.
    if (report.dataEndAt !== undefined) out.dataEndTime = toAmazonIso(report.dataEndAt)
  } else {
    out.dataEndTime = toAmazonIso(report.requestedDataEndTime ?? report.createdAt)
  }
  if (report.startedAt !== undefined) out.processingStartTime = toAmazonIso(report.startedAt)
  if (report.endedAt !== undefined && report.status !== "CANCELLED") out.processingEndTime = toAmazonIso(report.endedAt)
  if (report.reportDocumentId) out.reportDocumentId = report.reportDocumentId
  return out
}

function ownReport(ctx: SimContext, seller: SellerAccount, reportId: string): ReportRecord {
  const report = ctx.state.reports.get(reportId)
  if (!report || report.sellerId !== seller.sellerId) throw notFound(`The report ${reportId} was not found.`)
  return report
}

function requestedTime(value: string | undefined, name: string, now: number): number | undefined {
  if (value === undefined) return undefined
  const ms = parseIso(value)
  if (ms === undefined) throw invalidInput(`${name} must be an ISO 8601 date-time.`)
  if (ms > now) throw invalidInput(`${name} must be prior to or equal to the current date and time.`)
  return ms
}

export const reportsRoutes: SpApiRoute[] = [
  {
    method: "POST",
    path: "/reports/2021-06-30/reports",
    operation: "reports-2021-06-30.createReport",
    handler: (ctx, req) => {
      const spec = validatedBody<CreateReportSpecification>(ctx, req)
      if (!/^[A-Z][A-Z0-9_]*$/.test(spec.reportType)) throw invalidInput(`Invalid reportType: ${spec.reportType}.`)
      requireSellerMarketplaces(req.seller, spec.marketplaceIds, "marketplaceIds")
      if (new Set(spec.marketplaceIds).size !== spec.marketplaceIds.length) throw invalidInput("marketplaceIds must not repeat a marketplace.")
      if (SINGLE_MARKETPLACE_TYPES.has(spec.reportType) && spec.marketplaceIds.length !== 1) {
        throw invalidInput(`Report type ${spec.reportType} covers one marketplace per report: give exactly one marketplaceId.`)
      }
      const now = ctx.clock.now()
      const start = requestedTime(spec.dataStartTime, "dataStartTime", now)
      const end = requestedTime(spec.dataEndTime, "dataEndTime", now)
      if (start !== undefined && end !== undefined && start > end) throw invalidInput("dataStartTime must be before dataEndTime.")
      const report: ReportRecord = {
        reportId: ctx.state.nextReportId(),
        sellerId: req.seller.sellerId,
        reportType: spec.reportType,
        marketplaceIds: [...spec.marketplaceIds],
        ...(spec.reportOptions ? { reportOptions: { ...spec.reportOptions } } : {}),
        ...(start !== undefined ? { requestedDataStartTime: start } : {}),
        ...(end !== undefined ? { requestedDataEndTime: end } : {}),
        createdAt: now,
        status: "IN_QUEUE",
      }
      ctx.reports.submit(report)
      return json(202, { reportId: report.reportId })
    },
  },
  {
    method: "GET",
    path: "/reports/2021-06-30/reports",
    operation: "reports-2021-06-30.getReports",
    handler: (ctx, req) => {
      const filter = parseDocumentListQuery(ctx, req.seller, req.query, { typesParam: "reportTypes", statuses: PROCESSING_STATUSES, retentionMs: REPORT_RETENTION_MS })
      const { page, nextToken } = pageOfDocuments(ctx.state.reportsOf(req.seller.sellerId), filter, req.seller.sellerId, {
        type: (r) => r.reportType,
        id: (r) => r.reportId,
      })
      const body: GetReportsResponse = { reports: page.map(renderReport), ...(nextToken ? { nextToken } : {}) }
      return json(200, body)
    },
  },
  {
    method: "GET",
    path: "/reports/2021-06-30/reports/{reportId}",
    operation: "reports-2021-06-30.getReport",
    handler: (ctx, req) => json(200, renderReport(ownReport(ctx, req.seller, req.params.reportId))),
  },
  {
    method: "DELETE",
    path: "/reports/2021-06-30/reports/{reportId}",
    operation: "reports-2021-06-30.cancelReport",
    handler: (ctx, req) => {
      const report = ownReport(ctx, req.seller, req.params.reportId)
      if (!ctx.reports.cancel(report)) {
        throw invalidInput(`The report ${report.reportId} is ${report.status}; only reports that are IN_QUEUE can be cancelled.`)
      }
      return { status: 200 }
    },
  },
  {
    method: "GET",
    path: "/reports/2021-06-30/documents/{reportDocumentId}",
    operation: "reports-2021-06-30.getReportDocument",
    handler: (ctx, req) => {
      const doc = ctx.state.reportDocuments.get(req.params.reportDocumentId)
      if (!doc || doc.sellerId !== req.seller.sellerId) throw notFound(`The report document ${req.params.reportDocumentId} was not found.`)
      const encodingHeader = req.query.bool("enableContentEncodingUrlHeader") === true && doc.compressionAlgorithm === "GZIP"
      const url =
        ctx.origin() +
        ctx.signer.presignedPath({ method: "GET", documentId: doc.reportDocumentId, signedAt: ctx.clock.now(), contentEncoding: encodingHeader ? "gzip" : undefined })
      const body: ReportDocument = { reportDocumentId: doc.reportDocumentId, url }
      if (doc.compressionAlgorithm) body.compressionAlgorithm = doc.compressionAlgorithm
      return json(200, body)
    },
  },
]
