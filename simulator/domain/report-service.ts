/**
 * Report life cycle (Reports API 2021-06-30): IN_QUEUE → IN_PROGRESS → DONE | FATAL, or CANCELLED while still
 * queued. Every report runs on its own timers (simulated time); reports do not wait for each other.
 *
 * GET_MERCHANT_LISTINGS_ALL_DATA is generated from the listings as they are when processing finishes (its
 * dataEndTime). Other report types are accepted and end FATAL with a short JSON error document: the simulator does
 * not generate them, and an empty DONE document would read as "the seller has no data".
 *
 * Amazon may answer a new request with a cached report ("between one and six hours depending on the number of
 * entries"). With a cache window set, a report of the same seller, type and marketplaces finishing within the
 * window after an earlier DONE one's data was taken serves that earlier data: same document, the earlier
 * dataEndTime. Off by default.
 */
import type { SimClock } from "../clock"
import type { FaultManager } from "../faults"
import { getMarketplace } from "../marketplaces"
import type { SimState } from "../state"
import type { ReportRecord } from "../types"
import type { ReportCompression } from "./feed-service"
import type { NotificationService } from "./notifications"
import { FLAT_FILE_CONTENT_TYPE, MERCHANT_LISTINGS_ALL_DATA, writeMerchantListingsReport } from "./merchant-listings-report"
import { ReportDocumentBuilder } from "./report-document"

export interface ReportTiming {
  /** Simulated ms a report waits IN_QUEUE. */
  queueMs: number
  /** Simulated ms a report stays IN_PROGRESS. */
  processingMs: number
}

export const DEFAULT_REPORT_TIMING: ReportTiming = { queueMs: 5_000, processingMs: 30_000 }

export interface ReportServiceOptions {
  timing: ReportTiming
  /** 0 = no caching (default). */
  cacheWindowMs: number
}

export interface ReportCompressionSettings {
  mode: ReportCompression
  thresholdBytes: number
}

/** Report types the simulator generates. */
export const SIMULATED_REPORT_TYPES: readonly string[] = [MERCHANT_LISTINGS_ALL_DATA]

export class ReportService {
  constructor(
    private readonly state: SimState,
    private readonly clock: SimClock,
    private readonly faults: FaultManager,
    readonly options: ReportServiceOptions,
    /** Read when a document is written (shared with the feeds' processing reports). */
    private readonly compression: () => ReportCompressionSettings,
    /** Told when a report finishes (REPORT_PROCESSING_FINISHED). */
    private readonly notifications: NotificationService,
  ) {}

  submit(report: ReportRecord): void {
    this.state.reports.set(report.reportId, report)
    this.clock.schedule(this.options.timing.queueMs, () => this.start(report))
  }

  /** Only IN_QUEUE reports can be cancelled. */
  cancel(report: ReportRecord): boolean {
    if (report.status !== "IN_QUEUE") return false
    report.status = "CANCELLED"
    report.endedAt = this.clock.now()
    this.notifications.reportFinished(report)
    return true
  }

  private start(report: ReportRecord): void {
    if (report.status !== "IN_QUEUE") return
    report.status = "IN_PROGRESS"
    report.startedAt = this.clock.now()
    if (this.faults.takeWhere("report-fatal", (spec) => spec.reportType === undefined || spec.reportType === report.reportType)) report.forcedFatal = true
    this.clock.schedule(this.options.timing.processingMs, () => this.finish(report))
  }

  private finish(report: ReportRecord): void {
    if (report.status !== "IN_PROGRESS") return
    this.complete(report)
    this.notifications.reportFinished(report)
  }

  /** Make the document (if any) and set the final status. */
  private complete(report: ReportRecord): void {
    const now = this.clock.now()
    report.endedAt = now
    if (report.forcedFatal) {
      report.status = "FATAL"
      return
    }
    if (report.reportType !== MERCHANT_LISTINGS_ALL_DATA) {
      report.status = "FATAL"
      report.reportDocumentId = this.storeText(
        report.sellerId,
        JSON.stringify({ errorDetails: `The simulator does not generate ${report.reportType} reports; it generates ${SIMULATED_REPORT_TYPES.join(", ")}.` }),
        "application/json",
      )
      return
    }
    const cached = this.cachedSource(report)
    if (cached) {
      report.reportDocumentId = cached.reportDocumentId
      report.dataEndAt = cached.dataEndAt
      report.rowCount = cached.rowCount
      report.cachedFromReportId = cached.cachedFromReportId ?? cached.reportId
    } else {
      const marketplaceId = report.marketplaceIds[0]
      const { mode, thresholdBytes } = this.compression()
      const builder = new ReportDocumentBuilder(mode, thresholdBytes)
      report.rowCount = writeMerchantListingsReport(
        { state: this.state, sellerId: report.sellerId, marketplaceId, countryCode: getMarketplace(marketplaceId)?.countryCode },
        builder,
      )
      report.reportDocumentId = this.store(report.sellerId, builder, FLAT_FILE_CONTENT_TYPE)
      report.dataEndAt = now
    }
    report.status = "DONE"
  }

  /** The newest DONE report of the same seller, type and marketplaces whose data is recent enough to be reused. */
  private cachedSource(report: ReportRecord): ReportRecord | undefined {
    const window = this.options.cacheWindowMs
    if (!(window > 0)) return undefined
    const key = report.marketplaceIds.join(",")
    let best: ReportRecord | undefined
    for (const other of this.state.reports.values()) {
      if (other === report || other.status !== "DONE" || other.sellerId !== report.sellerId || other.reportType !== report.reportType) continue
      if (other.marketplaceIds.join(",") !== key || other.dataEndAt === undefined || other.reportDocumentId === undefined) continue
      if (other.dataEndAt < report.createdAt - window) continue
      if (!best || (best.dataEndAt as number) < other.dataEndAt) best = other
    }
    return best
  }

  private store(sellerId: string, builder: ReportDocumentBuilder, contentType: string): string {
    const built = builder.finish()
    const region = this.state.seller(sellerId)?.region ?? "NA"
    const reportDocumentId = this.state.nextReportDocumentId(region)
    this.state.reportDocuments.set(reportDocumentId, {
      reportDocumentId,
      sellerId,
      contentType,
      createdAt: this.clock.now(),
      chunks: built.chunks,
      byteLength: built.byteLength,
      uncompressedBytes: built.uncompressedBytes,
      ...(built.compressed ? { compressionAlgorithm: "GZIP" as const } : {}),
    })
    return reportDocumentId
  }

  private storeText(sellerId: string, text: string, contentType: string): string {
    const { mode, thresholdBytes } = this.compression()
    const builder = new ReportDocumentBuilder(mode, thresholdBytes)
    builder.write(text)
    return this.store(sellerId, builder, contentType)
  }
}
