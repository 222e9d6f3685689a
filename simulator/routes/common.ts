/**
 * Checks shared by the SP-API routes.
 */
import type { SimContext, SpApiRequest } from "../context"
import { invalidInput, parseJsonBody, SpApiError } from "../http"
import { MODEL_FILES, type OperationKey } from "../operations"
import type { SellerAccount } from "../types"
import { describeErrors } from "../validation"

/** Parse the JSON body and check it against the operation's body schema in Amazon's model. */
export function validatedBody<T>(ctx: SimContext, req: SpApiRequest): T {
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
