/**
 * What to do with one version of an Amazon order, decided before anything is written: skip it (already
 * applied), file it as "needs attention" (unknown SKU, bad data: no partial Medusa order), or apply it
 * (create the Medusa order when Amazon has taken the payment, cancel it when Amazon cancelled, move
 * stock). Pure; the workflow feeds it what it read.
 */
import type { ParsedOrder } from "../parsers/parse-order"
import { buildMedusaOrderInput, OrderMappingError, orderPhase, unknownSkus } from "./build-order-input"
import type { OrderPhase } from "./build-order-input"
import { isVersionApplied } from "./search-window"

/** A version that failed for an unexpected reason is tried again by later polls, this many times. */
export const MAX_AUTOMATIC_ATTEMPTS = 5

export type AttentionCode =
  | "INVALID_PAYLOAD"
  | "MISSING_STATUS"
  | "UNKNOWN_SKU"
  | "MISSING_PRICE"
  | "MISSING_CURRENCY"
  | "PRODUCT_NOT_PUBLISHED"
  | "IMPORT_FAILED"

export interface ImportRecordState {
  amazon_updated_at: string | Date | null
  import_status: "pending" | "imported" | "needs_attention"
  attention_code: string | null
  attempts: number
  order_id: string | null
}

export interface DecideImportInput {
  order: ParsedOrder | null
  parse_error: { code: string; message: string } | null
  record: ImportRecordState | null
  /** The Medusa order of this Amazon order (linked, or found again by its metadata after a crash). */
  medusa_order: { id: string; canceled: boolean } | null
  /** SKU → mapped variant (with its product's status). */
  variants: Record<string, { variant_id: string; product_status: string | null }>
  /** Retry requested by the admin: apply even if this version was seen before. */
  force?: boolean
}

export type ImportDecision =
  | { kind: "skip"; reason: string }
  | { kind: "attention"; code: AttentionCode; reason: string }
  | {
      kind: "apply"
      phase: OrderPhase
      /** Create the Medusa order now (Amazon took the payment and no Medusa order exists yet). */
      create_order: boolean
      /** Cancel the existing Medusa order (Amazon cancelled the order). */
      cancel_order: boolean
      order_id: string | null
      import_status: "pending" | "imported"
    }

/** Whether a stored version still has to be applied (new, or an unexpected failure worth another try). */
export function needsApply(record: ImportRecordState | null, lastUpdatedTime: string): boolean {
  if (!record || !isVersionApplied(record.amazon_updated_at, lastUpdatedTime)) {
    return true
  }
  return (
    record.import_status === "needs_attention" &&
    record.attention_code === "IMPORT_FAILED" &&
    record.attempts < MAX_AUTOMATIC_ATTEMPTS
  )
}

export function decideImport(input: DecideImportInput): ImportDecision {
  if (input.parse_error || !input.order) {
    return { kind: "attention", code: "INVALID_PAYLOAD", reason: input.parse_error?.message ?? "the order could not be read" }
  }
  const order = input.order
  if (!input.force && !needsApply(input.record, order.lastUpdatedTime)) {
    return { kind: "skip", reason: `version ${order.lastUpdatedTime} already recorded` }
  }
  if (order.status === null) {
    return { kind: "attention", code: "MISSING_STATUS", reason: "Amazon sent the order without its fulfillment status" }
  }
  const phase = orderPhase(order.status)
  const medusaOrder = input.medusa_order
  const missing = unknownSkus(order, input.variants)
  // A cancelled order that never reached the store needs nobody's attention, mapped or not.
  if (missing.length && !(phase === "closed" && !medusaOrder)) {
    return { kind: "attention", code: "UNKNOWN_SKU", reason: `no Medusa variant is mapped to seller SKU ${missing.join(", ")}` }
  }

  const createOrder = phase === "open" && !medusaOrder
  if (createOrder) {
    const unpublished = [...new Set(order.items.map((i) => i.sku))].filter(
      (sku) => input.variants[sku]?.product_status && input.variants[sku].product_status !== "published"
    )
    if (unpublished.length) {
      return {
        kind: "attention",
        code: "PRODUCT_NOT_PUBLISHED",
        reason: `the product of seller SKU ${unpublished.join(", ")} is not published, so Medusa cannot order it`,
      }
    }
    try {
      // Same mapping as the real creation, with placeholder ids: refuses what would fail half-way.
      buildMedusaOrderInput(order, { account_id: "-", region_id: "-", sales_channel_id: "-", variants: input.variants })
    } catch (e) {
      if (e instanceof OrderMappingError) {
        return { kind: "attention", code: e.code, reason: e.message }
      }
      throw e
    }
  }

  return {
    kind: "apply",
    phase,
    create_order: createOrder,
    cancel_order: phase === "closed" && !!medusaOrder && !medusaOrder.canceled,
    order_id: medusaOrder?.id ?? null,
    import_status: phase === "pending" ? "pending" : "imported",
  }
}
