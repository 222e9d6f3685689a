/**
 * The simulator's HTTP server. Request path: route → (SP-API) count the call → access token → injected faults →
 * usage-plan bucket → handler → optional malformed-body fault. A POST with `x-amz-target: AmazonSQS.*` goes to the
 * SQS-compatible endpoint instead. Every response carries x-amzn-RequestId;
 * every response after authentication also carries x-amzn-RateLimit-Limit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { SimContext, SpApiRequest, SpApiRoute } from "./context"
import type { SimControl } from "./control"
import { BodyTooLargeError, errorBody, type HandlerResult, matchPath, Query, quotaExceeded, readBody, sendResult, SpApiError, unauthorized } from "./http"
import { LWA_OPERATION } from "./operations"
import { formatRate } from "./quota"
import { handleControl } from "./routes/control"
import { fbaRoutes } from "./routes/fba"
import { feedsRoutes } from "./routes/feeds"
import { listingsRoutes } from "./routes/listings"
import { mcfRoutes } from "./routes/mcf"
import { handleLwaToken } from "./routes/lwa"
import { notificationsRoutes } from "./routes/notifications"
import { ordersRoutes } from "./routes/orders"
import { reportsRoutes } from "./routes/reports"
import { handleS3 } from "./routes/s3"
import { sellersRoutes } from "./routes/sellers"
import { handleSqs } from "./routes/sqs"
import { newRequestId } from "./state"
import type { SellerAccount } from "./types"

const SP_API_ROUTES: SpApiRoute[] = [...feedsRoutes, ...listingsRoutes, ...ordersRoutes, ...fbaRoutes, ...sellersRoutes, ...reportsRoutes, ...notificationsRoutes, ...mcfRoutes]
const API_BODY_LIMIT = 10 * 1024 * 1024

const TOKEN_MISSING = "Access token is missing in the request header."
const TOKEN_EXPIRED = "The access token you provided has expired."
const TOKEN_INVALID = "The access token you provided is revoked, malformed or invalid."
const SELLER_TOKEN_REQUIRED = "This operation needs an access token authorized by a selling partner; a grantless token cannot call it."
const GRANTLESS_TOKEN_REQUIRED = "This operation is grantless: call it with a client_credentials access token of the application."

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A JSON body cut in half: what a client sees when a response is truncated in transit. */
function truncated(result: HandlerResult): HandlerResult {
  const text = JSON.stringify(result.body ?? { errors: [] })
  return {
    status: result.status === 204 ? 200 : result.status,
    raw: text.slice(0, Math.max(1, Math.floor(text.length / 2))),
    contentType: "application/json",
    headers: result.headers,
  }
}

export function createSimulatorServer(ctx: SimContext, control: SimControl, onError: (error: unknown) => void): Server {
  /** The token's application, and its seller unless it is a grantless token. */
  function authenticate(req: IncomingMessage, route: SpApiRoute): { clientId: string; seller?: SellerAccount } {
    const header = req.headers["x-amz-access-token"]
    const token = Array.isArray(header) ? header[0] : header
    if (!token) throw unauthorized(TOKEN_MISSING)
    const record = ctx.state.accessTokens.get(token)
    if (!record) throw unauthorized(TOKEN_INVALID)
    if (record.expiresAt <= ctx.clock.now()) throw unauthorized(TOKEN_EXPIRED)
    const seller = record.sellerId === undefined ? undefined : ctx.state.seller(record.sellerId)
    if (record.sellerId !== undefined && !seller) throw unauthorized(TOKEN_INVALID)
    const grant = route.grant ?? "seller"
    if (grant === "seller" && !seller) throw unauthorized(SELLER_TOKEN_REQUIRED)
    if (grant === "grantless" && seller) throw unauthorized(GRANTLESS_TOKEN_REQUIRED)
    return { clientId: record.clientId, seller }
  }

  function dispatch(route: SpApiRoute, principal: { clientId: string; seller?: SellerAccount }, request: Omit<SpApiRequest, "seller" | "clientId">): HandlerResult {
    if (route.grant === "grantless" || route.grant === "either") return route.handler(ctx, { ...request, ...principal })
    if (!principal.seller) throw unauthorized(SELLER_TOKEN_REQUIRED)
    return route.handler(ctx, { ...request, clientId: principal.clientId, seller: principal.seller })
  }

  async function handleSpApi(route: SpApiRoute, params: Record<string, string>, req: IncomingMessage, url: URL): Promise<HandlerResult> {
    const operation = route.operation
    ctx.counters.recordCall(operation)
    let throttleCause: "quota" | "fault" | undefined
    let result: HandlerResult
    let rateHeader: Record<string, string> = {}
    try {
      const body = await readBody(req, API_BODY_LIMIT)
      const principal = authenticate(req, route)
      // The rate as a client measuring wall-clock seconds sees it: at time scale N the bucket refills N
      // times faster, and a client that honours this header (as Amazon asks) paces itself accordingly.
      const rate = formatRate(ctx.quotas.plan(operation).rate * ctx.clock.timeScale)
      rateHeader = { "x-amzn-RateLimit-Limit": rate }

      const latency = ctx.faults.take("latency", operation)
      if (latency) await sleep(latency.ms)
      if (ctx.faults.take("throttle", operation)) {
        throttleCause = "fault"
        throw quotaExceeded(rate)
      }
      const serverError = ctx.faults.take("server-error", operation)
      if (serverError) {
        throw serverError.status === 503
          ? new SpApiError(503, "ServiceUnavailable", "Service temporarily unavailable. Please try again later.")
          : new SpApiError(500, "InternalFailure", "We encountered an internal error. Please try again.")
      }
      // Grantless calls draw on the application's bucket.
      if (!ctx.quotas.tryTake(principal.seller?.sellerId ?? `application:${principal.clientId}`, operation)) {
        throttleCause = "quota"
        throw quotaExceeded(rate)
      }
      result = dispatch(route, principal, { operation, params, query: new Query(url.searchParams), body, headers: req.headers })
      if (result.status === 429) throttleCause = "quota"
      if (ctx.faults.take("malformed-json", operation)) result = truncated(result)
    } catch (error) {
      if (error instanceof SpApiError) {
        if (error.status === 429 && throttleCause === undefined) throttleCause = "quota"
        result = { status: error.status, body: error.toBody(), headers: error.headers }
      } else if (error instanceof BodyTooLargeError) {
        result = { status: 413, body: errorBody("RequestEntityTooLarge", "The request is too large.") }
      } else {
        onError(error)
        result = { status: 500, body: errorBody("InternalFailure", "We encountered an internal error. Please try again.") }
      }
    }
    ctx.counters.recordOutcome(operation, result.status, throttleCause)
    return { ...result, headers: { ...rateHeader, ...(result.headers ?? {}) } }
  }

  async function handleLwa(req: IncomingMessage): Promise<HandlerResult> {
    ctx.counters.recordCall(LWA_OPERATION)
    const body = await readBody(req, API_BODY_LIMIT)
    const latency = ctx.faults.take("latency", LWA_OPERATION, true)
    if (latency) await sleep(latency.ms)
    const serverError = ctx.faults.take("server-error", LWA_OPERATION, true)
    let result: HandlerResult = serverError
      ? {
          status: serverError.status ?? 500,
          body:
            serverError.status === 503
              ? { error_description: "The authorization server is temporarily unavailable.", error: "temporarily_unavailable" }
              : { error_description: "The authorization server encountered an unexpected condition.", error: "server_error" },
        }
      : handleLwaToken(ctx, req.headers, body)
    if (ctx.faults.take("malformed-json", LWA_OPERATION, true)) result = truncated(result)
    ctx.counters.recordOutcome(LWA_OPERATION, result.status)
    return result
  }

  async function route(req: IncomingMessage, url: URL): Promise<HandlerResult> {
    const method = req.method ?? "GET"
    const path = url.pathname
    if (method === "POST" && String(req.headers["x-amz-target"] ?? "").startsWith("AmazonSQS.")) {
      const body = await readBody(req, API_BODY_LIMIT)
      // A long poll must stop when its client goes away; the listener goes when the call ends (keep-alive sockets carry many).
      let onClose: () => void = () => undefined
      const clientClosed = new Promise<void>((resolve) => {
        onClose = resolve
        req.socket.once("close", onClose)
      })
      try {
        return await handleSqs(ctx, { headers: req.headers, body, clientGone: () => req.socket.destroyed, clientClosed })
      } finally {
        req.socket.off("close", onClose)
      }
    }
    if (path.startsWith("/_sim/")) {
      return handleControl(control, method, url, await readBody(req, API_BODY_LIMIT))
    }
    if (path.startsWith("/_s3/")) {
      let body: Buffer
      try {
        body = await readBody(req, ctx.config.maxUploadBytes)
      } catch (error) {
        if (error instanceof BodyTooLargeError) return { status: 400, raw: "<Error><Code>EntityTooLarge</Code></Error>", contentType: "application/xml" }
        throw error
      }
      const s3 = handleS3(ctx, method, url, req.headers, body)
      if (s3) return s3
    }
    if (path === "/auth/o2/token" && method === "POST") return handleLwa(req)
    for (const candidate of SP_API_ROUTES) {
      if (candidate.method !== method) continue
      const params = matchPath(candidate.path, path)
      if (params) return handleSpApi(candidate, params, req, url)
    }
    req.resume()
    return { status: 404, body: errorBody("NotFound", `Resource not found: ${method} ${path}`) }
  }

  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const requestId = newRequestId()
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    route(req, url)
      // Amazon's Date header is Amazon's clock: here the simulated one (Node would send the wall clock, which
      // differs from the feeds' and reports' times as soon as the time scale is not 1)
      .then((result) => sendResult(res, result, { "x-amzn-RequestId": requestId, Date: new Date(ctx.clock.now()).toUTCString() }))
      .catch((error: unknown) => {
        onError(error)
        if (!res.headersSent) {
          sendResult(res, { status: 500, body: errorBody("InternalFailure", "We encountered an internal error. Please try again.") }, { "x-amzn-RequestId": requestId })
        } else {
          res.destroy()
        }
      })
  })
}
