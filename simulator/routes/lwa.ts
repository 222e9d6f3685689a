/**
 * Login with Amazon token endpoint (`POST /auth/o2/token`): the refresh_token grant (a seller's token) and the
 * client_credentials grant with scope `sellingpartnerapi::notifications` (a grantless token, bound to the
 * application only; `sellingpartnerapi::client_credential:rotation` is refused: secret rotation is not simulated).
 *
 * Error statuses follow what LWA has been seen to send: 401 `invalid_client` ("Client authentication failed")
 * for an unknown client id or a wrong secret (jlevers/selling-partner-api#578), 400 `invalid_grant` for a
 * refresh token that is unknown or belongs to another client, 400 `unsupported_grant_type` / `invalid_request`
 * for malformed requests.
 */
import { randomBytes } from "node:crypto"
import type { IncomingHttpHeaders } from "node:http"
import type { SimContext } from "../context"
import type { HandlerResult } from "../http"

function lwaError(status: number, error: string, description: string): HandlerResult {
  return { status, body: { error_description: description, error }, contentType: "application/json;charset=UTF-8" }
}

function readForm(headers: IncomingHttpHeaders, body: Buffer): Record<string, string> | undefined {
  const type = (headers["content-type"] ?? "").toLowerCase()
  const text = body.toString("utf8")
  if (type.startsWith("application/json")) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]))
    } catch {
      return undefined
    }
  }
  return Object.fromEntries(new URLSearchParams(text))
}

const GRANTLESS_SCOPES = ["sellingpartnerapi::notifications"]

export function handleLwaToken(ctx: SimContext, headers: IncomingHttpHeaders, body: Buffer): HandlerResult {
  const form = readForm(headers, body)
  if (!form) return lwaError(400, "invalid_request", "The request body could not be parsed.")
  if (form.grant_type === "client_credentials") return clientCredentials(ctx, form)
  if (form.grant_type !== "refresh_token") {
    return lwaError(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server")
  }
  for (const field of ["client_id", "client_secret", "refresh_token"]) {
    if (!form[field]) return lwaError(400, "invalid_request", `The request is missing a required parameter : ${field}`)
  }
  const sellers = [...ctx.state.sellers.values()]
  const client = sellers.find((s) => s.clientId === form.client_id)
  if (!client || client.clientSecret !== form.client_secret) {
    return lwaError(401, "invalid_client", "Client authentication failed")
  }
  const seller = ctx.state.sellerByRefreshToken(form.refresh_token)
  if (!seller || seller.clientId !== form.client_id) {
    return lwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
  }
  const accessToken = `Atza|${randomBytes(48).toString("base64url")}`
  const expiresIn = Math.round(ctx.config.accessTokenTtlMs / 1000)
  ctx.state.accessTokens.set(accessToken, {
    token: accessToken,
    sellerId: seller.sellerId,
    clientId: seller.clientId,
    expiresAt: ctx.clock.now() + ctx.config.accessTokenTtlMs,
  })
  return {
    status: 200,
    body: { access_token: accessToken, refresh_token: seller.refreshToken, token_type: "bearer", expires_in: expiresIn },
    contentType: "application/json;charset=UTF-8",
  }
}

/** A grantless token (`Atc|…`, as LWA issues them): belongs to the application of client_id, no seller. */
function clientCredentials(ctx: SimContext, form: Record<string, string>): HandlerResult {
  for (const field of ["client_id", "client_secret", "scope"]) {
    if (!form[field]) return lwaError(400, "invalid_request", `The request is missing a required parameter : ${field}`)
  }
  const client = [...ctx.state.sellers.values()].find((s) => s.clientId === form.client_id)
  if (!client || client.clientSecret !== form.client_secret) return lwaError(401, "invalid_client", "Client authentication failed")
  const scope = form.scope
  if (!GRANTLESS_SCOPES.includes(scope)) return lwaError(400, "invalid_scope", "The request has an invalid parameter : scope")
  const accessToken = `Atc|${randomBytes(48).toString("base64url")}`
  ctx.state.accessTokens.set(accessToken, { token: accessToken, clientId: client.clientId, scope, expiresAt: ctx.clock.now() + ctx.config.accessTokenTtlMs })
  return {
    status: 200,
    body: { access_token: accessToken, scope, token_type: "bearer", expires_in: Math.round(ctx.config.accessTokenTtlMs / 1000) },
    contentType: "application/json;charset=UTF-8",
  }
}
