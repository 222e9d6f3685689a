/**
 * Typed errors of the parsers, and the small checked-read helpers they share.
 *
 * Amazon's responses arrive as `unknown`. The parsers read them only through these helpers, so every
 * field is checked before use and a bad shape ends in an error naming the JSON path, never in an `any`
 * travelling on. Field names are typed as `keyof` the generated model type, so a renamed or misspelt
 * field is a compile error instead of a silent `undefined`.
 */

/** Codes shared by every parser. Each parser adds its own on top. */
export type PayloadErrorCode = "MISSING_FIELD" | "INVALID_TYPE" | "INVALID_VALUE"

export abstract class AmazonPayloadError<C extends string = string> extends Error {
  abstract readonly name: string
  /** Stable code; branch on it, never on the message. */
  readonly code: C
  /** JSON path of the offending value, e.g. `orderItems[1].product.sellerSku`; "" for the whole document. */
  readonly path: string

  constructor(code: C, path: string, message: string, cause?: unknown) {
    super(path ? `${path}: ${message}` : message)
    this.code = code
    this.path = path
    if (cause !== undefined) {
      ;(this as { cause?: unknown }).cause = cause
    }
  }
}

export type ReportParseErrorCode =
  | PayloadErrorCode
  /** Bytes are neither gzip nor valid UTF-8 text. */
  | "INVALID_ENCODING"
  /** Gzip magic bytes present but the stream is corrupt, truncated or larger than allowed. */
  | "GZIP_INVALID"
  | "MALFORMED_JSON"
  /** Valid JSON that fails listings-feed-processing-report-schema-v2.json. */
  | "SCHEMA_MISMATCH"
  /** The report's header.feedId is not the feed the caller asked about. */
  | "FEED_ID_MISMATCH"
  /** The report cannot belong to the messageId → sku map passed in. */
  | "MESSAGE_MAP_MISMATCH"
  /** The map passed in is itself broken (duplicate or non-positive messageId). */
  | "INVALID_MESSAGE_MAP"

export class ReportParseError extends AmazonPayloadError<ReportParseErrorCode> {
  readonly name = "ReportParseError"
}

export type OrderParseErrorCode =
  | PayloadErrorCode
  | "INVALID_MONEY"
  | "INVALID_QUANTITY"
  | "INVALID_DATE"
  | "CURRENCY_MISMATCH"
  | "DUPLICATE_ORDER_ITEM"

export class OrderParseError extends AmazonPayloadError<OrderParseErrorCode> {
  readonly name = "OrderParseError"
}

export type InventoryParseErrorCode =
  | PayloadErrorCode
  | "INVALID_QUANTITY"
  | "INVALID_DATE"
  /** A 200 response that still carries `errors[]`. */
  | "AMAZON_ERRORS"

export class InventoryParseError extends AmazonPayloadError<InventoryParseErrorCode> {
  readonly name = "InventoryParseError"
}

export type Fail<C extends string> = (code: C | PayloadErrorCode, path: string, message: string) => never

export type JsonRecord = Record<string, unknown>

function describe(value: unknown): string {
  if (value === null) {
    return "null"
  }
  return Array.isArray(value) ? "array" : typeof value
}

export function join(path: string, key: string | number): string {
  if (typeof key === "number") {
    return `${path}[${key}]`
  }
  return path ? `${path}.${key}` : key
}

/**
 * ISO 8601 date-time as Amazon sends it (`2024-12-25T02:30:00Z`, optional fraction and offset). Checked
 * by shape and by Date.parse, so "2024-02-31T…" style nonsense is refused too (Date.parse rolls it over,
 * hence the round-trip of the calendar date).
 */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/

export function isIsoDateTime(value: string): boolean {
  const m = ISO_DATE_TIME.exec(value)
  if (!m || Number.isNaN(Date.parse(value))) {
    return false
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const cal = new Date(Date.UTC(y, mo - 1, d))
  return cal.getUTCFullYear() === y && cal.getUTCMonth() === mo - 1 && cal.getUTCDate() === d
}

/**
 * Checked reads over `unknown`. `null` counts as absent for optional fields: several SP-API backends
 * serialise a missing optional value as null, and it carries no other meaning.
 */
export class PayloadReader<C extends string> {
  constructor(private readonly fail: Fail<C>) {}

  record(value: unknown, path: string): JsonRecord {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return this.fail("INVALID_TYPE", path, `expected an object, got ${describe(value)}`)
    }
    return value as JsonRecord
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) {
      return this.fail("INVALID_TYPE", path, `expected an array, got ${describe(value)}`)
    }
    return value
  }

  private present<T>(obj: JsonRecord, key: keyof T & string, path: string): unknown {
    const value = obj[key]
    if (value === undefined || value === null) {
      return this.fail("MISSING_FIELD", join(path, key), "required field is missing")
    }
    return value
  }

  requiredRecord<T>(obj: JsonRecord, key: keyof T & string, path: string): JsonRecord {
    return this.record(this.present<T>(obj, key, path), join(path, key))
  }

  optionalRecord<T>(obj: JsonRecord, key: keyof T & string, path: string): JsonRecord | undefined {
    const value = obj[key]
    return value === undefined || value === null ? undefined : this.record(value, join(path, key))
  }

  requiredArray<T>(obj: JsonRecord, key: keyof T & string, path: string): unknown[] {
    return this.array(this.present<T>(obj, key, path), join(path, key))
  }

  optionalArray<T>(obj: JsonRecord, key: keyof T & string, path: string): unknown[] | undefined {
    const value = obj[key]
    return value === undefined || value === null ? undefined : this.array(value, join(path, key))
  }

  /** A required string; empty strings are refused because every required id here is meaningless empty. */
  requiredString<T>(obj: JsonRecord, key: keyof T & string, path: string): string {
    const value = this.present<T>(obj, key, path)
    if (typeof value !== "string") {
      return this.fail("INVALID_TYPE", join(path, key), `expected a string, got ${describe(value)}`)
    }
    if (value.length === 0) {
      return this.fail("MISSING_FIELD", join(path, key), "required field is empty")
    }
    return value
  }

  /** An optional string; "" is folded into absent (Amazon sends `"addressLine3": ""` for "none"). */
  optionalString<T>(obj: JsonRecord, key: keyof T & string, path: string): string | undefined {
    const value = obj[key]
    if (value === undefined || value === null) {
      return undefined
    }
    if (typeof value !== "string") {
      return this.fail("INVALID_TYPE", join(path, key), `expected a string, got ${describe(value)}`)
    }
    return value.length === 0 ? undefined : value
  }

  /** An optional integer ≥ 0, refused with `code` otherwise. */
  optionalCount<T>(obj: JsonRecord, key: keyof T & string, path: string, code: C): number | undefined {
    const value = obj[key]
    if (value === undefined || value === null) {
      return undefined
    }
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      return this.fail(code, join(path, key), `expected an integer >= 0, got ${JSON.stringify(value)}`)
    }
    return value
  }

  requiredCount<T>(obj: JsonRecord, key: keyof T & string, path: string, code: C): number {
    this.present<T>(obj, key, path)
    return this.optionalCount<T>(obj, key, path, code) as number
  }

  optionalDateTime<T>(obj: JsonRecord, key: keyof T & string, path: string, code: C): string | undefined {
    const value = this.optionalString<T>(obj, key, path)
    if (value !== undefined && !isIsoDateTime(value)) {
      return this.fail(code, join(path, key), `expected an ISO 8601 date-time, got ${JSON.stringify(value)}`)
    }
    return value
  }

  requiredDateTime<T>(obj: JsonRecord, key: keyof T & string, path: string, code: C): string {
    this.requiredString<T>(obj, key, path)
    return this.optionalDateTime<T>(obj, key, path, code) as string
  }
}
