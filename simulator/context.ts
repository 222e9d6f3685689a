/**
 * The pieces every route shares, and the route shapes.
 */
import type { IncomingHttpHeaders } from "node:http"
import type { SimClock } from "./clock"
import type { CallCounters } from "./counters"
import type { FeedService } from "./domain/feed-service"
import type { McfService } from "./domain/mcf-orders"
import type { NotificationService } from "./domain/notifications"
import type { UrlSigner } from "./domain/presign"
import type { ReportService } from "./domain/report-service"
import type { SqsBroker } from "./domain/sqs"
import type { FaultManager } from "./faults"
import type { HandlerResult, Query } from "./http"
import type { OperationKey } from "./operations"
import type { QuotaManager } from "./quota"
import type { SimState } from "./state"
import type { SellerAccount } from "./types"
import type { SwaggerValidators } from "./validation"

export interface SimConfig {
  /** Access token lifetime (simulated ms). Amazon: 1 hour. */
  accessTokenTtlMs: number
  /** `*Before` must be at least this far before now (simulated ms). Amazon: 2 minutes. */
  ordersBeforeLagMs: number
  /** searchOrders paginationToken lifetime. Amazon: 24 hours. */
  ordersTokenTtlMs: number
  /** getInventorySummaries nextToken lifetime. Amazon: 30 seconds. */
  fbaTokenTtlMs: number
  /** Summaries per getInventorySummaries page. */
  fbaPageSize: number
  /** Largest accepted feed document upload. */
  maxUploadBytes: number
  /** Orders per listOrders page (Fulfillment Outbound 2026-07-04; Amazon's page size is not documented). */
  mcfPageSize: number
}

export const DEFAULT_CONFIG: SimConfig = {
  accessTokenTtlMs: 3_600_000,
  ordersBeforeLagMs: 120_000,
  ordersTokenTtlMs: 24 * 3_600_000,
  fbaTokenTtlMs: 30_000,
  fbaPageSize: 50,
  maxUploadBytes: 200 * 1024 * 1024,
  mcfPageSize: 50,
}

/** Server-side pagination state (tokens are opaque random strings). */
export interface PageCursor<K> {
  sellerId: string
  /** Canonical form of the parameters that must be repeated unchanged. */
  fingerprint: string
  /** Sort key of the last item already returned. */
  after: K
  expiresAt: number
  /** Extra values fixed by the first page (e.g. the resolved *Before bound). */
  fixed: Record<string, string | number | undefined>
}

export interface SimContext {
  state: SimState
  clock: SimClock
  quotas: QuotaManager
  faults: FaultManager
  counters: CallCounters
  feeds: FeedService
  reports: ReportService
  notifications: NotificationService
  /** Multi-Channel Fulfillment orders (Fulfillment Outbound API 2026-07-04). */
  mcf: McfService
  sqs: SqsBroker
  swagger: SwaggerValidators
  signer: UrlSigner
  config: SimConfig
  /** `http://127.0.0.1:<port>` once listening. */
  origin(): string
  cursors: {
    orders: Map<string, PageCursor<{ time: number; orderId: string }>>
    fba: Map<string, PageCursor<string>>
  }
}

export interface SpApiRequest {
  operation: OperationKey
  seller: SellerAccount
  /** The LWA client id (application) the access token was issued to. */
  clientId: string
  params: Record<string, string>
  query: Query
  body: Buffer
  headers: IncomingHttpHeaders
}

/** A request to an operation that takes grantless tokens: `seller` is absent for those. */
export type GrantlessRequest = Omit<SpApiRequest, "seller"> & { seller?: SellerAccount }

export type SpApiHandler = (ctx: SimContext, req: SpApiRequest) => HandlerResult

interface RouteBase {
  method: string
  path: string
  operation: OperationKey
}

/**
 * `grant` says which access tokens an operation takes: a seller's (refresh_token grant, the default), a grantless
 * one (client_credentials, bound to the application only) or either.
 */
export type SpApiRoute =
  | (RouteBase & { grant?: "seller"; handler: SpApiHandler })
  | (RouteBase & { grant: "grantless" | "either"; handler: (ctx: SimContext, req: GrantlessRequest) => HandlerResult })

/** Store a pagination cursor under a fresh token, dropping cursors that have expired. */
export function storeCursor<K>(cursors: Map<string, PageCursor<K>>, token: string, cursor: PageCursor<K>, now: number): void {
  for (const [key, existing] of cursors) {
    if (existing.expiresAt < now) cursors.delete(key)
  }
  cursors.set(token, cursor)
}
