/**
 * Small node:http helpers: Amazon-shaped errors, query parsing (SP-API arrays are comma-delimited), body
 * reading and path templates.
 */
import type { IncomingMessage, ServerResponse } from "node:http"

export interface ErrorEntry {
  code: string
  message: string
  details?: string
}

/** An error answered as `{errors:[{code,message,details?}]}` with the given HTTP status. */
export class SpApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: string,
    /** Extra response headers, e.g. x-amzn-RateLimit-Limit on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = "SpApiError"
  }

  toBody(): { errors: ErrorEntry[] } {
    return errorBody(this.code, this.message, this.details)
  }
}

export function errorBody(code: string, message: string, details?: string): { errors: ErrorEntry[] } {
  return { errors: [details === undefined ? { code, message } : { code, message, details }] }
}

export function invalidInput(message: string, details?: string): SpApiError {
  return new SpApiError(400, "InvalidInput", message, details)
}

export function notFound(message: string, code = "NotFound"): SpApiError {
  return new SpApiError(404, code, message)
}

export const QUOTA_EXCEEDED_MESSAGE = "You exceeded your quota for the requested resource."

export function quotaExceeded(rateHeader: string): SpApiError {
  // Amazon sends an empty `details` on throttling responses.
  return new SpApiError(429, "QuotaExceeded", QUOTA_EXCEEDED_MESSAGE, "", { "x-amzn-RateLimit-Limit": rateHeader })
}

export const UNAUTHORIZED_MESSAGE = "Access to requested resource is denied."

export function unauthorized(details: string): SpApiError {
  return new SpApiError(403, "Unauthorized", UNAUTHORIZED_MESSAGE, details)
}

/** What a route handler answers. `body` is JSON-encoded unless `raw` (or `chunks`) is given. */
export interface HandlerResult {
  status: number
  body?: unknown
  raw?: Buffer | string
  /** A large body kept in pieces (report documents): written one after the other, never joined. */
  chunks?: Buffer[]
  contentType?: string
  headers?: Record<string, string>
}

export function json(status: number, body?: unknown): HandlerResult {
  return { status, body }
}

/** Query string access with SP-API conventions: arrays are comma-delimited and may also be repeated. */
export class Query {
  constructor(private readonly params: URLSearchParams) {}

  has(name: string): boolean {
    return this.params.has(name)
  }

  string(name: string): string | undefined {
    const values = this.params.getAll(name)
    if (values.length === 0) return undefined
    if (values.length > 1) throw invalidInput(`Parameter ${name} must be given once.`)
    return values[0]
  }

  requiredString(name: string): string {
    const value = this.string(name)
    if (value === undefined || value === "") throw invalidInput(`Missing required parameter: ${name}.`)
    return value
  }

  list(name: string): string[] | undefined {
    const values = this.params.getAll(name)
    if (values.length === 0) return undefined
    return values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "")
  }

  int(name: string, range?: { min?: number; max?: number }): number | undefined {
    const raw = this.string(name)
    if (raw === undefined) return undefined
    if (!/^-?\d+$/.test(raw)) throw invalidInput(`Parameter ${name} must be an integer, got '${raw}'.`)
    const value = Number(raw)
    if ((range?.min !== undefined && value < range.min) || (range?.max !== undefined && value > range.max)) {
      throw invalidInput(`Parameter ${name} must be between ${range?.min ?? "-∞"} and ${range?.max ?? "∞"}, got ${value}.`)
    }
    return value
  }

  bool(name: string): boolean | undefined {
    const raw = this.string(name)
    if (raw === undefined) return undefined
    if (raw === "true") return true
    if (raw === "false") return false
    throw invalidInput(`Parameter ${name} must be true or false, got '${raw}'.`)
  }

  /** Every parameter except the named ones, as a canonical string (pagination fingerprints). */
  fingerprint(except: string[]): string {
    const entries: [string, string][] = []
    for (const key of new Set(this.params.keys())) {
      if (except.includes(key)) continue
      entries.push([key, this.params.getAll(key).join("\u0000")])
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return JSON.stringify(entries)
  }

  names(): string[] {
    return [...new Set(this.params.keys())]
  }
}

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let failed = false
    req.on("data", (chunk: Buffer) => {
      if (failed) return
      size += chunk.length
      if (size > limitBytes) {
        failed = true
        reject(new BodyTooLargeError(`body exceeds ${limitBytes} bytes`))
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks))
    })
    req.on("error", (error) => {
      if (!failed) reject(error)
    })
  })
}

/** Parse a JSON request body, answering 400 InvalidInput the way Amazon does for unparsable bodies. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw invalidInput("Request has missing or invalid parameters and cannot be parsed.", "The request body is empty.")
  try {
    return JSON.parse(raw.toString("utf8"))
  } catch {
    throw invalidInput("Request has missing or invalid parameters and cannot be parsed.", "The request body is not valid JSON.")
  }
}

export function sendResult(res: ServerResponse, result: HandlerResult, baseHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...baseHeaders, ...(result.headers ?? {}) }
  if (result.chunks !== undefined) {
    headers["content-type"] = result.contentType ?? "application/octet-stream"
    headers["content-length"] = String(result.chunks.reduce((sum, chunk) => sum + chunk.length, 0))
    res.writeHead(result.status, headers)
    for (const chunk of result.chunks) res.write(chunk)
    res.end()
    return
  }
  let payload: Buffer | string | undefined
  if (result.raw !== undefined) {
    payload = result.raw
    headers["content-type"] = result.contentType ?? headers["content-type"] ?? "application/octet-stream"
  } else if (result.body !== undefined) {
    payload = JSON.stringify(result.body)
    headers["content-type"] = result.contentType ?? "application/json"
  }
  if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload))
  else headers["content-length"] = "0"
  res.writeHead(result.status, headers)
  res.end(payload)
}

/** Match `/feeds/2021-06-30/feeds/{feedId}` against a request path; returns decoded params or undefined. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split("/")
  const got = path.split("/")
  if (want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]
    const actual = got[i]
    if (segment.startsWith("{") && segment.endsWith("}")) {
      if (actual === "") return undefined
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(actual)
      } catch {
        return undefined
      }
    } else if (segment !== actual) {
      return undefined
    }
  }
  return params
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}
