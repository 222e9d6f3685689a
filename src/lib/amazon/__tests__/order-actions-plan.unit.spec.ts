import {
  amazonOrderSummary,
  cancelReasonFor,
  cancelRefusal,
  decideAfterError,
  fulfilledLineQuantities,
  MAX_SEND_ATTEMPTS,
  packageReferenceFor,
  planCancellation,
  planItemCancellation,
  planShipmentConfirmation,
  resolveCarrier,
  retryDelayMs,
  type ShipmentFacts,
} from "../order-actions"
import type { AmazonOrderRecordFacts } from "../order-actions"
import { FULFILLMENT_FROM_AMAZON_KEY, FULFILLMENT_FROM_AMAZON_VALUE, ORDER_CANCEL_REASON_KEY, ORDER_CANCELLED_BY_AMAZON_KEY } from "../orders/markers"

const RECORD: AmazonOrderRecordFacts = {
  id: "amzord_1",
  account_id: "amzacc_1",
  amazon_order_id: "302-0000001-0000001",
  marketplace_id: "A1PA6795UKMFR9",
  status: "UNSHIPPED",
  fulfillment_channel: "MERCHANT",
}

function shipment(overrides: Partial<ShipmentFacts> = {}, fulfillment: Partial<ShipmentFacts["fulfillment"]> = {}): ShipmentFacts {
  return {
    fulfillment: {
      id: "ful_A",
      shipped_at: "2026-12-01T10:00:00.000Z",
      provider_id: "manual_manual",
      shipping_option_id: "so_1",
      shipping_option_name: "DHL Paket",
      labels: [{ tracking_number: "00340434161234567890" }],
      items: [{ line_item_id: "li_1", inventory_item_id: "iitem_1", quantity: 1 }],
      ...fulfillment,
    },
    order: {
      id: "order_1",
      metadata: { amazon_order_id: RECORD.amazon_order_id },
      items: [
        { id: "li_1", metadata: { amazon_order_item_id: "OI-1" }, inventory: [{ inventory_item_id: "iitem_1", required_quantity: 1 }] },
        { id: "li_2", metadata: { amazon_order_item_id: "OI-2" }, inventory: [] },
      ],
    },
    amazon_order: RECORD,
    ...overrides,
  }
}

describe("packageReferenceFor", () => {
  it("is a stable 15-digit positive number per fulfillment (Amazon's PackageReferenceId / IDNumber)", () => {
    const a = packageReferenceFor("ful_01JABCDEF")
    expect(a).toMatch(/^[1-9][0-9]{14}$/)
    expect(packageReferenceFor("ful_01JABCDEF")).toBe(a)
    expect(packageReferenceFor("ful_01JABCDEG")).not.toBe(a)
    const many = new Set(Array.from({ length: 2000 }, (_, i) => packageReferenceFor(`ful_${i}`)))
    expect(many.size).toBe(2000)
  })
})

describe("resolveCarrier", () => {
  const f = { provider_id: "manual_manual", shipping_option_id: "so_1", shipping_option_name: "DHL Paket" }
  it.each([
    ["provider id first", { manual_manual: { code: "UPS" }, so_1: { code: "DPD" } }, { carrier_code: "UPS", carrier_setting: "manual_manual" }],
    ["then the shipping option id", { so_1: { code: "DPD", name: "DPD DE" } }, { carrier_code: "DPD", carrier_name: "DPD DE", carrier_setting: "so_1" }],
    ["then the option name", { "DHL Paket": { code: "DHL", shipping_method: "Paket" } }, { carrier_code: "DHL", shipping_method: "Paket", carrier_setting: "DHL Paket" }],
    ["the option name ignoring case", { "dhl paket": { code: "DHL" } }, { carrier_code: "DHL", carrier_setting: "dhl paket" }],
    ["fallback: Other + the option name", {}, { carrier_code: "Other", carrier_name: "DHL Paket", carrier_setting: null }],
  ])("%s", (_name, carriers, expected) => {
    expect(resolveCarrier(carriers, f)).toEqual(expected)
  })
  it("falls back to the provider id when there is no shipping option", () => {
    expect(resolveCarrier(undefined, { provider_id: "manual_manual" })).toEqual({ carrier_code: "Other", carrier_name: "manual_manual", carrier_setting: null })
  })
})

describe("fulfilledLineQuantities", () => {
  it("counts units per line; a kit's inventory items are divided by their required quantity", () => {
    const lines = [
      { id: "li_kit", inventory: [{ inventory_item_id: "a", required_quantity: 2 }, { inventory_item_id: "b", required_quantity: 3 }] },
      { id: "li_plain", inventory: [] },
    ]
    const items = [
      { line_item_id: "li_kit", inventory_item_id: "a", quantity: 4 },
      { line_item_id: "li_kit", inventory_item_id: "b", quantity: 6 },
      { line_item_id: "li_plain", inventory_item_id: null, quantity: 1 },
      { line_item_id: "li_plain", inventory_item_id: null, quantity: 2 },
    ]
    expect(Object.fromEntries(fulfilledLineQuantities(items, lines))).toEqual({ li_kit: 2, li_plain: 3 })
  })
})

describe("planShipmentConfirmation", () => {
  it("records a queued confirmation: one package per fulfillment, stable reference, items by Amazon id", () => {
    const plan = planShipmentConfirmation(shipment({ carriers: { "DHL Paket": { code: "DHL" } } }))
    expect(plan).toEqual({
      kind: "record",
      action: expect.objectContaining({
        kind: "confirm_shipment",
        status: "queued",
        idempotency_key: "ship:ful_A",
        account_id: "amzacc_1",
        amazon_order_id: RECORD.amazon_order_id,
        amazon_order_record_id: "amzord_1",
        marketplace_id: "A1PA6795UKMFR9",
        fulfillment_id: "ful_A",
        package_reference: packageReferenceFor("ful_A"),
        payload: {
          carrier_code: "DHL",
          tracking_number: "00340434161234567890",
          tracking_numbers: ["00340434161234567890"],
          ship_date: "2026-12-01T10:00:00.000Z",
          items: [{ order_item_id: "OI-1", quantity: 1 }],
          carrier_setting: "DHL Paket",
        },
        last_error_code: null,
      }),
    })
  })

  it.each([
    ["not an Amazon order", shipment({ amazon_order: null, order: { id: "o", metadata: {}, items: [] } }), "not an Amazon order"],
    ["FBA", shipment({ amazon_order: { ...RECORD, fulfillment_channel: "AMAZON" } }), "FBA"],
    [
      "a fulfillment made from Amazon's data",
      shipment({}, { metadata: { [FULFILLMENT_FROM_AMAZON_KEY]: FULFILLMENT_FROM_AMAZON_VALUE } }),
      "Amazon reported",
    ],
    ["not shipped", shipment({}, { shipped_at: null }), "not shipped"],
    ["canceled", shipment({}, { canceled_at: "2026-12-01T11:00:00Z" }), "canceled"],
  ])("skips %s", (_name, facts, reason) => {
    const plan = planShipmentConfirmation(facts)
    expect(plan.kind).toBe("skip")
    expect((plan as { reason: string }).reason).toContain(reason)
  })

  it("reads the Amazon order from the order's metadata when no record is linked", () => {
    const plan = planShipmentConfirmation(
      shipment({
        amazon_order: null,
        order: {
          ...shipment().order,
          metadata: { amazon_order_id: "302-9", amazon_account_id: "amzacc_9", amazon_marketplace_id: "A13V1IB3VIYZZH", amazon_fulfilled_by: "MERCHANT" },
        },
      })
    )
    expect(plan).toMatchObject({ kind: "record", action: { account_id: "amzacc_9", amazon_order_id: "302-9", marketplace_id: "A13V1IB3VIYZZH", amazon_order_record_id: null } })
    const fba = planShipmentConfirmation(shipment({ amazon_order: null, order: { ...shipment().order, metadata: { amazon_order_id: "302-9", amazon_fulfilled_by: "AMAZON" } } }))
    expect(fba.kind).toBe("skip")
    const unknown = planShipmentConfirmation(shipment({ amazon_order: null, order: { ...shipment().order, metadata: { amazon_order_id: "302-9" } } }))
    expect(unknown).toMatchObject({ kind: "unrecordable", code: "AMAZON_ORDER_UNKNOWN" })
  })

  it.each([
    ["MISSING_TRACKING_NUMBER", {}, { labels: [{ tracking_number: "  " }] }],
    ["UNMAPPED_LINE_ITEM", { order: { id: "order_1", items: [{ id: "li_1", metadata: {} }] } }, {}],
    ["NO_ITEMS", {}, { items: [] }],
  ])("records a failed row with what to do: %s", (code, overrides, fulfillment) => {
    const plan = planShipmentConfirmation(shipment(overrides as Partial<ShipmentFacts>, fulfillment))
    expect(plan).toMatchObject({ kind: "record", action: { status: "failed", last_error_code: code, last_error: expect.stringContaining("Seller Central") } })
  })
})

describe("planCancellation", () => {
  const order = {
    id: "order_1",
    status: "canceled",
    metadata: { amazon_order_id: RECORD.amazon_order_id } as Record<string, unknown>,
    items: [
      { id: "li_1", quantity: 2, metadata: { amazon_order_item_id: "OI-1" } },
      { id: "li_2", quantity: 1, metadata: { amazon_order_item_id: "OI-2" } },
    ],
    fulfillments: [],
  }

  it("records a queued cancellation per Amazon item with the reason (order > account > GeneralAdjustment)", () => {
    const plan = planCancellation({ order, amazon_order: RECORD, shipment_actions: 0 })
    expect(plan).toMatchObject({
      kind: "record",
      action: {
        kind: "cancel",
        status: "queued",
        idempotency_key: "cancel:order_1",
        payload: { reason: "GeneralAdjustment", reason_source: "default", items: [{ order_item_id: "OI-1", quantity: 2 }, { order_item_id: "OI-2", quantity: 1 }] },
      },
    })
    expect(cancelReasonFor({}, "NoInventory")).toEqual({ reason: "NoInventory", source: "account" })
    expect(cancelReasonFor({ [ORDER_CANCEL_REASON_KEY]: "BuyerCanceled" }, "NoInventory")).toEqual({ reason: "BuyerCanceled", source: "order" })
    expect(cancelReasonFor({ [ORDER_CANCEL_REASON_KEY]: "Whatever" }, "Nope")).toEqual({ reason: "GeneralAdjustment", source: "default" })
  })

  it.each([
    ["Amazon's own cancellation (status)", { amazon_order: { ...RECORD, status: "CANCELLED" } }],
    ["Amazon's own cancellation (marker)", { order: { ...order, metadata: { ...order.metadata, [ORDER_CANCELLED_BY_AMAZON_KEY]: true } } }],
    ["FBA", { amazon_order: { ...RECORD, fulfillment_channel: "AMAZON" } }],
    ["not an Amazon order", { amazon_order: null, order: { ...order, metadata: {} } }],
    ["an order that is not cancelled", { order: { ...order, status: "pending" } }],
  ])("skips %s", (_name, overrides) => {
    expect(planCancellation({ order, amazon_order: RECORD, shipment_actions: 0, ...overrides }).kind).toBe("skip")
  })

  it.each([
    ["Amazon reports shipped units", { amazon_order: { ...RECORD, status: "PARTIALLY_SHIPPED" } }],
    ["a Medusa shipment", { order: { ...order, fulfillments: [{ id: "ful_1", shipped_at: "2026-12-01T10:00:00Z", canceled_at: null }] } }],
    ["a confirmation on its way", { shipment_actions: 1 }],
  ])("never sends a cancellation after a unit shipped: %s", (_name, overrides) => {
    const plan = planCancellation({ order, amazon_order: RECORD, shipment_actions: 0, ...overrides })
    expect(plan).toMatchObject({ kind: "record", action: { status: "failed", last_error_code: "SHIPPED_UNITS", last_error: expect.stringContaining("refund") } })
  })

  it("cancelRefusal explains why staff cannot cancel on Amazon", () => {
    const open = { ...order, status: "pending" }
    expect(cancelRefusal({ order: open, amazon_order: RECORD, shipment_actions: 0 })).toBeNull()
    expect(cancelRefusal({ order: open, amazon_order: { ...RECORD, status: "SHIPPED" }, shipment_actions: 0 })).toMatch(/Cannot cancel: .*SHIPPED/)
    expect(cancelRefusal({ order: { ...open, fulfillments: [{ id: "f", shipped_at: null, canceled_at: null }] }, amazon_order: RECORD, shipment_actions: 0 })).toMatch(/cancel them first/)
    expect(cancelRefusal({ order: open, amazon_order: { ...RECORD, fulfillment_channel: "AMAZON" }, shipment_actions: 0 })).toMatch(/FBA/)
    expect(cancelRefusal({ order, amazon_order: RECORD, shipment_actions: 0 })).toMatch(/already cancelled/)
  })
})

describe("decideAfterError", () => {
  const now = new Date("2026-12-01T10:00:00Z")
  it.each([
    ["fatal → failed with Amazon's message and what to do", { kind: "fatal", code: "InvalidInput", message: "order item X is not part of order Y", status: 400 }, 1, "failed"],
    ["retryable → queued", { kind: "retryable", code: "QuotaExceeded", message: "throttled", status: 429 }, 1, "queued"],
    ["indeterminate → queued (re-read first)", { kind: "indeterminate", code: "Timeout", message: "no response" }, 2, "queued"],
    ["retryable at the cap → failed", { kind: "retryable", code: "InternalFailure", message: "500", status: 500 }, MAX_SEND_ATTEMPTS, "failed"],
  ] as const)("%s", (_name, error, attempts, status) => {
    const d = decideAfterError({ kind: "confirm_shipment", error, attempts, now, random: 0.5 })
    expect(d.status).toBe(status)
    expect(d.code).toBe(error.code)
    if (d.status === "failed") expect(d.message).toMatch(/Seller Central/)
    if (d.status === "queued") expect(d.next_attempt_at.getTime()).toBeGreaterThan(now.getTime())
  })
  it("backs off exponentially, capped at an hour", () => {
    expect(retryDelayMs(1, 1)).toBe(60_000)
    expect(retryDelayMs(3, 1)).toBe(240_000)
    expect(retryDelayMs(1, 0)).toBe(30_000)
    expect(retryDelayMs(20, 1)).toBe(3_600_000)
  })
})

describe("planItemCancellation (items removed in a Medusa order edit)", () => {
  const amazonPayload = (items: { id: string; qty: number; cancelled?: boolean }[]) => ({
    orderId: RECORD.amazon_order_id,
    createdTime: "2026-12-01T08:00:00Z",
    lastUpdatedTime: "2026-12-01T09:00:00Z",
    salesChannel: { channelName: "AMAZON", marketplaceId: RECORD.marketplace_id },
    fulfillment: { fulfillmentStatus: "UNSHIPPED", fulfilledBy: "MERCHANT" },
    orderItems: items.map((i) => ({
      orderItemId: i.id,
      quantityOrdered: i.qty,
      product: { sellerSku: `SKU-${i.id}` },
      ...(i.cancelled ? { cancellation: { cancellationExecution: { cancelledBy: "MERCHANT" } } } : {}),
    })),
  })
  const edited = (q1: number, q2: number) => ({
    id: "order_1",
    status: "pending",
    metadata: { amazon_order_id: RECORD.amazon_order_id } as Record<string, unknown>,
    items: [
      { id: "li_1", quantity: q1, metadata: { amazon_order_item_id: "OI-1" } },
      { id: "li_2", quantity: q2, metadata: { amazon_order_item_id: "OI-2" } },
    ],
    fulfillments: [],
  })
  const facts = (q1: number, q2: number, over: Record<string, unknown> = {}) => ({
    order: edited(q1, q2),
    amazon_order: RECORD,
    shipment_actions: 0,
    amazon_payload: amazonPayload([{ id: "OI-1", qty: 2 }, { id: "OI-2", qty: 1 }]),
    items_in_cancel_actions: [] as string[],
    ...over,
  })

  it("records a queued cancellation of exactly the Amazon items whose Medusa quantity went to 0", () => {
    expect(planItemCancellation({ ...facts(2, 0), default_cancel_reason: "NoInventory" })).toMatchObject({
      kind: "record",
      action: {
        kind: "cancel",
        status: "queued",
        idempotency_key: "cancel:order_1:items:OI-2",
        payload: { reason: "NoInventory", reason_source: "account", items: [{ order_item_id: "OI-2", quantity: 1 }] },
      },
    })
    // Both removed: one row for both, keyed by the sorted set.
    expect(planItemCancellation(facts(0, 0))).toMatchObject({ action: { idempotency_key: "cancel:order_1:items:OI-1,OI-2" } })
  })

  it.each([
    ["an edit that removed no Amazon item", facts(2, 1)],
    ["an item already in a cancel row", facts(2, 0, { items_in_cancel_actions: ["OI-2"] })],
    ["an item Amazon already cancelled", facts(2, 0, { amazon_payload: amazonPayload([{ id: "OI-1", qty: 2 }, { id: "OI-2", qty: 1, cancelled: true }]) })],
    ["a cancelled order (its own cancellation covers it)", { ...facts(0, 0), order: { ...edited(0, 0), status: "canceled" } }],
    ["FBA", facts(2, 0, { amazon_order: { ...RECORD, fulfillment_channel: "AMAZON" } })],
    ["an unreadable Amazon payload", facts(2, 0, { amazon_payload: { nope: true } })],
  ])("skips %s", (_name, f) => {
    expect(planItemCancellation(f as any).kind).toBe("skip")
  })

  it("refuses (failed row, never sent) when a unit shipped, or when an item kept part of its units", () => {
    expect(planItemCancellation(facts(2, 0, { shipment_actions: 1 }))).toMatchObject({
      action: { status: "failed", last_error_code: "SHIPPED_UNITS" },
    })
    expect(planItemCancellation(facts(1, 1))).toMatchObject({
      action: { status: "failed", last_error_code: "PARTIAL_ITEM_CANCEL", last_error: expect.stringContaining("whole order items only") },
    })
  })
})

describe("amazonOrderSummary", () => {
  const payload = {
    orderId: "302-1",
    createdTime: "2026-12-01T08:00:00Z",
    lastUpdatedTime: "2026-12-01T09:00:00Z",
    salesChannel: { channelName: "AMAZON", marketplaceId: "A1PA6795UKMFR9" },
    fulfillment: { fulfillmentStatus: "UNSHIPPED", fulfilledBy: "MERCHANT", shipByWindow: { latestDateTime: "2026-12-03T23:59:59Z" } },
    orderItems: [
      { orderItemId: "OI-1", quantityOrdered: 1, product: { sellerSku: "SKU" }, cancellation: { cancellationRequest: { requester: "BUYER", cancelReason: "ORDERED_BY_MISTAKE" } } },
    ],
  }
  it("shows a buyer's standing cancellation request and the ship-by date", () => {
    expect(amazonOrderSummary({ metadata: {}, payload, fulfilled_by_amazon: false })).toEqual({
      latest_ship_date: "2026-12-03T23:59:59Z",
      cancellation_request: { requested_by: "BUYER", reason: "ORDERED_BY_MISTAKE" },
    })
    expect(amazonOrderSummary({ metadata: { amazon_latest_ship_date: "2026-12-05T00:00:00Z" }, payload: null, fulfilled_by_amazon: false })).toEqual({
      latest_ship_date: "2026-12-05T00:00:00Z",
      cancellation_request: null,
    })
  })
})
