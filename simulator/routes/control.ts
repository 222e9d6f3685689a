/**
 * `/_sim/*`: the JSON control API (no auth). Each route only parses and forwards to {@link SimControl}.
 */
import { ControlError, type SeedData, type SimControl } from "../control"
import type { FeedTiming, ReportCompression } from "../domain/feed-service"
import type { McfTiming } from "../domain/mcf-orders"
import type { ReportTiming } from "../domain/report-service"
import type { OrderTransition } from "../domain/orders"
import type { CreateQueueInput } from "../domain/sqs"
import type { FaultSpec } from "../faults"
import { type HandlerResult, isPlainObject, matchPath } from "../http"
import type { OperationKey, UsagePlan } from "../operations"
import type { FbaStockSeed, ListingSeed, OrderSeed, SellerSeed } from "../types"
import { demoSeed } from "../fixtures/demo-seed"

interface ControlRequest {
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
}

type ControlHandler = (control: SimControl, req: ControlRequest) => unknown

interface ControlRoute {
  method: string
  path: string
  handler: ControlHandler
}

function many<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[]
  if (isPlainObject(body)) return [body as T]
  throw new ControlError("expected a JSON object or an array of objects")
}

function object<T>(body: unknown): T {
  if (!isPlainObject(body)) throw new ControlError("expected a JSON object")
  return body as T
}

function sellerParam(req: ControlRequest): string | undefined {
  return req.query.get("sellerId") ?? undefined
}

const ROUTES: ControlRoute[] = [
  { method: "GET", path: "/_sim/health", handler: (c) => ({ ok: true, now: new Date(c.now()).toISOString() }) },
  { method: "GET", path: "/_sim/state", handler: (c) => c.snapshot() },
  {
    method: "POST",
    path: "/_sim/reset",
    handler: (c, req) => {
      const body = req.body === undefined ? {} : object<{ seed?: "demo" | SeedData }>(req.body)
      c.reset()
      if (body.seed === "demo") c.seed(demoSeed(c.now()))
      else if (body.seed !== undefined) c.seed(object<SeedData>(body.seed))
      return { ok: true }
    },
  },
  {
    method: "POST",
    path: "/_sim/seed",
    handler: (c, req) => {
      c.seed(object<SeedData>(req.body))
      return { ok: true }
    },
  },
  { method: "GET", path: "/_sim/sellers", handler: (c) => c.listSellers() },
  { method: "POST", path: "/_sim/sellers", handler: (c, req) => many<SellerSeed>(req.body).map((s) => c.seedSeller(s)) },
  { method: "POST", path: "/_sim/tokens/expire", handler: (c) => ({ expired: c.expireAccessTokens() }) },
  { method: "GET", path: "/_sim/listings", handler: (c, req) => c.listListings(sellerParam(req)) },
  { method: "POST", path: "/_sim/listings", handler: (c, req) => c.seedListings(many<ListingSeed>(req.body)) },
  { method: "GET", path: "/_sim/quantities", handler: (c, req) => c.quantities(sellerParam(req), req.query.get("marketplaceId") ?? undefined) },
  {
    method: "PUT",
    path: "/_sim/listings/{sku}/quantity",
    handler: (c, req) => {
      const body = object<{ quantity: number; sellerId?: string; marketplaceId?: string }>(req.body)
      return c.setQuantity(req.params.sku, body.quantity, { sellerId: body.sellerId ?? sellerParam(req), marketplaceId: body.marketplaceId })
    },
  },
  { method: "GET", path: "/_sim/fba-inventory", handler: (c, req) => c.listFbaInventory(sellerParam(req)) },
  { method: "POST", path: "/_sim/fba-inventory", handler: (c, req) => c.setFbaInventory(many<FbaStockSeed>(req.body)) },
  { method: "GET", path: "/_sim/orders", handler: (c, req) => c.listOrders(sellerParam(req)) },
  { method: "POST", path: "/_sim/orders", handler: (c, req) => c.seedOrders(many<OrderSeed>(req.body)) },
  {
    method: "GET",
    path: "/_sim/orders/{orderId}",
    handler: (c, req) => {
      const order = c.getOrder(req.params.orderId)
      if (!order) throw new ControlError(`unknown order ${req.params.orderId}`, 404)
      return order
    },
  },
  { method: "POST", path: "/_sim/orders/{orderId}/transition", handler: (c, req) => c.transitionOrder(req.params.orderId, object<OrderTransition>(req.body)) },
  {
    method: "POST",
    path: "/_sim/orders/{orderId}/buyer-cancellation",
    handler: (c, req) =>
      c.requestBuyerCancellation(req.params.orderId, req.body === undefined ? {} : object<{ reason?: string; cancelNow?: boolean }>(req.body)),
  },
  { method: "GET", path: "/_sim/shipments", handler: (c, req) => c.listShipments(sellerParam(req)) },
  { method: "GET", path: "/_sim/mcf/orders", handler: (c, req) => c.listMcfOrders(sellerParam(req)) },
  { method: "PUT", path: "/_sim/mcf/timing", handler: (c, req) => c.setMcfTiming(object<Partial<McfTiming>>(req.body)) },
  {
    method: "GET",
    path: "/_sim/mcf/orders/{orderId}",
    handler: (c, req) => {
      const order = c.getMcfOrder(req.params.orderId, sellerParam(req))
      if (!order) throw new ControlError(`unknown MCF order ${req.params.orderId}`, 404)
      return order
    },
  },
  {
    method: "POST",
    path: "/_sim/mcf/orders/{orderId}/advance",
    handler: (c, req) => {
      const body = object<{ to: "shipped" | "delivered"; sellerId?: string }>(req.body)
      return c.advanceMcfOrder(req.params.orderId, body.to, body.sellerId ?? sellerParam(req))
    },
  },
  { method: "GET", path: "/_sim/feeds", handler: (c, req) => c.listFeeds(sellerParam(req)) },
  {
    method: "GET",
    path: "/_sim/feeds/{feedId}",
    handler: (c, req) => {
      const feed = c.getFeed(req.params.feedId)
      if (!feed) throw new ControlError(`unknown feed ${req.params.feedId}`, 404)
      return feed
    },
  },
  { method: "POST", path: "/_sim/feeds/release-stuck", handler: (c) => ({ released: c.releaseStuckFeeds() }) },
  { method: "PUT", path: "/_sim/feeds/timing", handler: (c, req) => c.setFeedTiming(object<Partial<FeedTiming>>(req.body)) },
  {
    method: "PUT",
    path: "/_sim/feeds/report-compression",
    handler: (c, req) => {
      const body = object<{ mode: ReportCompression; thresholdBytes?: number }>(req.body)
      c.setReportCompression(body.mode, body.thresholdBytes)
      return { ok: true }
    },
  },
  { method: "GET", path: "/_sim/reports", handler: (c, req) => c.listReports(sellerParam(req)) },
  { method: "PUT", path: "/_sim/reports/timing", handler: (c, req) => c.setReportTiming(object<Partial<ReportTiming>>(req.body)) },
  { method: "PUT", path: "/_sim/reports/cache", handler: (c, req) => ({ windowMs: c.setReportCacheWindow(object<{ windowMs: number }>(req.body).windowMs) }) },
  {
    method: "GET",
    path: "/_sim/reports/{reportId}",
    handler: (c, req) => {
      const report = c.getReport(req.params.reportId)
      if (!report) throw new ControlError(`unknown report ${req.params.reportId}`, 404)
      return report
    },
  },
  {
    method: "GET",
    path: "/_sim/reports/{reportId}/document",
    handler: (c, req) => {
      const report = c.getReport(req.params.reportId)
      if (!report) throw new ControlError(`unknown report ${req.params.reportId}`, 404)
      const text = c.getReportDocumentText(req.params.reportId)
      if (text === undefined) throw new ControlError(`report ${req.params.reportId} has no document (${report.processingStatus})`, 409)
      return { reportDocumentId: report.reportDocumentId, text }
    },
  },
  { method: "POST", path: "/_sim/sqs/queues", handler: (c, req) => c.createSqsQueue(object<CreateQueueInput>(req.body)) },
  { method: "GET", path: "/_sim/sqs/queues/{queue}", handler: (c, req) => c.sqsQueueState(req.params.queue) },
  { method: "GET", path: "/_sim/sqs/queues/{queue}/messages", handler: (c, req) => c.listSqsMessages(req.params.queue) },
  {
    method: "POST",
    path: "/_sim/notifications/eventbridge-routes",
    handler: (c, req) => {
      const body = object<{ awsAccountId: string; region: string; queueArn: string }>(req.body)
      c.routeEventBridgeToQueue({ awsAccountId: body.awsAccountId, region: body.region }, body.queueArn)
      return { ok: true }
    },
  },
  { method: "GET", path: "/_sim/notifications/destinations", handler: (c) => c.listDestinations() },
  { method: "GET", path: "/_sim/notifications/subscriptions", handler: (c, req) => c.listSubscriptions(sellerParam(req)) },
  { method: "GET", path: "/_sim/notifications/sent", handler: (c) => c.notificationsSent() },
  { method: "GET", path: "/_sim/faults", handler: (c) => c.listFaults() },
  { method: "POST", path: "/_sim/faults", handler: (c, req) => c.injectFault(object<FaultSpec>(req.body)) },
  {
    method: "DELETE",
    path: "/_sim/faults",
    handler: (c) => {
      c.clearFaults()
      return { ok: true }
    },
  },
  { method: "GET", path: "/_sim/counters", handler: (c) => c.counters() },
  {
    method: "DELETE",
    path: "/_sim/counters",
    handler: (c) => {
      c.resetCounters()
      return { ok: true }
    },
  },
  { method: "GET", path: "/_sim/quotas", handler: (c) => c.usagePlans() },
  {
    method: "PUT",
    path: "/_sim/quotas/{operation}",
    handler: (c, req) => {
      c.setUsagePlan(req.params.operation as OperationKey, object<UsagePlan>(req.body))
      return c.usagePlans()[req.params.operation]
    },
  },
  {
    method: "POST",
    path: "/_sim/quotas/refill",
    handler: (c) => {
      c.refillQuotas()
      return { ok: true }
    },
  },
  { method: "GET", path: "/_sim/clock", handler: (c) => ({ now: new Date(c.now()).toISOString() }) },
  {
    method: "POST",
    path: "/_sim/clock/advance",
    handler: (c, req) => ({ now: new Date(c.advanceClock(Number(object<{ ms: unknown }>(req.body).ms))).toISOString() }),
  },
  {
    method: "PUT",
    path: "/_sim/clock/time-scale",
    handler: (c, req) => {
      c.setTimeScale(Number(object<{ timeScale: unknown }>(req.body).timeScale))
      return { ok: true }
    },
  },
]

export function handleControl(control: SimControl, method: string, url: URL, rawBody: Buffer): HandlerResult {
  let pathMatched = false
  for (const route of ROUTES) {
    const params = matchPath(route.path, url.pathname)
    if (!params) continue
    pathMatched = true
    if (route.method !== method) continue
    let body: unknown
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString("utf8"))
      } catch {
        return { status: 400, body: { error: "the request body is not valid JSON" } }
      }
    }
    try {
      const result = route.handler(control, { params, query: url.searchParams, body })
      return { status: 200, body: result ?? { ok: true } }
    } catch (error) {
      if (error instanceof ControlError) return { status: error.status, body: { error: error.message } }
      throw error
    }
  }
  return pathMatched
    ? { status: 405, body: { error: `method ${method} not allowed on ${url.pathname}` } }
    : { status: 404, body: { error: `no control route ${method} ${url.pathname}` } }
}
