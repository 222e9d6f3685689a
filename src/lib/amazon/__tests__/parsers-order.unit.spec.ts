import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { components } from "../generated/orders-v2026-01-01"
import { parseGetOrderResponse, parseOrder, parseSearchOrdersResponse } from "../parsers/parse-order"
import { OrderParseError } from "../parsers/payload-reader"
import type { OrderParseErrorCode } from "../parsers/payload-reader"

type Order = components["schemas"]["Order"]
type GetOrderResponse = components["schemas"]["GetOrderResponse"]

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8"))
const getOrder = (name: string): GetOrderResponse => fixture(name) as GetOrderResponse

function errorOf(fn: () => unknown): { code: OrderParseErrorCode; path: string } {
  try {
    fn()
  } catch (e) {
    if (e instanceof OrderParseError) {
      return { code: e.code, path: e.path }
    }
    throw e
  }
  throw new Error("expected an OrderParseError")
}

describe("parseSearchOrdersResponse", () => {
  it("normalises the JP sandbox example (FBA, shipped, zero-decimal currency)", () => {
    const page = parseSearchOrdersResponse(fixture("orders-2026-search-orders.sandbox-jp-shipped.json"))
    expect(page.nextToken).toBe("2YgYW55IGNhcm5hbCBwbGVhc3VyZS4")
    expect(page.createdBefore).toBe("2024-12-25T03:00:00Z")
    expect(page.lastUpdatedBefore).toBeUndefined()
    expect(page.orders).toEqual([
      {
        orderId: "250-1234567-8901234",
        marketplaceId: "A1VC38T7YXB528",
        channelName: "AMAZON",
        createdTime: "2024-12-25T02:30:00Z",
        lastUpdatedTime: "2024-12-25T06:45:00Z",
        status: "SHIPPED",
        fulfilledBy: "AMAZON",
        shipBy: { earliest: "2024-12-25T00:00:00Z", latest: "2024-12-25T23:59:59Z" },
        buyerEmail: "buyer-email@marketplace.amazon.co.jp",
        buyerName: "John Smith",
        shippingAddress: {
          name: "John Smith",
          address1: "123 Business Park",
          address2: "Suite 456",
          city: "Tokyo",
          postalCode: "150-0002",
          countryCode: "JP",
        },
        currencyCode: "JPY",
        items: [
          {
            orderItemId: "25012345678901",
            sku: "ECHO-DOT-4-JP-CHARCOAL",
            asin: "B08C1W5N87",
            title: "Echo Dot (第4世代) スマートスピーカー with Alexa チャコール",
            quantityOrdered: 1,
            quantityShipped: 1,
            quantityUnshipped: 0,
            unitPrice: 5980,
            itemPrice: 5980,
            total: 5980,
          },
          {
            orderItemId: "25012345678902",
            sku: "FIRE-TV-4K-MAX-JP",
            asin: "B07PFFMP9P",
            title: "Fire TV Stick 4K Max ストリーミングデバイス",
            quantityOrdered: 2,
            quantityShipped: 2,
            quantityUnshipped: 0,
            unitPrice: 6980,
            itemPrice: 13960,
            total: 13960,
          },
        ],
        totals: { grandTotal: 19940 },
      },
    ])
  })

  it("returns an empty page without a token", () => {
    expect(parseSearchOrdersResponse({ orders: [], lastUpdatedBefore: "2026-03-01T10:00:00Z" })).toEqual({
      orders: [],
      lastUpdatedBefore: "2026-03-01T10:00:00Z",
    })
  })

  it("names the failing order in the path", () => {
    const page = fixture("orders-2026-search-orders.sandbox-jp-shipped.json") as { orders: Order[] }
    page.orders[0].orderItems[1].quantityOrdered = -2
    expect(errorOf(() => parseSearchOrdersResponse(page))).toEqual({
      code: "INVALID_QUANTITY",
      path: "orders[0].orderItems[1].quantityOrdered",
    })
  })
})

describe("parseGetOrderResponse", () => {
  it("reads an unshipped US order with an item-level TAX breakdown and no buyer section", () => {
    const order = parseGetOrderResponse(fixture("orders-2026-get-order.sandbox-us-unshipped.json"))
    expect(order).toMatchObject({ orderId: "114-9876543-1234567", status: "UNSHIPPED", fulfilledBy: "MERCHANT" })
    expect(order.buyerEmail).toBeUndefined()
    expect(order.buyerName).toBeUndefined()
    // addressLine3 "" and districtOrCounty "" are Amazon's "none", not values
    expect(order.shippingAddress).toEqual({
      name: "Test Store #1234",
      company: "Test Store",
      address1: "100 Main Street",
      address2: "Suite 200",
      city: "Seattle",
      province: "WA",
      postalCode: "98101",
      countryCode: "US",
      phone: "+1 206 555 0100",
    })
    expect(order.items).toEqual([
      {
        orderItemId: "11498765431234",
        sku: "ECHO-POP-US-BLK",
        asin: "B0BSHF7WHW",
        title: "All-new Echo Pop | Full sound compact smart speaker with Alexa",
        quantityOrdered: 1,
        quantityShipped: 0,
        quantityUnshipped: 1,
        unitPrice: 39.99,
        itemPrice: 39.99,
        tax: 10,
        total: 49.99,
      },
    ])
    expect(order.totals).toEqual({ grandTotal: 49.99 })
    expect(order.currencyCode).toBe("USD")
    expect(order.cancellation).toBeUndefined()
  })

  it("reads a PENDING order, where Amazon sends no prices or proceeds yet", () => {
    const order = parseGetOrderResponse(fixture("orders-2026-get-order.pending.json"))
    expect(order).toEqual({
      orderId: "113-5550001-0000001",
      marketplaceId: "ATVPDKIKX0DER",
      channelName: "AMAZON",
      createdTime: "2026-03-02T09:15:00Z",
      lastUpdatedTime: "2026-03-02T09:15:30Z",
      status: "PENDING",
      fulfilledBy: "MERCHANT",
      items: [
        {
          orderItemId: "55500010000011",
          sku: "ECHO-POP-US-BLK",
          asin: "B0BSHF7WHW",
          title: "Echo Pop",
          quantityOrdered: 2,
          quantityShipped: 0,
          quantityUnshipped: 2,
        },
      ],
    })
  })

  it("reads a cancelled order and who cancelled it", () => {
    const order = parseGetOrderResponse(fixture("orders-2026-get-order.cancelled.json"))
    expect(order.status).toBe("CANCELLED")
    expect(order.cancellation).toEqual({
      state: "CANCELLED",
      cancelledBy: "MERCHANT",
      requestedBy: "BUYER",
      reason: "BUYER_CANCELED",
    })
    expect(order.items[0]).toEqual({
      orderItemId: "55500020000021",
      sku: "FTV-4K-MAX-DE",
      asin: "B07PFFMP9P",
      title: "Fire TV Stick 4K Max",
      quantityOrdered: 1,
      quantityShipped: 0,
      quantityUnshipped: 0,
      unitPrice: 69.99,
      cancellation: {
        requestedBy: "BUYER",
        requestReason: "BUYER_CANCELED",
        cancelledBy: "MERCHANT",
        cancelReason: "BUYER_CANCELED",
      },
    })
    expect(order.totals).toEqual({ grandTotal: 0 })
    expect(order.currencyCode).toBe("EUR")
    expect(order.buyerName).toBe("Jana Müller")
    expect(order.shippingAddress).toEqual({
      name: "Jana Müller",
      address1: "Hauptstraße 5",
      city: "Köln",
      province: "NRW",
      postalCode: "50667",
      countryCode: "DE",
    })
    // fractional seconds are valid ISO 8601 and are kept verbatim
    expect(order.lastUpdatedTime).toBe("2026-03-01T19:40:12.345Z")
  })

  it("reads a partially shipped order, rounding half-cent amounts exactly", () => {
    const order = parseGetOrderResponse(fixture("orders-2026-get-order.partially-shipped.json"))
    expect(order.status).toBe("PARTIALLY_SHIPPED")
    expect(order.createdTime).toBe("2026-02-27T08:00:00+01:00")
    expect(order.items).toEqual([
      {
        orderItemId: "55500030000031",
        sku: "CABLE-USBC-1M",
        asin: "B0000000A1",
        title: 'Cable "USB-C" 1 m',
        quantityOrdered: 3,
        quantityShipped: 2,
        quantityUnshipped: 1,
        unitPrice: 3.1,
        itemPrice: 9.3,
        shippingPrice: 4.99,
        // "2.865", "1.005" and "15.655" are exact halves. Math.round(x * 100) / 100 turns 1.005 into 1,
        // and Number(x.toFixed(2)) turns 15.655 into 15.65: binary floats sit just below the half.
        tax: 2.87,
        itemTax: 1.86,
        shippingTax: 1.01,
        discount: -1.5,
        total: 15.66,
      },
      {
        orderItemId: "55500030000032",
        sku: "CHARGER-65W",
        asin: "B0000000B2",
        title: "Charger 65 W",
        quantityOrdered: 1,
        quantityShipped: 0,
        quantityUnshipped: 1,
        unitPrice: 24,
        itemPrice: 24,
        tax: 4.1,
        discount: -1,
        total: 27.1,
      },
    ])
    expect(order.totals).toEqual({
      grandTotal: 42.76,
      item: 33.3,
      shipping: 4.99,
      tax: 6.97,
      discount: -2.5,
    })
    expect(order.shippingAddress).toMatchObject({ company: "Thompson & Co", phone: "+44 20 7946 0958" })
    expect(order.shippingAddress).not.toHaveProperty("address3")
    expect(order.cancellation).toBeUndefined()
  })
})

describe("parseOrder: derived cancellation state", () => {
  it("is REQUESTED when a buyer asked to cancel and nothing was executed", () => {
    const { order } = getOrder("orders-2026-get-order.pending.json")
    order.orderItems[0].cancellation = { cancellationRequest: { requester: "BUYER", cancelReason: "ORDERED_BY_MISTAKE" } }
    expect(parseOrder(order).cancellation).toEqual({
      state: "REQUESTED",
      requestedBy: "BUYER",
      reason: "ORDERED_BY_MISTAKE",
    })
  })

  it("is PARTIALLY_CANCELLED when one item was cancelled and the order goes on", () => {
    const { order } = getOrder("orders-2026-get-order.partially-shipped.json")
    order.orderItems[1].cancellation = { cancellationExecution: { cancelledBy: "AMAZON" } }
    expect(parseOrder(order).cancellation).toEqual({ state: "PARTIALLY_CANCELLED", cancelledBy: "AMAZON" })
  })

  it("reports null status and shipped quantities when FULFILLMENT was not requested", () => {
    const { order } = getOrder("orders-2026-get-order.pending.json")
    delete order.fulfillment
    delete order.orderItems[0].fulfillment
    const parsed = parseOrder(order)
    expect([parsed.status, parsed.fulfilledBy]).toEqual([null, null])
    expect([parsed.items[0].quantityShipped, parsed.items[0].quantityUnshipped]).toEqual([null, null])
  })

  it("omits the address when every field was withheld", () => {
    const { order } = getOrder("orders-2026-get-order.cancelled.json")
    order.recipient = { deliveryAddress: { name: "", addressLine1: "", city: "" } }
    expect(parseOrder(order)).not.toHaveProperty("shippingAddress")
  })

  it("adds order breakdown types the model does not list into `other`", () => {
    const { order } = getOrder("orders-2026-get-order.partially-shipped.json")
    order.proceeds!.breakdowns = [
      { type: "OTHER", subtotal: { amount: "0.10", currencyCode: "GBP" } },
      { type: "SOMETHING_NEW", subtotal: { amount: "0.20", currencyCode: "GBP" } },
      { type: "DELIVERY_TIP", status: "PENDING", subtotal: { amount: "2.00", currencyCode: "GBP" } },
    ]
    // exact decimal addition: 0.10 + 0.20 is 0.3, not 0.30000000000000004
    expect(parseOrder(order).totals).toEqual({ grandTotal: 42.76, other: 0.3, deliveryTip: 2 })
  })
})

describe("parseOrder: refusals", () => {
  type Mutation = (o: Order & Record<string, unknown>) => void
  const base = (): Order & Record<string, unknown> =>
    getOrder("orders-2026-get-order.partially-shipped.json").order as Order & Record<string, unknown>
  const loose = (v: object): Record<string, unknown> => v as Record<string, unknown>

  it.each<[string, Mutation, OrderParseErrorCode, string]>([
    ["missing orderId", (o) => void delete loose(o).orderId, "MISSING_FIELD", "orderId"],
    ["empty orderId", (o) => void (o.orderId = ""), "MISSING_FIELD", "orderId"],
    ["numeric orderId", (o) => void (loose(o).orderId = 123), "INVALID_TYPE", "orderId"],
    ["missing salesChannel", (o) => void delete loose(o).salesChannel, "MISSING_FIELD", "salesChannel"],
    ["createdTime not a date", (o) => void (o.createdTime = "yesterday"), "INVALID_DATE", "createdTime"],
    ["createdTime 31 February", (o) => void (o.createdTime = "2026-02-31T00:00:00Z"), "INVALID_DATE", "createdTime"],
    ["createdTime without zone", (o) => void (o.createdTime = "2026-02-27T08:00:00"), "INVALID_DATE", "createdTime"],
    [
      "v0 status spelling",
      (o) => void (loose(o.fulfillment!).fulfillmentStatus = "Canceled"),
      "INVALID_VALUE",
      "fulfillment.fulfillmentStatus",
    ],
    ["orderItems not an array", (o) => void (loose(o).orderItems = {}), "INVALID_TYPE", "orderItems"],
    ["no order items", (o) => void (o.orderItems = []), "MISSING_FIELD", "orderItems"],
    [
      "item without sellerSku",
      (o) => void delete o.orderItems[1].product.sellerSku,
      "MISSING_FIELD",
      "orderItems[1].product.sellerSku",
    ],
    ["item without product", (o) => void delete loose(o.orderItems[0]).product, "MISSING_FIELD", "orderItems[0].product"],
    [
      "negative quantityOrdered",
      (o) => void (o.orderItems[0].quantityOrdered = -1),
      "INVALID_QUANTITY",
      "orderItems[0].quantityOrdered",
    ],
    [
      "fractional quantityOrdered",
      (o) => void (o.orderItems[0].quantityOrdered = 1.5),
      "INVALID_QUANTITY",
      "orderItems[0].quantityOrdered",
    ],
    [
      "negative quantityFulfilled",
      (o) => void (o.orderItems[0].fulfillment!.quantityFulfilled = -1),
      "INVALID_QUANTITY",
      "orderItems[0].fulfillment.quantityFulfilled",
    ],
    [
      "more shipped than ordered",
      (o) => void (o.orderItems[0].fulfillment!.quantityFulfilled = 4),
      "INVALID_QUANTITY",
      "orderItems[0].fulfillment.quantityFulfilled",
    ],
    [
      "decimal comma in a price",
      (o) => void (o.orderItems[0].product.price!.unitPrice!.amount = "3,10"),
      "INVALID_MONEY",
      "orderItems[0].product.price.unitPrice.amount",
    ],
    [
      "price as a JSON number",
      (o) => void (loose(o.orderItems[0].product.price!.unitPrice!).amount = 3.1),
      "INVALID_MONEY",
      "orderItems[0].product.price.unitPrice.amount",
    ],
    [
      "absurd exponent",
      (o) => void (o.orderItems[0].product.price!.unitPrice!.amount = "1e999999"),
      "INVALID_MONEY",
      "orderItems[0].product.price.unitPrice.amount",
    ],
    [
      "lower-case currency",
      (o) => void (o.orderItems[0].product.price!.unitPrice!.currencyCode = "gbp"),
      "INVALID_MONEY",
      "orderItems[0].product.price.unitPrice.currencyCode",
    ],
    [
      "a second currency",
      (o) => void (o.orderItems[1].proceeds!.proceedsTotal!.currencyCode = "EUR"),
      "CURRENCY_MISMATCH",
      "orderItems[1].proceeds.proceedsTotal.currencyCode",
    ],
    [
      "breakdown without subtotal",
      (o) => void delete loose(o.proceeds!.breakdowns![2]).subtotal,
      "MISSING_FIELD",
      "proceeds.breakdowns[2].subtotal",
    ],
    [
      "duplicate orderItemId",
      (o) => void (o.orderItems[1].orderItemId = o.orderItems[0].orderItemId),
      "DUPLICATE_ORDER_ITEM",
      "orderItems[1].orderItemId",
    ],
  ])("refuses %s", (_label, mutate, code, path) => {
    const order = base()
    mutate(order)
    expect(errorOf(() => parseOrder(order))).toEqual({ code, path })
  })

  it.each<[string, unknown]>([
    ["null", null],
    ["an array", []],
    ["a string", "order"],
  ])("refuses %s as an order", (_label, input) => {
    expect(errorOf(() => parseOrder(input)).code).toBe("INVALID_TYPE")
  })

  it("prefixes paths with `order` for getOrder responses", () => {
    const response = getOrder("orders-2026-get-order.pending.json")
    delete (response.order.orderItems[0].product as Record<string, unknown>).sellerSku
    expect(errorOf(() => parseGetOrderResponse(response))).toEqual({
      code: "MISSING_FIELD",
      path: "order.orderItems[0].product.sellerSku",
    })
    expect(errorOf(() => parseGetOrderResponse({}))).toEqual({ code: "MISSING_FIELD", path: "order" })
  })
})
