/**
 * Fulfillment Outbound API v2026-07-04 (Multi-Channel Fulfillment): getOrderPreview, getOffers, createOrder, getOrder,
 * listOrders, updateOrder, cancelOrder. The rules live in domain/mcf-orders.ts.
 */
import type { components } from "../../src/lib/amazon/generated/fulfillment-outbound-2026-07-04"
import { parseIso } from "../clock"
import type { SimContext, SpApiHandler, SpApiRequest, SpApiRoute } from "../context"
import { McfRuleError, type CreateOrderRequest, type GetOffersRequest, type GetOrderPreviewRequest, type McfOrderRecord } from "../domain/mcf-orders"
import { invalidInput, json, notFound } from "../http"
import { decodeToken, encodeToken, validatedBody } from "./common"

type UpdateOrderRequest = components["schemas"]["UpdateOrderRequest"]
type ListOrdersResponse = components["schemas"]["ListOrdersResponse"]

const BASE = "/fulfillment/outbound/2026-07-04"

/** Turn the domain's refusals into Amazon-shaped errors. */
function rules(handler: SpApiHandler): SpApiHandler {
  return (ctx, req) => {
    try {
      return handler(ctx, req)
    } catch (error) {
      if (error instanceof McfRuleError) throw error.status === 404 ? notFound(error.message) : invalidInput(error.message, error.details)
      throw error
    }
  }
}

function ownOrder(ctx: SimContext, req: SpApiRequest): McfOrderRecord {
  const order = ctx.mcf.get(req.seller.sellerId, req.params.orderId)
  if (!order) throw notFound(`The fulfillment order ${req.params.orderId} was not found.`)
  return order
}

/** `shipments=INCLUDE|EXCLUDE` (default INCLUDE). */
function withShipments(req: SpApiRequest): boolean {
  const value = req.query.string("shipments")
  if (value === undefined || value === "INCLUDE") return true
  if (value === "EXCLUDE") return false
  throw invalidInput(`Invalid shipments: ${value}. Allowed: INCLUDE, EXCLUDE.`)
}

interface ListCursor {
  sellerId: string
  updatedAfter?: string
  shipments?: string
  /** receiveTime and orderId of the last order already returned (orders are listed oldest first). */
  afterTime: number
  afterId: string
}

function listOrders(ctx: SimContext, req: SpApiRequest) {
  const includeShipments = withShipments(req)
  const updatedAfterRaw = req.query.string("updatedAfter")
  let updatedAfter: number | undefined
  if (updatedAfterRaw !== undefined) {
    updatedAfter = parseIso(updatedAfterRaw)
    if (updatedAfter === undefined) throw invalidInput("updatedAfter must be an ISO 8601 date-time.")
  }
  let after: { time: number; id: string } | undefined
  const pageToken = req.query.string("pageToken")
  if (pageToken !== undefined) {
    const cursor = decodeToken<ListCursor>(pageToken)
    if (!cursor || cursor.sellerId !== req.seller.sellerId || typeof cursor.afterTime !== "number") throw invalidInput("The pageToken is invalid.")
    // "call the operation with this token and include the same arguments as the call that produced the token"
    if (cursor.updatedAfter !== updatedAfterRaw || cursor.shipments !== req.query.string("shipments")) {
      throw invalidInput("The pageToken was issued for other parameters: repeat the same updatedAfter and shipments.")
    }
    after = { time: cursor.afterTime, id: cursor.afterId }
  }
  const matching = ctx.mcf
    .ordersOf(req.seller.sellerId)
    // compared to the millisecond: a client passing back a statusUpdateTime (whole seconds) sees that order again
    .filter((o) => updatedAfter === undefined || o.lastUpdatedAt > updatedAfter)
    .filter((o) => !after || o.receivedAt > after.time || (o.receivedAt === after.time && o.orderId > after.id))
  const page = matching.slice(0, ctx.config.mcfPageSize)
  const body: ListOrdersResponse = { orders: page.map((o) => ctx.mcf.render(o, includeShipments)) }
  if (matching.length > page.length) {
    const last = page[page.length - 1]
    const cursor: ListCursor = { sellerId: req.seller.sellerId, updatedAfter: updatedAfterRaw, shipments: req.query.string("shipments"), afterTime: last.receivedAt, afterId: last.orderId }
    body.pagination = { nextToken: encodeToken(cursor) }
  }
  return json(200, body)
}

export const mcfRoutes: SpApiRoute[] = [
  {
    method: "POST",
    path: `${BASE}/previews`,
    operation: "fulfillment-outbound-2026-07-04.getOrderPreview",
    handler: rules((ctx, req) => json(200, ctx.mcf.preview(req.seller, validatedBody<GetOrderPreviewRequest>(ctx, req)))),
  },
  {
    method: "POST",
    path: `${BASE}/offers`,
    operation: "fulfillment-outbound-2026-07-04.getOffers",
    handler: rules((ctx, req) => json(200, ctx.mcf.offers(req.seller, validatedBody<GetOffersRequest>(ctx, req)))),
  },
  {
    method: "POST",
    path: `${BASE}/orders`,
    operation: "fulfillment-outbound-2026-07-04.createOrder",
    handler: rules((ctx, req) => {
      const order = ctx.mcf.create(req.seller, validatedBody<CreateOrderRequest>(ctx, req))
      return json(200, { order: ctx.mcf.render(order) })
    }),
  },
  {
    method: "GET",
    path: `${BASE}/orders`,
    operation: "fulfillment-outbound-2026-07-04.listOrders",
    handler: rules(listOrders),
  },
  {
    method: "GET",
    path: `${BASE}/orders/{orderId}`,
    operation: "fulfillment-outbound-2026-07-04.getOrder",
    handler: rules((ctx, req) => {
      const include = withShipments(req)
      return json(200, { order: ctx.mcf.render(ownOrder(ctx, req), include) })
    }),
  },
  {
    method: "PUT",
    path: `${BASE}/orders/{orderId}`,
    operation: "fulfillment-outbound-2026-07-04.updateOrder",
    handler: rules((ctx, req) => {
      const body = validatedBody<UpdateOrderRequest>(ctx, req)
      ctx.mcf.update(ownOrder(ctx, req), body.fulfillmentConfiguration?.action)
      return json(202, {})
    }),
  },
  {
    method: "PUT",
    path: `${BASE}/orders/{orderId}/cancel`,
    operation: "fulfillment-outbound-2026-07-04.cancelOrder",
    handler: rules((ctx, req) => {
      ctx.mcf.cancel(ownOrder(ctx, req))
      return json(202, {})
    }),
  },
]
