/**
 * Local Amazon SP-API simulator: LWA, Feeds, Listings Items, Orders (v2026 + v0 confirmShipment), FBA Inventory,
 * Multi-Channel Fulfillment (Fulfillment Outbound 2026-07-04), Sellers, Reports (GET_MERCHANT_LISTINGS_ALL_DATA) and Notifications (delivered to an SQS-compatible endpoint), with Amazon's quotas, a scalable clock and fault injection. No Medusa imports: it stands alone.
 *
 * @example
 *   const sim = await startSimulator({ timeScale: 600, seed: "demo" })
 *   // point the SP-API client at sim.url (LWA endpoint: `${sim.url}/auth/o2/token`)
 *   sim.control.injectFault({ type: "throttle", operation: "searchOrders", count: 3 })
 *   await sim.close()
 */
import type { AddressInfo } from "node:net"
import { SimClock } from "./clock"
import { DEFAULT_CONFIG, type SimConfig, type SimContext } from "./context"
import { SimControl, type SeedData } from "./control"
import { CallCounters } from "./counters"
import { FeedService, type FeedTiming, type ReportCompression } from "./domain/feed-service"
import { DEFAULT_MCF_TIMING, McfService, type McfTiming } from "./domain/mcf-orders"
import { UrlSigner } from "./domain/presign"
import { NotificationService } from "./domain/notifications"
import { DEFAULT_REPORT_TIMING, ReportService, type ReportTiming } from "./domain/report-service"
import { SqsBroker } from "./domain/sqs"
import { FaultManager } from "./faults"
import { demoSeed } from "./fixtures/demo-seed"
import { QuotaManager } from "./quota"
import { createSimulatorServer } from "./server"
import { SimState } from "./state"
import { sharedSwaggerValidators } from "./validation"

export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
  /** Simulated ms per real ms (60 = a real second is a simulated minute). Default 1. */
  timeScale?: number
  /** Simulated start time. Default: the real current time. */
  startTime?: number | string | Date
  /** "demo" loads fixtures/demo-seed.ts; or pass seed data directly. */
  seed?: "demo" | SeedData
  /** Simulated feed waiting and processing times. Default: 10 s in queue, 20 s in progress. */
  feedTiming?: Partial<FeedTiming>
  /** Simulated report waiting and processing times (Reports API). Default: 5 s in queue, 30 s in progress. */
  reportTiming?: Partial<ReportTiming>
  /**
   * Amazon's cached reports: a GET_MERCHANT_LISTINGS_ALL_DATA report created within this many simulated ms after
   * an earlier DONE one's data was taken (same seller and marketplace) serves that earlier data. Default 0 (off).
   */
  reportCacheMs?: number
  /** GZIP feed processing reports and report documents: "always", "never" or "auto" (default: when larger than compressThresholdBytes). */
  compressReports?: ReportCompression
  /** Size above which "auto" compresses. Default 4096 bytes. */
  compressThresholdBytes?: number
  /** Multi-Channel Fulfillment life cycle timings (simulated ms); see McfTiming. Default DEFAULT_MCF_TIMING. */
  mcfTiming?: Partial<McfTiming>
  /** Lifetimes and limits (token TTLs, FBA page size, …); see SimConfig. */
  config?: Partial<SimConfig>
  /** Unexpected internal errors (answered as 500 InternalFailure). Default: process.emitWarning. */
  onError?: (error: unknown) => void
}

export interface SimulatorHandle {
  /** `http://127.0.0.1:<port>`: SP-API base URL, LWA at `${url}/auth/o2/token`, control API at `${url}/_sim/`. */
  url: string
  port: number
  /** The raw simulated state (read it; prefer `control` for changes). */
  state: SimState
  /** Typed control surface: seeding, order life cycle, faults, counters, clock. */
  control: SimControl
  clock: SimClock
  close(): Promise<void>
}

export const DEFAULT_FEED_TIMING: FeedTiming = { queueMs: 10_000, processingMs: 20_000 }

function toEpochMs(value: number | string | Date | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : value
  if (!Number.isFinite(ms)) throw new RangeError(`startTime is not a valid time: ${String(value)}`)
  return ms
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const onError = options.onError ?? ((error: unknown) => process.emitWarning(`SP-API simulator: ${error instanceof Error ? error.stack ?? error.message : String(error)}`))
  const clock = new SimClock({ timeScale: options.timeScale ?? 1, startTime: toEpochMs(options.startTime), onTaskError: onError })
  const state = new SimState()
  const faults = new FaultManager(clock)
  let origin = ""
  const sqs = new SqsBroker(clock)
  const notifications = new NotificationService(clock, faults, sqs)
  const feeds = new FeedService(
    state,
    clock,
    faults,
    {
      timing: { ...DEFAULT_FEED_TIMING, ...options.feedTiming },
      compressReports: options.compressReports ?? "auto",
      compressThresholdBytes: options.compressThresholdBytes ?? 4096,
    },
    notifications,
  )
  const reportCacheMs = options.reportCacheMs ?? 0
  if (!Number.isFinite(reportCacheMs) || reportCacheMs < 0) throw new RangeError(`reportCacheMs must be >= 0, got ${reportCacheMs}`)
  const ctx: SimContext = {
    state,
    clock,
    quotas: new QuotaManager(clock),
    faults,
    counters: new CallCounters(),
    feeds,
    reports: new ReportService(
      state,
      clock,
      faults,
      { timing: { ...DEFAULT_REPORT_TIMING, ...options.reportTiming }, cacheWindowMs: reportCacheMs },
      () => ({ mode: feeds.options.compressReports, thresholdBytes: feeds.options.compressThresholdBytes }),
      notifications,
    ),
    notifications,
    mcf: new McfService(state, clock, faults, notifications, {
      ...structuredClone(DEFAULT_MCF_TIMING),
      ...options.mcfTiming,
      deliveryMs: { ...DEFAULT_MCF_TIMING.deliveryMs, ...options.mcfTiming?.deliveryMs },
    }),
    sqs,
    swagger: sharedSwaggerValidators(),
    signer: new UrlSigner(),
    config: { ...DEFAULT_CONFIG, ...options.config },
    origin: () => origin,
    cursors: { orders: new Map(), fba: new Map() },
  }
  const control = new SimControl(ctx)
  if (options.seed === "demo") control.seed(demoSeed(clock.now()))
  else if (options.seed) control.seed(options.seed)

  const server = createSimulatorServer(ctx, control, onError)
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  origin = `http://127.0.0.1:${port}`

  let closed = false
  return {
    url: origin,
    port,
    state,
    control,
    clock,
    close: async () => {
      if (closed) return
      closed = true
      clock.cancelAll()
      sqs.reset()
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
    },
  }
}

export { SimClock, toAmazonIso } from "./clock"
export { ContractValidator } from "./contract"
export { ControlError, SimControl } from "./control"
export type { DestinationState, FeedState, ListingState, ReportState, SeedData, SimSnapshot, SqsQueueCredentials, SubscriptionState } from "./control"
export { applicationIdOf, NOTIFICATION_TYPES, type NotificationCounts } from "./domain/notifications"
export type { CreateQueueInput, SqsMessageView, SqsQueueState } from "./domain/sqs"
export type { OperationCounters } from "./counters"
export type { FeedTiming, ReportCompression } from "./domain/feed-service"
export { DEFAULT_MCF_TIMING, mcfFee, type FulfillmentOrder, type McfOrderState, type McfPhase, type McfTiming } from "./domain/mcf-orders"
export { MERCHANT_LISTINGS_ALL_DATA, MERCHANT_LISTINGS_COLUMNS } from "./domain/merchant-listings-report"
export { DEFAULT_REPORT_TIMING, type ReportTiming } from "./domain/report-service"
export { decodeCp1252, encodeCp1252 } from "./domain/report-document"
export { ISSUE_CODES } from "./domain/issue-codes"
export type { OrderTransition } from "./domain/orders"
export type { ActiveFault, FaultSpec } from "./faults"
export { DEMO_CREDENTIALS, demoSeed } from "./fixtures/demo-seed"
export { MARKETPLACES } from "./marketplaces"
export { SIMULATED_OPERATIONS, type OperationKey, type UsagePlan } from "./operations"
export type { SimConfig } from "./context"
export { SimState } from "./state"
export type {
  AccessTokenRecord,
  FbaStock,
  FbaStockSeed,
  FeedDocumentRecord,
  FeedProcessingStatus,
  FeedRecord,
  ListingSeed,
  Order,
  OrderItemSeed,
  OrderSeed,
  ProcessingReport,
  ProcessingReportIssue,
  ReportDocumentRecord,
  ReportProcessingStatus,
  ReportRecord,
  SellerAccount,
  SellerSeed,
  ShipmentRecord,
  SimListing,
} from "./types"
