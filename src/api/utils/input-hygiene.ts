import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

/**
 * Request hygiene for the plugin's admin routes (/admin/amazon/…), run before any validator or handler:
 *
 * - **JSON only for writes.** The admin session is a cookie, and an HTML form on another site can POST
 *   form-encoded, multipart or text/plain bodies with it (Medusa parses the first and the last). A form can
 *   never send `application/json`, and a cross-site script cannot either without a CORS preflight that
 *   Medusa answers only for the admin's own origins. So a write with any other Content-Type is refused
 *   (415) before its body is looked at. A POST with no Content-Type at all is refused too: a cross-site
 *   `fetch(url, { method: "POST", mode: "no-cors" })` sends exactly that, without a preflight. The admin's
 *   JS SDK sends `content-type: application/json` on every request, with or without a body. Only a DELETE
 *   without a body may come without a Content-Type (curl, axios): a browser preflights every cross-site
 *   DELETE.
 * - **No NUL characters** in query values, JSON strings or keys (PostgreSQL refuses U+0000 in text, which
 *   used to be a 500 with the raw character in the log).
 * - **Bounded JSON bodies**: nesting deeper than MAX_INPUT_DEPTH or more than MAX_INPUT_NODES values is a
 *   400, not work for the validators.
 */

/** Methods that change something. Medusa's own routes use POST and DELETE; PUT and PATCH are covered too. */
export const WRITE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"])

/** Deepest nesting of objects/arrays accepted in a body or query (the plugin's bodies need 4). */
export const MAX_INPUT_DEPTH = 32

/** Most values (objects, arrays, strings, numbers …) accepted in one body or query (the largest, 500 ids). */
export const MAX_INPUT_NODES = 10_000

/** Longest part of a field name or header repeated in an error message. */
const MAX_ECHO = 60

/**
 * Makes a client-supplied name safe to put in an error message (and so in a log line): control
 * characters (NUL among them) become "?", and long names are cut.
 */
export function printable(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "?")
  return clean.length > MAX_ECHO ? `${clean.slice(0, MAX_ECHO)}…` : clean
}

/**
 * Why a request with this method and Content-Type must not reach a write route, or null when it may.
 *
 * @param contentType the raw Content-Type header, if any
 * @param hasBody whether the request carries a body (Content-Length > 0 or Transfer-Encoding)
 */
export function contentTypeProblem(method: string, contentType: string | undefined, hasBody: boolean): string | null {
  const verb = method.toUpperCase()
  if (!WRITE_METHODS.has(verb)) {
    return null
  }
  const mediaType = (contentType ?? "").split(";")[0].trim().toLowerCase()
  if (mediaType === "application/json") {
    return null
  }
  if (!mediaType) {
    if (verb === "DELETE" && !hasBody) {
      return null
    }
    return `${verb} requests to the Amazon admin API must be sent with Content-Type: application/json (send {} for an empty body)`
  }
  return `Content-Type "${printable(mediaType)}" is not accepted: ${verb} requests to the Amazon admin API take application/json only`
}

type Segment = string | number

function describePath(where: string, path: readonly Segment[]): string {
  if (!path.length) {
    return where
  }
  const name = path
    .map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? printable(s) : `.${printable(s)}`))
    .join("")
  return `${where} "${name}"`
}

/**
 * The first hygiene problem of a parsed query or JSON body, or null. Walks the value without recursion,
 * stopping at the first problem, so a hostile body costs at most MAX_INPUT_NODES visits.
 *
 * @param where how the message names the value: "query parameter" or "body field"
 */
export function inputProblem(
  value: unknown,
  where: "query parameter" | "body field",
  limits: { maxDepth?: number; maxNodes?: number } = {}
): string | null {
  const maxDepth = limits.maxDepth ?? MAX_INPUT_DEPTH
  const maxNodes = limits.maxNodes ?? MAX_INPUT_NODES
  const origin = where === "query parameter" ? "The query" : "The request body"
  const stack: { value: unknown; path: Segment[]; depth: number }[] = [{ value, path: [], depth: 0 }]
  // Values are counted when found, before they are stacked: a 2-million-item array is refused at once.
  let nodes = 1
  const name = (path: Segment[]) => describePath(where === "query parameter" ? "Query parameter" : "Body field", path)
  while (stack.length) {
    const item = stack.pop()!
    const v = item.value
    if (typeof v === "string") {
      if (v.includes("\u0000")) {
        return `${name(item.path)} contains a NUL character`
      }
      continue
    }
    if (v === null || typeof v !== "object") {
      continue
    }
    const depth = item.depth + 1
    if (depth > maxDepth) {
      return `${origin} is nested deeper than ${maxDepth} levels`
    }
    const keys = Array.isArray(v) ? null : Object.keys(v)
    nodes += keys ? keys.length : (v as unknown[]).length
    if (nodes > maxNodes) {
      return `${origin} has more than ${maxNodes} values`
    }
    if (!keys) {
      const list = v as unknown[]
      for (let i = list.length - 1; i >= 0; i--) {
        stack.push({ value: list[i], path: [...item.path, i], depth })
      }
      continue
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]
      if (key.includes("\u0000")) {
        return `${name([...item.path, key])} has a name that contains a NUL character`
      }
      stack.push({ value: (v as Record<string, unknown>)[key], path: [...item.path, key], depth })
    }
  }
  return null
}

/** Whether the raw URL path (before the query) has an encoded NUL, e.g. /admin/amazon/listings/%00. */
export function pathHasNul(originalUrl: string): boolean {
  const path = originalUrl.split("?")[0]
  return /%00/i.test(path) || path.includes("\u0000")
}

function hasBody(req: MedusaRequest): boolean {
  if (req.headers["transfer-encoding"] !== undefined) {
    return true
  }
  const length = Number(req.headers["content-length"] ?? 0)
  return Number.isFinite(length) && length > 0
}

/**
 * 415 for a write that is not JSON. Answered here rather than thrown: Medusa's error handler has no
 * MedusaError type for 415.
 */
export function requireJsonWrites(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const problem = contentTypeProblem(req.method, req.headers["content-type"], hasBody(req))
  if (problem) {
    res.status(415).json({ type: "unsupported_media_type", message: problem })
    return
  }
  next()
}

/** 400 for a NUL character anywhere in the path, query or JSON body, or a body too deep or too large. */
export function rejectUnsafeInput(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  if (pathHasNul(req.originalUrl ?? req.url)) {
    return next(new MedusaError(MedusaError.Types.INVALID_DATA, "The URL path contains a NUL character"))
  }
  const problem =
    inputProblem(req.query, "query parameter") ??
    // Only parsed JSON is walked: other bodies never get this far on a write (requireJsonWrites).
    (req.body !== null && typeof req.body === "object" ? inputProblem(req.body, "body field") : null)
  if (problem) {
    return next(new MedusaError(MedusaError.Types.INVALID_DATA, problem))
  }
  next()
}
