/**
 * Feed life cycle: IN_QUEUE → IN_PROGRESS → DONE | FATAL (or CANCELLED while still queued).
 *
 * Each seller's feeds are processed strictly one at a time in submission order, as Amazon does; a stuck feed
 * therefore holds up that seller's later feeds. Waiting and processing times are simulated time.
 */
import { gzipSync } from "node:zlib"
import type { SimClock } from "../clock"
import type { FaultManager } from "../faults"
import type { NotificationService } from "./notifications"
import type { SimState } from "../state"
import type { FeedRecord, ProcessingReport, SimListing } from "../types"
import { processFeed } from "./listings-feed"
import { isOrderFeedType, processOrderFeed } from "./order-feeds"

export interface FeedTiming {
  /** Simulated ms a feed waits IN_QUEUE once it is the seller's next feed. */
  queueMs: number
  /** Simulated ms a feed stays IN_PROGRESS. */
  processingMs: number
}

export type ReportCompression = "always" | "never" | "auto"

export interface FeedServiceOptions {
  timing: FeedTiming
  /** GZIP the processing report: always, never, or (auto) when larger than `compressThresholdBytes`. */
  compressReports: ReportCompression
  compressThresholdBytes: number
}

export class FeedService {
  /** sellerId → the feed currently waiting to start or in progress. */
  private active = new Map<string, string>()
  /** feedId → the input document as it was when processing started (later uploads do not change it). */
  private inputs = new Map<string, Buffer | undefined>()

  constructor(
    private readonly state: SimState,
    private readonly clock: SimClock,
    private readonly faults: FaultManager,
    readonly options: FeedServiceOptions,
    /** Told when a feed finishes (FEED_PROCESSING_FINISHED) and about the changes order and listings feeds make. */
    private readonly notifications: NotificationService,
  ) {}

  submit(feed: FeedRecord): void {
    this.state.feeds.set(feed.feedId, feed)
    this.pump(feed.sellerId)
  }

  /** Only IN_QUEUE feeds can be cancelled. */
  cancel(feed: FeedRecord): boolean {
    if (feed.status !== "IN_QUEUE") return false
    feed.status = "CANCELLED"
    feed.endedAt = this.clock.now()
    this.notifications.feedFinished(feed)
    return true
  }

  /** Let every feed held by the "feed-stuck" fault finish. Returns how many were released. */
  releaseStuck(): number {
    let released = 0
    for (const feed of this.state.feeds.values()) {
      if (feed.status === "IN_PROGRESS" && feed.stuck) {
        feed.stuck = false
        released += 1
        this.clock.schedule(this.options.timing.processingMs, () => this.finish(feed))
      }
    }
    return released
  }

  /** Forget the queues (the clock's timers are cleared by the caller). */
  reset(): void {
    this.active.clear()
    this.inputs.clear()
  }

  private pump(sellerId: string): void {
    if (this.active.has(sellerId)) return
    const next = this.state
      .feedsOf(sellerId)
      .filter((f) => f.status === "IN_QUEUE")
      .sort((a, b) => a.createdAt - b.createdAt || Number(a.feedId) - Number(b.feedId))[0]
    if (!next) return
    this.active.set(sellerId, next.feedId)
    this.clock.schedule(this.options.timing.queueMs, () => this.start(next))
  }

  private start(feed: FeedRecord): void {
    if (feed.status !== "IN_QUEUE") {
      // Cancelled while waiting: move on to the seller's next feed.
      this.release(feed)
      return
    }
    feed.status = "IN_PROGRESS"
    feed.startedAt = this.clock.now()
    this.inputs.set(feed.feedId, this.state.documents.get(feed.inputFeedDocumentId)?.content)
    if (this.faults.take("feed-fatal")) feed.forcedFatal = true
    if (this.faults.take("feed-stuck")) {
      feed.stuck = true
      return
    }
    this.clock.schedule(this.options.timing.processingMs, () => this.finish(feed))
  }

  private finish(feed: FeedRecord): void {
    if (feed.status !== "IN_PROGRESS" || feed.stuck) return
    const content = this.inputs.get(feed.feedId)
    this.inputs.delete(feed.feedId)
    const result = this.process(feed, content)
    const seller = this.state.seller(feed.sellerId)
    const documentId = this.state.nextDocumentId(seller?.region ?? "NA")
    const text = Buffer.from(result.document, "utf8")
    const compress =
      this.options.compressReports === "always" ||
      (this.options.compressReports === "auto" && text.length > this.options.compressThresholdBytes)
    this.state.documents.set(documentId, {
      feedDocumentId: documentId,
      sellerId: feed.sellerId,
      kind: "result",
      contentType: result.contentType,
      createdAt: this.clock.now(),
      uploadedAt: this.clock.now(),
      content: compress ? gzipSync(text) : text,
      ...(compress ? { compressionAlgorithm: "GZIP" as const } : {}),
    })
    feed.status = result.status
    feed.endedAt = this.clock.now()
    feed.resultFeedDocumentId = documentId
    if (result.report) feed.report = result.report
    this.notifications.feedFinished(feed)
    this.release(feed)
  }

  /** Where a feed type's processing is chosen: the XML order feeds, else JSON_LISTINGS_FEED (or FATAL). */
  private process(feed: FeedRecord, content: Buffer | undefined): { status: FeedRecord["status"]; document: string; contentType: string; report?: ProcessingReport } {
    const common = { state: this.state, sellerId: feed.sellerId, feedId: feed.feedId, feedType: feed.feedType, content, forcedFatal: feed.forcedFatal === true, now: this.clock.now() }
    if (isOrderFeedType(feed.feedType)) {
      // The content type of createFeedDocument decides how Amazon reads the document (XML or flat file).
      const contentType = this.state.documents.get(feed.inputFeedDocumentId)?.contentType
      return this.notifications.trackOrderStatus(this.state.ordersOf(feed.sellerId), () => processOrderFeed({ ...common, contentType }))
    }
    const dropQuantityUpdate = (sku: string) => this.faults.quantityNotApplied(feed.sellerId, sku)
    const onMfnQuantityChange = (listing: SimListing, before: number | undefined) => this.notifications.mfnQuantityChanged(listing, before)
    const result = processFeed({ ...common, marketplaceIds: feed.marketplaceIds, dropQuantityUpdate, onMfnQuantityChange })
    return { status: result.status, document: JSON.stringify(result.report, null, 2), contentType: "application/json", report: result.report }
  }

  private release(feed: FeedRecord): void {
    if (this.active.get(feed.sellerId) === feed.feedId) this.active.delete(feed.sellerId)
    this.pump(feed.sellerId)
  }
}
