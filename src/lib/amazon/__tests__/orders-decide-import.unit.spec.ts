import { decideImport, MAX_AUTOMATIC_ATTEMPTS, needsApply } from "../orders/decide-import"
import type { DecideImportInput, ImportRecordState } from "../orders/decide-import"
import type { ParsedOrder } from "../parsers/parse-order"

const order = (over: Partial<ParsedOrder> = {}): ParsedOrder => ({
  orderId: "302-1",
  channelName: "AMAZON",
  createdTime: "2026-03-01T10:00:00Z",
  lastUpdatedTime: "2026-03-01T11:00:00Z",
  status: "UNSHIPPED",
  fulfilledBy: "MERCHANT",
  currencyCode: "EUR",
  items: [{ orderItemId: "i1", sku: "SKU-1", quantityOrdered: 1, quantityShipped: 0, quantityUnshipped: 1, unitPrice: 9.5 }],
  ...over,
})

const variants = { "SKU-1": { variant_id: "variant_1", product_status: "published" } }

const base = (over: Partial<DecideImportInput> = {}): DecideImportInput => ({
  order: order(),
  parse_error: null,
  record: null,
  medusa_order: null,
  variants,
  ...over,
})

const record = (over: Partial<ImportRecordState> = {}): ImportRecordState => ({
  amazon_updated_at: "2026-03-01T11:00:00Z",
  import_status: "imported",
  attention_code: null,
  attempts: 0,
  order_id: "order_1",
  ...over,
})

describe("decideImport", () => {
  it("creates the Medusa order of a paid order seen for the first time", () => {
    expect(decideImport(base())).toEqual({ kind: "apply", phase: "open", create_order: true, cancel_order: false, order_id: null, import_status: "imported" })
  })

  it("only reserves while the order is PENDING (no Medusa order, prices withheld)", () => {
    const pending = order({ status: "PENDING", currencyCode: undefined, items: [{ ...order().items[0], unitPrice: undefined }] })
    expect(decideImport(base({ order: pending }))).toMatchObject({ kind: "apply", phase: "pending", create_order: false, import_status: "pending" })
  })

  it("skips a version already recorded, and applies a newer one to the existing order", () => {
    expect(decideImport(base({ record: record(), medusa_order: { id: "order_1", canceled: false } }))).toMatchObject({ kind: "skip" })
    const newer = order({ lastUpdatedTime: "2026-03-01T12:00:00Z", status: "SHIPPED" })
    expect(decideImport(base({ order: newer, record: record(), medusa_order: { id: "order_1", canceled: false } }))).toMatchObject({
      kind: "apply",
      create_order: false,
      order_id: "order_1",
    })
  })

  it("cancels the Medusa order when Amazon cancels, unless the store already did", () => {
    const cancelled = order({ status: "CANCELLED", lastUpdatedTime: "2026-03-01T12:00:00Z" })
    expect(decideImport(base({ order: cancelled, record: record(), medusa_order: { id: "order_1", canceled: false } }))).toMatchObject({
      cancel_order: true,
    })
    expect(decideImport(base({ order: cancelled, record: record(), medusa_order: { id: "order_1", canceled: true } }))).toMatchObject({
      cancel_order: false,
    })
  })

  it("files unknown SKUs, bad payloads, unpublished products and missing prices as needs attention", () => {
    expect(decideImport(base({ variants: {} }))).toMatchObject({ kind: "attention", code: "UNKNOWN_SKU" })
    expect(decideImport(base({ order: null, parse_error: { code: "INVALID_MONEY", message: "orderItems[0]: bad" } }))).toMatchObject({
      kind: "attention",
      code: "INVALID_PAYLOAD",
      reason: "orderItems[0]: bad",
    })
    expect(decideImport(base({ variants: { "SKU-1": { variant_id: "v", product_status: "draft" } } }))).toMatchObject({
      code: "PRODUCT_NOT_PUBLISHED",
    })
    expect(decideImport(base({ order: order({ items: [{ ...order().items[0], unitPrice: undefined }] }) }))).toMatchObject({ code: "MISSING_PRICE" })
    expect(decideImport(base({ order: order({ status: null }) }))).toMatchObject({ code: "MISSING_STATUS" })
  })

  it("does not bother anyone about an unmapped SKU of an order cancelled before it reached the store", () => {
    expect(decideImport(base({ order: order({ status: "CANCELLED" }), variants: {} }))).toMatchObject({ kind: "apply", create_order: false })
  })

  it("applies a recorded version again when the admin retries", () => {
    expect(decideImport(base({ record: record({ import_status: "needs_attention", attention_code: "UNKNOWN_SKU", order_id: null }), force: true }))).toMatchObject({
      kind: "apply",
      create_order: true,
    })
  })
})

describe("needsApply", () => {
  it("retries an unexpected failure of the same version a bounded number of times, but not a filed problem", () => {
    const failed = record({ import_status: "needs_attention", attention_code: "IMPORT_FAILED", attempts: 1 })
    expect(needsApply(failed, "2026-03-01T11:00:00Z")).toBe(true)
    expect(needsApply({ ...failed, attempts: MAX_AUTOMATIC_ATTEMPTS }, "2026-03-01T11:00:00Z")).toBe(false)
    expect(needsApply(record({ import_status: "needs_attention", attention_code: "UNKNOWN_SKU" }), "2026-03-01T11:00:00Z")).toBe(false)
    expect(needsApply(null, "2026-03-01T11:00:00Z")).toBe(true)
  })
})
