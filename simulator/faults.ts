/**
 * Fault injection. A fault targets one operation (full key like `orders-2026-01-01.searchOrders`, a bare
 * operationId like `searchOrders`, or `lwa.token`) or every operation (`"*"`, the default), and lasts for a
 * number of matching calls (`count`), for a span of simulated time (`durationMs`), or both (whichever ends
 * first).
 */
import type { SimClock } from "./clock"
import { isKnownOperationSelector, LWA_OPERATION, matchesOperation } from "./operations"

export type FaultSpec =
  /** Answer 429 QuotaExceeded without touching the bucket. Default: the next call only. */
  | { type: "throttle"; operation?: string; count?: number; durationMs?: number }
  /** Answer 500 InternalFailure or 503 ServiceUnavailable. Default: the next call only. */
  | { type: "server-error"; operation?: string; count?: number; durationMs?: number; status?: 500 | 503 }
  /** Delay responses by `ms` real milliseconds. Default: every call until cleared. */
  | { type: "latency"; operation?: string; ms: number; count?: number; durationMs?: number }
  /** Handle the call normally, then send a truncated JSON body. Default: the next call only. */
  | { type: "malformed-json"; operation?: string; count?: number; durationMs?: number }
  /** The next `count` feeds (default 1) to finish processing end FATAL whatever their content. */
  | { type: "feed-fatal"; count?: number }
  /** The next `count` feeds (default 1) to start processing stay IN_PROGRESS until released. */
  | { type: "feed-stuck"; count?: number }
  /**
   * "DONE/ACCEPTED but quantity unchanged": a quantity update (patchListingsItem or a JSON_LISTINGS_FEED message
   * that sets a DEFAULT-channel quantity) is accepted and reported as accepted, its other changes apply, but the
   * listing's merchant quantity stays what it was. Targets one `sku` (and/or `sellerId`) or any. Default: with
   * `sku`, every update of that SKU until cleared; without, the next update only. `count` / `durationMs` as usual.
   */
  | { type: "quantity-not-applied"; sku?: string; sellerId?: string; count?: number; durationMs?: number }
  /** The next `count` reports (default 1; of `reportType` when given) to start processing end FATAL. */
  | { type: "report-fatal"; reportType?: string; count?: number }
  /** Deliver the next `count` notifications (default 1; of `notificationType` when given) twice: same NotificationId, two SQS messages. */
  | { type: "notification-duplicate"; notificationType?: string; count?: number; durationMs?: number }
  /** Hold the next notification back and deliver it right after the following one (or after 60 simulated s if none follows). */
  | { type: "notification-reorder"; notificationType?: string; count?: number; durationMs?: number }
  /** The next notification becomes visible on its queue only `ms` simulated ms after it was sent. */
  | { type: "notification-delay"; notificationType?: string; ms: number; count?: number; durationMs?: number }
  /** Lose the next notification: Amazon does not guarantee delivery. */
  | { type: "notification-drop"; notificationType?: string; count?: number; durationMs?: number }
  /**
   * MCF: orders become UNFULFILLABLE when the fulfillment center starts on them (the reserved units turn out damaged:
   * they move to unfulfillable.warehouseDamaged). Decided at createOrder for the next `count` orders (default 1), or,
   * with `sku`, every order containing that SKU until cleared.
   */
  | { type: "mcf-unfulfillable"; sku?: string; sellerId?: string; count?: number; durationMs?: number }
  /** MCF: the next `count` cancelOrder calls (default 1) are refused with 400 even inside the cancellation window. */
  | { type: "mcf-cancel-refused"; sellerId?: string; count?: number; durationMs?: number }
  /** SQS ReceiveMessage answers 500 InternalError. Default: the next call only. */
  | { type: "sqs-error"; count?: number; durationMs?: number }

export type FaultType = FaultSpec["type"]

export interface ActiveFault {
  id: number
  spec: FaultSpec
  /** Matching calls left; undefined = unlimited (bounded by `until` or by clearing). */
  remaining?: number
  /** Simulated epoch ms after which the fault is gone. */
  until?: number
}

const FAULT_TYPES: readonly FaultType[] = [
  "throttle",
  "server-error",
  "latency",
  "malformed-json",
  "feed-fatal",
  "feed-stuck",
  "quantity-not-applied",
  "report-fatal",
  "notification-duplicate",
  "notification-reorder",
  "notification-delay",
  "notification-drop",
  "sqs-error",
  "mcf-unfulfillable",
  "mcf-cancel-refused",
]

export class FaultManager {
  private faults: ActiveFault[] = []
  private nextId = 1

  constructor(private readonly clock: SimClock) {}

  add(spec: FaultSpec): ActiveFault {
    validateSpec(spec)
    const hasCount = "count" in spec && spec.count !== undefined
    const hasDuration = "durationMs" in spec && spec.durationMs !== undefined
    let remaining: number | undefined
    const untilCleared =
      spec.type === "latency" || ((spec.type === "quantity-not-applied" || spec.type === "mcf-unfulfillable") && spec.sku !== undefined)
    if (hasCount) remaining = spec.count
    else if (!hasDuration && !untilCleared) remaining = 1
    const fault: ActiveFault = {
      id: this.nextId++,
      spec,
      remaining,
      until: hasDuration && "durationMs" in spec && spec.durationMs !== undefined ? this.clock.now() + spec.durationMs : undefined,
    }
    this.faults.push(fault)
    return fault
  }

  list(): ActiveFault[] {
    this.prune()
    return this.faults.map((f) => ({ ...f }))
  }

  remove(id: number): boolean {
    const before = this.faults.length
    this.faults = this.faults.filter((f) => f.id !== id)
    return this.faults.length < before
  }

  clear(): void {
    this.faults = []
  }

  /**
   * Consume one use of the first live fault of `type` that matches `operation`. With `exact`, only faults that
   * name the operation itself count (the LWA endpoint is not hit by "every operation" faults).
   */
  take<T extends FaultType>(type: T, operation?: string, exact = false): Extract<FaultSpec, { type: T }> | undefined {
    this.prune()
    const fault = this.faults.find((f) => {
      if (f.spec.type !== type) return false
      if (operation === undefined || !("operation" in f.spec)) return true
      return exact ? f.spec.operation === operation : f.spec.operation !== LWA_OPERATION && matchesOperation(f.spec.operation, operation)
    })
    return this.consume(fault) as Extract<FaultSpec, { type: T }> | undefined
  }

  /** Consume one use of the first live fault of `type` whose spec satisfies `matches` (faults without an operation). */
  takeWhere<T extends FaultType>(type: T, matches: (spec: Extract<FaultSpec, { type: T }>) => boolean): Extract<FaultSpec, { type: T }> | undefined {
    this.prune()
    const fault = this.faults.find((f) => f.spec.type === type && matches(f.spec as Extract<FaultSpec, { type: T }>))
    return this.consume(fault) as Extract<FaultSpec, { type: T }> | undefined
  }

  /** Consume a "quantity-not-applied" fault matching this seller's SKU: true = keep the old quantity. */
  quantityNotApplied(sellerId: string, sku: string): boolean {
    return (
      this.takeWhere("quantity-not-applied", (spec) => (spec.sku === undefined || spec.sku === sku) && (spec.sellerId === undefined || spec.sellerId === sellerId)) !==
      undefined
    )
  }

  private consume(fault: ActiveFault | undefined): FaultSpec | undefined {
    if (!fault) return undefined
    if (fault.remaining !== undefined) {
      fault.remaining -= 1
      if (fault.remaining <= 0) this.remove(fault.id)
    }
    return fault.spec
  }

  private prune(): void {
    const now = this.clock.now()
    this.faults = this.faults.filter((f) => f.until === undefined || f.until > now)
  }
}

function validateSpec(spec: FaultSpec): void {
  if (!spec || !FAULT_TYPES.includes(spec.type)) {
    throw new TypeError(`fault type must be one of ${FAULT_TYPES.join(", ")}`)
  }
  if ("operation" in spec && spec.operation !== undefined && !isKnownOperationSelector(spec.operation)) {
    throw new TypeError(`unknown operation '${spec.operation}'`)
  }
  if (spec.type === "throttle" && spec.operation === LWA_OPERATION) {
    throw new TypeError("the LWA endpoint takes latency, server-error and malformed-json faults, not throttle")
  }
  if ("count" in spec && spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count >= 1)) {
    throw new TypeError("count must be a positive integer")
  }
  if ("durationMs" in spec && spec.durationMs !== undefined && !(Number.isFinite(spec.durationMs) && spec.durationMs > 0)) {
    throw new TypeError("durationMs must be a positive number")
  }
  if (spec.type === "latency" && !(Number.isFinite(spec.ms) && spec.ms >= 0)) {
    throw new TypeError("latency needs ms >= 0")
  }
  if (spec.type === "quantity-not-applied" || spec.type === "mcf-unfulfillable" || spec.type === "mcf-cancel-refused") {
    for (const field of ["sku", "sellerId"] as const) {
      const value = (spec as { sku?: unknown; sellerId?: unknown })[field]
      if (value !== undefined && (typeof value !== "string" || value === "")) throw new TypeError(`${field} must be a non-empty string`)
    }
  }
  if (spec.type === "report-fatal" && spec.reportType !== undefined && (typeof spec.reportType !== "string" || spec.reportType === "")) {
    throw new TypeError("reportType must be a non-empty string")
  }
  if ("notificationType" in spec && spec.notificationType !== undefined && (typeof spec.notificationType !== "string" || spec.notificationType === "")) {
    throw new TypeError("notificationType must be a non-empty string")
  }
  if (spec.type === "notification-delay" && !(Number.isFinite(spec.ms) && spec.ms > 0)) {
    throw new TypeError("notification-delay needs ms > 0")
  }
  if (spec.type === "server-error" && spec.status !== undefined && spec.status !== 500 && spec.status !== 503) {
    throw new TypeError("server-error status must be 500 or 503")
  }
}
