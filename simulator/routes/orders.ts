/**
 * Orders API v2026-01-01 (searchOrders, getOrder) and Orders v0 confirmShipment.
 */
import { randomBytes } from "node:crypto"
import type { components as V0 } from "../../src/lib/amazon/generated/orders-v0"
import type { components } from "../../src/lib/amazon/generated/orders-v2026-01-01"
import { parseIso, toAmazonIso, toSecond } from "../clock"
import { type PageCursor, type SimContext, type SpApiRequest, type SpApiRoute, storeCursor } from "../context"
import { checkShippableUnits, ORDER_INCLUDED_DATA, recordShipment, renderOrder, statusOf } from "../domain/orders"
import { invalidInput, json, notFound } from "../http"
import type { ShipmentRecord, SimOrder } from "../types"
import { FULFILLMENT_STATUSES } from "../types"
import { requireEnum, requireSellerMarketplaces, validatedBody } from "./common"

type SearchOrdersResponse = components["schemas"]["SearchOrdersResponse"]
type ConfirmShipmentRequest = V0["schemas"]["ConfirmShipmentRequest"]
type Family = "created" | "lastUpdated"
type OrderCursor = PageCursor<{ time: number; orderId: string }>

/** Parameters that may change between pages (Amazon: only maxResultsPerPage and includedData). */
const PAGE_FIELDS = ["paginationToken", "maxResultsPerPage", "includedData"]

function familyTime(sim: SimOrder, family: Family): number {
  return Date.parse(family === "created" ? sim.order.createdTime : sim.order.lastUpdatedTime)
}

function includedDataOf(req: SpApiRequest): string[] {
  const includedData = req.query.list("includedData") ?? []
  requireEnum(includedData, ORDER_INCLUDED_DATA, "includedData")
  return includedData
}

function isoParam(req: SpApiRequest, name: string): number | undefined {
  const raw = req.query.string(name)
  if (raw === undefined) return undefined
  const value = parseIso(raw)
  if (value === undefined) throw invalidInput(`${name} must be in ISO 8601 format, got '${raw}'.`)
  return value
}

interface Window {
  family: Family
  after: number
  before: number
}

/** The created* / lastUpdated* window of a first page, with Amazon's rules. */
function resolveWindow(ctx: SimContext, req: SpApiRequest): Window {
  const createdAfter = isoParam(req, "createdAfter")
  const createdBefore = isoParam(req, "createdBefore")
  const lastUpdatedAfter = isoParam(req, "lastUpdatedAfter")
  const lastUpdatedBefore = isoParam(req, "lastUpdatedBefore")
  if ((createdAfter === undefined) === (lastUpdatedAfter === undefined)) {
    throw invalidInput("Exactly one of createdAfter and lastUpdatedAfter must be provided.")
  }
  const family: Family = createdAfter !== undefined ? "created" : "lastUpdated"
  if (family === "created" && lastUpdatedBefore !== undefined) {
    throw invalidInput("lastUpdatedBefore cannot be combined with createdAfter; created* and lastUpdated* parameters cannot be mixed.")
  }
  if (family === "lastUpdated" && createdBefore !== undefined) {
    throw invalidInput("createdBefore cannot be combined with lastUpdatedAfter; created* and lastUpdated* parameters cannot be mixed.")
  }
  const after = (family === "created" ? createdAfter : lastUpdatedAfter) as number
  const rawBefore = family === "created" ? createdBefore : lastUpdatedBefore
  const latest = ctx.clock.now() - ctx.config.ordersBeforeLagMs
  const minutes = ctx.config.ordersBeforeLagMs / 60_000
  if (after > latest) throw invalidInput(`${family}After must be at least ${minutes} minutes before the time of the request.`)
  if (rawBefore !== undefined) {
    if (rawBefore < after) throw invalidInput(`${family}Before must be equal to or after ${family}After.`)
    if (rawBefore > latest) throw invalidInput(`${family}Before must be at least ${minutes} minutes before the time of the request.`)
  }
  // Without a *Before Amazon uses "now - 2 minutes" and echoes it; it is the safe next watermark. Order times
  // are whole seconds, so the bound is too: the echoed value is then exactly the bound applied.
  return { family, after, before: toSecond(rawBefore ?? latest) }
}

function searchOrders(ctx: SimContext, req: SpApiRequest) {
  const includedData = includedDataOf(req)
  const maxResults = req.query.int("maxResultsPerPage", { min: 1, max: 100 }) ?? 100
  const marketplaceIds = req.query.list("marketplaceIds")
  if (marketplaceIds && marketplaceIds.length > 50) throw invalidInput("marketplaceIds accepts at most 50 values.")
  if (marketplaceIds) requireSellerMarketplaces(req.seller, marketplaceIds, "marketplaceIds")
  const statuses = req.query.list("fulfillmentStatuses")
  requireEnum(statuses, FULFILLMENT_STATUSES, "fulfillmentStatuses")
  const fulfilledBy = req.query.list("fulfilledBy")
  requireEnum(fulfilledBy, ["MERCHANT", "AMAZON"], "fulfilledBy")
  const fingerprint = req.query.fingerprint(PAGE_FIELDS)

  let window: Window
  let cursorKey: { time: number; orderId: string } | undefined
  const token = req.query.string("paginationToken")
  if (token !== undefined) {
    const cursor = ctx.cursors.orders.get(token)
    if (!cursor || cursor.sellerId !== req.seller.sellerId || cursor.expiresAt < ctx.clock.now()) {
      throw invalidInput("The paginationToken is invalid or expired.")
    }
    if (cursor.fingerprint !== fingerprint) {
      throw invalidInput(
        "The paginationToken does not match the request: every parameter except maxResultsPerPage and includedData must be repeated unchanged.",
      )
    }
    window = { family: cursor.fixed.family as Family, after: Number(cursor.fixed.after), before: Number(cursor.fixed.before) }
    cursorKey = cursor.after
  } else {
    window = resolveWindow(ctx, req)
  }

  const matches = ctx.state
    .ordersOf(req.seller.sellerId)
    .filter((sim) => {
      const time = familyTime(sim, window.family)
      if (time < window.after || time > window.before) return false
      if (marketplaceIds && !marketplaceIds.includes(sim.order.salesChannel.marketplaceId ?? "")) return false
      if (statuses && !statuses.includes(statusOf(sim.order))) return false
      if (fulfilledBy && !fulfilledBy.includes(sim.order.fulfillment?.fulfilledBy ?? "MERCHANT")) return false
      return true
    })
    .map((sim) => ({ sim, key: { time: familyTime(sim, window.family), orderId: sim.order.orderId } }))
    // Deterministic order: the window's timestamp, then orderId; the cursor resumes after the last key sent.
    .sort((a, b) => a.key.time - b.key.time || a.key.orderId.localeCompare(b.key.orderId))
    .filter(({ key }) => !cursorKey || key.time > cursorKey.time || (key.time === cursorKey.time && key.orderId > cursorKey.orderId))

  const page = matches.slice(0, maxResults)
  const response: SearchOrdersResponse = { orders: page.map(({ sim }) => renderOrder(sim.order, includedData)) }
  if (matches.length > maxResults) {
    const nextToken = randomBytes(24).toString("base64url")
    const cursor: OrderCursor = {
      sellerId: req.seller.sellerId,
      fingerprint,
      after: page[page.length - 1].key,
      expiresAt: ctx.clock.now() + ctx.config.ordersTokenTtlMs,
      fixed: { family: window.family, after: window.after, before: window.before },
    }
    storeCursor(ctx.cursors.orders, nextToken, cursor, ctx.clock.now())
    response.pagination = { nextToken }
  }
  if (window.family === "created") response.createdBefore = toAmazonIso(window.before)
  else response.lastUpdatedBefore = toAmazonIso(window.before)
  return json(200, response)
}

function ownOrder(ctx: SimContext, req: SpApiRequest): SimOrder {
  const sim = ctx.state.orders.get(req.params.orderId)
  if (!sim || sim.sellerId !== req.seller.sellerId) throw notFound(`The order ${req.params.orderId} was not found.`)
  return sim
}

function getOrder(ctx: SimContext, req: SpApiRequest) {
  const includedData = includedDataOf(req)
  const sim = ownOrder(ctx, req)
  return json(200, { order: renderOrder(sim.order, includedData) })
}

function confirmShipment(ctx: SimContext, req: SpApiRequest) {
  const sim = ownOrder(ctx, req)
  const body = validatedBody<ConfirmShipmentRequest>(ctx, req)
  const order = sim.order
  const detail = body.packageDetail
  if (body.marketplaceId !== order.salesChannel.marketplaceId) {
    throw invalidInput(`marketplaceId ${body.marketplaceId} does not match the order's marketplace.`)
  }
  if (order.fulfillment?.fulfilledBy === "AMAZON") throw invalidInput("Shipments can only be confirmed for merchant-fulfilled orders.")
  if (detail.carrierCode.trim() === "") throw invalidInput("packageDetail.carrierCode is required.")
  if (detail.carrierCode === "Other" && !detail.carrierName) throw invalidInput("packageDetail.carrierName is required when carrierCode is Other.")
  if (detail.orderItems.length === 0) throw invalidInput("packageDetail.orderItems must list at least one order item.")
  const status = statusOf(order)
  const existing = (order.packages ?? []).find((p) => p.packageReferenceId === detail.packageReferenceId)
  if (status === "SHIPPED" && existing) {
    // Amazon lets a seller correct the details of a package already confirmed.
    existing.carrier = detail.carrierName ?? detail.carrierCode
    existing.trackingNumber = detail.trackingNumber
    if (detail.shippingMethod) existing.shippingService = detail.shippingMethod
    order.lastUpdatedTime = toAmazonIso(Math.max(ctx.clock.now(), Date.parse(order.lastUpdatedTime)))
    return { status: 204 }
  }
  if (status !== "UNSHIPPED" && status !== "PARTIALLY_SHIPPED") {
    throw invalidInput(`The order is ${status}; only UNSHIPPED or PARTIALLY_SHIPPED orders can be confirmed.`)
  }
  if (existing) throw invalidInput(`packageReferenceId ${detail.packageReferenceId} was already used for this order.`)
  if (parseIso(detail.shipDate) === undefined) throw invalidInput("packageDetail.shipDate must be in ISO 8601 format.")
  const units = detail.orderItems.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity }))
  const problem = checkShippableUnits(order, units)
  if (problem) throw invalidInput(problem)

  const shipment: ShipmentRecord = {
    sellerId: sim.sellerId,
    orderId: order.orderId,
    marketplaceId: body.marketplaceId,
    packageReferenceId: detail.packageReferenceId,
    carrierCode: detail.carrierCode,
    ...(detail.carrierName ? { carrierName: detail.carrierName } : {}),
    ...(detail.shippingMethod ? { shippingMethod: detail.shippingMethod } : {}),
    trackingNumber: detail.trackingNumber,
    shipDate: detail.shipDate,
    items: units,
    confirmedAt: ctx.clock.now(),
  }
  ctx.notifications.trackOrderStatus([sim], () => recordShipment(sim, shipment, ctx.clock.now()))
  ctx.state.shipments.push(shipment)
  return { status: 204 }
}

export const ordersRoutes: SpApiRoute[] = [
  { method: "GET", path: "/orders/2026-01-01/orders", operation: "orders-2026-01-01.searchOrders", handler: searchOrders },
  { method: "GET", path: "/orders/2026-01-01/orders/{orderId}", operation: "orders-2026-01-01.getOrder", handler: getOrder },
  { method: "POST", path: "/orders/v0/orders/{orderId}/shipmentConfirmation", operation: "orders-v0.confirmShipment", handler: confirmShipment },
]
