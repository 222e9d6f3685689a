import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { components } from "../generated/orders-v2026-01-01"
import { redactBuyerData } from "../orders/redact-buyer-data"
import { parseOrder } from "../parsers/parse-order"

type Order = components["schemas"]["Order"]

const fixture = (name: string): any => JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8"))

/** An FBM order with every field of the model that holds buyer data, beside what the import needs. */
function fullOrder(): Order {
  const base = fixture("orders-2026-get-order.partially-shipped.json").order as Order
  return {
    ...base,
    buyer: { ...base.buyer, buyerCompanyName: "Thompson & Co Ltd", buyerPurchaseOrderNumber: "PO-THOMPSON-77" },
    recipient: {
      ...base.recipient,
      deliveryPreference: { dropOffLocation: "Behind the blue gate", addressInstruction: "Ring Sarah twice" },
    },
    tax: {
      taxRegistrations: [
        {
          entityType: "BUYER",
          legalName: "Sarah Thompson Trading",
          taxRegistrationType: "VAT",
          taxRegistrationNumber: "GB999888777",
          taxRegistrationAddress: { name: "Sarah Thompson", addressLine1: "45 Oak Avenue", city: "London", countryCode: "GB" },
        },
        { entityType: "MARKETPLACE", legalName: "Amazon EU S.a.r.l.", taxRegistrationType: "VAT", taxRegistrationNumber: "GB727255821" },
      ],
    },
    orderItems: base.orderItems.map((item, i) =>
      i === 0
        ? {
            ...item,
            product: { ...item.product, customization: { customizedUrl: "https://custom.amazon.example/engraving-for-sarah.zip" } },
            fulfillment: { ...item.fulfillment, packing: { giftOption: { giftMessage: "Love you, Sarah! xx", giftWrapLevel: "PREMIUM" } } },
          }
        : item
    ),
    packages: [
      {
        packageReferenceId: "1",
        carrier: "Royal Mail",
        trackingNumber: "RM123456789GB",
        packageStatus: { status: "SHIPPED" },
        shipFromAddress: { name: "Our Warehouse", addressLine1: "1 Depot Road", city: "Leeds", countryCode: "GB" },
        packageItems: [{ orderItemId: "55500030000031", quantity: 2 }],
      },
    ],
  }
}

const BUYER_STRINGS = [
  "Sarah",
  "Thompson",
  "xyz789@marketplace.amazon.co.uk",
  "45 Oak Avenue",
  "Flat 2A",
  "SW1A 1AA",
  "+44 20 7946 0958",
  "PO-THOMPSON-77",
  "Behind the blue gate",
  "GB999888777",
  "engraving-for-sarah",
  "1 Depot Road",
]

describe("redactBuyerData", () => {
  it("removes every buyer field of the model and names what it removed", () => {
    const order = fullOrder()
    const text = JSON.stringify(order)
    for (const s of BUYER_STRINGS) {
      expect(text).toContain(s) // the fixture really has them
    }
    const { payload, removed } = redactBuyerData(order)
    const out = JSON.stringify(payload)
    for (const s of BUYER_STRINGS) {
      expect([s, out.includes(s)]).toEqual([s, false])
    }
    expect(removed.sort()).toEqual(
      [
        "buyer",
        "recipient",
        "tax.taxRegistrations[0]",
        "orderItems[0].product.customization.customizedUrl",
        "orderItems[0].fulfillment.packing.giftOption.giftMessage",
        "packages[0].shipFromAddress",
      ].sort()
    )
  })

  it("keeps what the import, retries and stock need: the redacted payload parses to the same order without the buyer", () => {
    const order = fullOrder()
    const { payload } = redactBuyerData(order)
    const before = parseOrder(order)
    const after = parseOrder(payload)
    expect(before.buyerEmail).toBe("xyz789@marketplace.amazon.co.uk")
    expect(before.shippingAddress?.postalCode).toBe("SW1A 1AA")
    const { buyerEmail, buyerName, shippingAddress, ...rest } = before
    expect(after).toEqual(rest)

    const p = payload as Order
    expect(p.orderId).toBe("026-5550003-0000003")
    expect(p.fulfillment?.fulfillmentStatus).toBe("PARTIALLY_SHIPPED")
    expect(p.orderItems.map((i) => [i.orderItemId, i.product.sellerSku, i.quantityOrdered])).toEqual([
      ["55500030000031", "CABLE-USBC-1M", 3],
      ["55500030000032", "CHARGER-65W", 1],
    ])
    expect(p.orderItems[0].fulfillment).toEqual({ quantityFulfilled: 2, quantityUnfulfilled: 1, packing: { giftOption: { giftWrapLevel: "PREMIUM" } } })
    expect(p.packages).toEqual([
      {
        packageReferenceId: "1",
        carrier: "Royal Mail",
        trackingNumber: "RM123456789GB",
        packageStatus: { status: "SHIPPED" },
        packageItems: [{ orderItemId: "55500030000031", quantity: 2 }],
      },
    ])
    expect(p.tax).toEqual({
      taxRegistrations: [{ entityType: "MARKETPLACE", legalName: "Amazon EU S.a.r.l.", taxRegistrationType: "VAT", taxRegistrationNumber: "GB727255821" }],
    })
    expect(p.proceeds).toEqual(order.proceeds)
    expect(p.salesChannel).toEqual(order.salesChannel)
  })

  it("does not change its input", () => {
    const order = fullOrder()
    const copy = JSON.parse(JSON.stringify(order))
    redactBuyerData(order)
    expect(order).toEqual(copy)
  })

  it("is idempotent: a redacted payload comes back as it is", () => {
    const once = redactBuyerData(fullOrder()).payload
    const twice = redactBuyerData(once)
    expect(twice.removed).toEqual([])
    expect(twice.payload).toBe(once)
  })

  it("leaves a payload without buyer data alone (same reference)", () => {
    const order = fixture("orders-2026-get-order.pending.json").order
    const stripped = { ...order }
    delete stripped.buyer
    delete stripped.recipient
    const { payload, removed } = redactBuyerData(stripped)
    expect(removed).toEqual([])
    expect(payload).toBe(stripped)
  })

  it("handles the JP sandbox search page (FBA, shipped): buyer and address go, items stay", () => {
    const page = fixture("orders-2026-search-orders.sandbox-jp-shipped.json")
    const { payload, removed } = redactBuyerData(page.orders[0])
    expect(removed.sort()).toEqual(["buyer", "recipient"])
    const out = JSON.stringify(payload)
    expect(out).not.toContain("John Smith")
    expect(out).not.toContain("buyer-email@marketplace.amazon.co.jp")
    expect(out).not.toContain("123 Business Park")
    expect(parseOrder(payload).items.map((i) => i.sku)).toEqual(["ECHO-DOT-4-JP-CHARCOAL", "FIRE-TV-4K-MAX-JP"])
  })

  it("finds the buyer keys in a payload of an unexpected shape, and passes non-objects through", () => {
    const odd = { wrapper: { order: { buyer: { buyerEmail: "a@b.c" }, items: [{ deliveryAddress: { city: "X" } }] } }, buyerEmail: "top@b.c" }
    const { payload, removed } = redactBuyerData(odd)
    expect(payload).toEqual({ wrapper: { order: { items: [{}] } } })
    expect(removed.sort()).toEqual(["buyerEmail", "wrapper.order.buyer", "wrapper.order.items[0].deliveryAddress"])
    for (const v of [null, "text", 42, [1, "a"]]) {
      expect(redactBuyerData(v)).toEqual({ payload: v, removed: [] })
    }
  })

  it("drops tax registrations whose owner is not stated (they may be the buyer's)", () => {
    const { payload, removed } = redactBuyerData({ tax: { taxRegistrations: [{ legalName: "Who?" }, { entityType: "MERCHANT", legalName: "Us Ltd" }] } })
    expect(payload).toEqual({ tax: { taxRegistrations: [{ entityType: "MERCHANT", legalName: "Us Ltd" }] } })
    expect(removed).toEqual(["tax.taxRegistrations[0]"])
  })
})
