/**
 * Checks shared by the SP-API routes.
 */
import type { SimContext, SpApiRequest } from "../context"
import { parseIso } from "../clock"
import { invalidInput, parseJsonBody, SpApiError, type Query } from "../http"
import { MODEL_FILES, type OperationKey } from "../operations"
import type { SellerAccount } from "../types"
import { describeErrors } from "../validation"

/** Parse the JSON body and check it against the operation's body schema in Amazon's model. */
export function validatedBody<T>(ctx: SimContext, req: Pick<SpApiRequest, "body" | "operation">): T {
  const body = parseJsonBody(req.body)
  const definition = bodyDefinition(ctx, req.operation)
  const validate = ctx.swagger.definition(MODEL_FILES[req.operation.split(".")[0]], definition)
  if (!validate(body)) {
    throw invalidInput("Request has missing or invalid parameters and cannot be parsed.", describeErrors(validate.errors))
  }
  return body as T
}

function bodyDefinition(ctx: SimContext, operation: OperationKey): string {
  const [api, operationId] = operation.split(".")
  const definition = ctx.swagger.operation(MODEL_FILES[api], operationId).bodyDefinition
  if (!definition) throw new Error(`${operation} has no body parameter in its model`)
  return definition
}

/** Every id must be a marketplace the seller participates in. */
export function requireSellerMarketplaces(seller: SellerAccount, ids: string[], parameter: string): void {
  const unknown = ids.filter((id) => !seller.marketplaceIds.includes(id))
  if (unknown.length > 0) throw invalidInput(`Invalid ${parameter}: ${unknown.join(", ")}.`, "The seller does not participate in these marketplaces.")
}

/** The path sellerId must be the seller the access token belongs to. */
export function requireOwnSellerId(req: SpApiRequest): void {
  if (req.params.sellerId !== req.seller.sellerId) {
    throw new SpApiError(403, "Unauthorized", "Access to requested resource is denied.", "The sellerId in the request path does not belong to the access token.")
  }
}

export function requireList(values: string[] | undefined, name: string): string[] {
  if (!values || values.length === 0) throw invalidInput(`Missing required parameter: ${name}.`)
  return values
}

/** Every value must be one of `allowed`. */
export function requireEnum(values: string[] | undefined, allowed: readonly string[], name: string): void {
  const bad = (values ?? []).filter((v) => !allowed.includes(v))
  if (bad.length > 0) throw invalidInput(`Invalid ${name}: ${bad.join(", ")}. Allowed: ${allowed.join(", ")}.`)
}

/** A stateless page token (base64url JSON). */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url")
}

export function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T
  } catch {
    return undefined
  }
}

/** The filter of a getFeeds / getReports page (the two operations share their query parameters). */
export interface DocumentListFilter {
  types: string[]
  marketplaceIds?: string[]
  processingStatuses?: string[]
  createdSince: number
  createdUntil: number
  pageSize: number
  offset: number
}

/**
 * Parses getFeeds' or getReports' query (`feedTypes` / `reportTypes`, marketplaceIds, processingStatuses,
 * createdSince/Until, pageSize) or its nextToken, which Amazon requires to be the only parameter.
 */
export function parseDocumentListQuery(
  ctx: SimContext,
  seller: SellerAccount,
  query: Query,
  options: { typesParam: "feedTypes" | "reportTypes"; statuses: readonly string[]; retentionMs: number }
): DocumentListFilter {
  const nextToken = query.string("nextToken")
  if (nextToken !== undefined) {
    // Amazon: "include this token as the only parameter".
    if (query.names().length > 1) throw invalidInput("nextToken must be the only parameter when it is given.")
    const decoded = decodeToken<DocumentListFilter & { sellerId: string }>(nextToken)
    if (!decoded || decoded.sellerId !== seller.sellerId) throw invalidInput("The nextToken is invalid.")
    return decoded
  }
  const { typesParam } = options
  const types = query.list(typesParam)
  if (!types || types.length === 0) throw invalidInput(`Either ${typesParam} or nextToken is required.`)
  if (types.length > 10) throw invalidInput(`${typesParam} accepts at most 10 values.`)
  const marketplaceIds = query.list("marketplaceIds")
  if (marketplaceIds && marketplaceIds.length > 10) throw invalidInput("marketplaceIds accepts at most 10 values.")
  const processingStatuses = query.list("processingStatuses")
  requireEnum(processingStatuses, options.statuses, "processingStatuses")
  const now = ctx.clock.now()
  const since = query.string("createdSince")
  const until = query.string("createdUntil")
  const createdSince = since === undefined ? now - options.retentionMs : parseIso(since)
  const createdUntil = until === undefined ? now : parseIso(until)
  if (createdSince === undefined) throw invalidInput("createdSince must be an ISO 8601 date-time.")
  if (createdUntil === undefined) throw invalidInput("createdUntil must be an ISO 8601 date-time.")
  if (createdSince > createdUntil) throw invalidInput("createdSince must be before createdUntil.")
  return {
    types,
    marketplaceIds,
    processingStatuses,
    createdSince,
    createdUntil,
    pageSize: query.int("pageSize", { min: 1, max: 100 }) ?? 10,
    offset: 0,
  }
}

/**
 * One page of getFeeds / getReports: the seller's records matching the filter, newest first (ties by id,
 * descending), and the nextToken of the next page when there is one.
 */
export function pageOfDocuments<T extends { createdAt: number; marketplaceIds: string[]; status: string }>(
  records: T[],
  filter: DocumentListFilter,
  sellerId: string,
  fields: { type: (r: T) => string; id: (r: T) => string }
): { page: T[]; nextToken?: string } {
  const matching = records
    .filter(
      (r) =>
        filter.types.includes(fields.type(r)) &&
        (!filter.marketplaceIds?.length || r.marketplaceIds.some((m) => filter.marketplaceIds?.includes(m))) &&
        (!filter.processingStatuses?.length || filter.processingStatuses.includes(r.status)) &&
        r.createdAt >= filter.createdSince &&
        r.createdAt <= filter.createdUntil,
    )
    .sort((a, b) => b.createdAt - a.createdAt || Number(fields.id(b)) - Number(fields.id(a)))
  const page = matching.slice(filter.offset, filter.offset + filter.pageSize)
  const more = filter.offset + filter.pageSize < matching.length
  return more ? { page, nextToken: encodeToken({ ...filter, offset: filter.offset + filter.pageSize, sellerId }) } : { page }
}
