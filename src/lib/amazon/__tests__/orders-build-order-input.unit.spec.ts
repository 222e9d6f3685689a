import { readFileSync } from "node:fs"
import { join } from "node:path"
import {
  buildMedusaOrderInput,
  fulfillmentChannel,
  mapAddress,
  OrderMappingError,
  orderPhase,
  unknownSkus,
} from "../orders/build-order-input"
import { parseGetOrderResponse } from "../parsers/parse-order"
import type { ParsedOrder } from "../parsers/parse-order"

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8"))

const ctx = {
  account_id: "amzacc_1",
  region_id: "reg_gb",
  sales_channel_id: "sc_amazon",
  variants: { "CABLE-USBC-1M": { variant_id: "variant_cable" }, "CHARGER-65W": { variant_id: "variant_charger" } },
}

function mappingError(fn: () => unknown): OrderMappingError {
  try {
    fn()
  } catch (e) {
    if (e instanceof OrderMappingError) {
      return e
    }
    throw e
  }
  throw new Error("expected an OrderMappingError")
}

describe("orderPhase", () => {
  it.each([
    ["PENDING", "pending"],
    ["PENDING_AVAILABILITY", "pending"],
    ["UNSHIPPED", "open"],
    ["PARTIALLY_SHIPPED", "open"],
    ["SHIPPED", "open"],
    ["CANCELLED", "closed"],
    ["UNFULFILLABLE", "closed"],
  ] as const)("%s is %s", (status, phase) => {
    expect(orderPhase(status)).toBe(phase)
  })

  it("treats anything but AMAZON as merchant-fulfilled", () => {
    expect(fulfillmentChannel({ fulfilledBy: "AMAZON" })).toBe("AMAZON")
    expect(fulfillmentChannel({ fulfilledBy: "MERCHANT" })).toBe("MERCHANT")
    expect(fulfillmentChannel({ fulfilledBy: null })).toBe("MERCHANT")
  })
})

describe("buildMedusaOrderInput", () => {
  const order = parseGetOrderResponse(fixture("orders-2026-get-order.partially-shipped.json"))

  it("maps items on the mapped variants with Amazon's unit prices, shipping, address, e-mail and metadata", () => {
    const { input } = buildMedusaOrderInput(order, ctx)
    expect(input).toMatchObject({
      region_id: "reg_gb",
      sales_channel_id: "sc_amazon",
      currency_code: "gbp",
      email: "xyz789@marketplace.amazon.co.uk",
      no_notification: true,
      shipping_address: {
        first_name: "Sarah Thompson",
        company: "Thompson & Co",
        address_1: "45 Oak Avenue",
        address_2: "Flat 2A",
        city: "London",
        province: "England",
        postal_code: "SW1A 1AA",
        country_code: "gb",
        phone: "+44 20 7946 0958",
      },
      metadata: { amazon_order_id: "026-5550003-0000003", amazon_account_id: "amzacc_1", amazon_fulfilled_by: "MERCHANT" },
    })
    expect(input.items[0]).toEqual({
      variant_id: "variant_cable",
      quantity: 3,
      unit_price: 3.1,
      is_tax_inclusive: false,
      allow_backorder: true,
      is_discountable: false,
      adjustments: [{ amount: 1.5, description: "Amazon discount", is_tax_inclusive: false }],
      metadata: {
        amazon_order_item_id: "55500030000031",
        amazon_seller_sku: "CABLE-USBC-1M",
        amazon_asin: "B0000000A1",
        amazon_title: 'Cable "USB-C" 1 m',
      },
    })
    expect(input.shipping_methods).toEqual([
      { name: "Amazon shipping", amount: 4.99, is_tax_inclusive: false, data: { amazon_order_id: "026-5550003-0000003" } },
    ])
  })

  it("turns Amazon's tax amounts into rates that reproduce them on the item and shipping subtotals", () => {
    const { input, tax } = buildMedusaOrderInput(order, ctx)
    const cable = tax.items.find((t) => t.order_item_id === "55500030000031")!
    expect(cable.amount).toBe(1.86)
    // Medusa applies the rate to the discounted subtotal (9.30 − 1.50).
    expect((cable.rate / 100) * (3.1 * 3 - 1.5)).toBeCloseTo(1.86, 6)
    expect(tax.shipping).not.toBeNull()
    expect((tax.shipping!.rate / 100) * input.shipping_methods[0].amount).toBeCloseTo(tax.shipping!.amount, 6)
    // Amazon's order total is item + shipping + tax + discount; the Medusa total computed from the input matches.
    const subtotal = input.items.reduce((s, i) => s + i.unit_price * i.quantity, 0)
    const discount = input.items.reduce((s, i) => s + (i.adjustments?.[0]?.amount ?? 0), 0)
    const taxTotal = tax.items.reduce((s, t) => s + t.amount, 0) + (tax.shipping?.amount ?? 0)
    expect(subtotal + input.shipping_methods[0].amount + taxTotal - discount).toBeCloseTo(order.totals!.grandTotal!, 2)
  })

  it("refuses unknown SKUs, naming them", () => {
    const e = mappingError(() => buildMedusaOrderInput(order, { ...ctx, variants: { "CABLE-USBC-1M": { variant_id: "v" } } }))
    expect(e.code).toBe("UNKNOWN_SKU")
    expect(e.skus).toEqual(["CHARGER-65W"])
    expect(unknownSkus(order, {})).toEqual(["CABLE-USBC-1M", "CHARGER-65W"])
  })

  it("refuses an order without prices (Amazon withholds them while PENDING)", () => {
    const pending = parseGetOrderResponse(fixture("orders-2026-get-order.pending.json"))
    const variants = Object.fromEntries(pending.items.map((i) => [i.sku, { variant_id: `v_${i.sku}` }]))
    const e = mappingError(() => buildMedusaOrderInput(pending, { ...ctx, variants }))
    expect(["MISSING_PRICE", "MISSING_CURRENCY"]).toContain(e.code)
  })

  it("derives the unit price from the item subtotal when only that is given", () => {
    const o: ParsedOrder = {
      orderId: "1",
      channelName: "AMAZON",
      createdTime: "2026-01-01T00:00:00Z",
      lastUpdatedTime: "2026-01-01T00:00:00Z",
      status: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      currencyCode: "EUR",
      items: [{ orderItemId: "i1", sku: "A", quantityOrdered: 4, quantityShipped: 0, quantityUnshipped: 4, itemPrice: 10 }],
    }
    const { input, tax } = buildMedusaOrderInput(o, { ...ctx, variants: { A: { variant_id: "va" } } })
    expect(input.items[0].unit_price).toBe(2.5)
    expect(input.email).toBeUndefined()
    expect(input.shipping_address).toBeUndefined()
    expect(input.shipping_methods[0].amount).toBe(0)
    expect(tax).toEqual({ items: [], shipping: null })
  })
})

describe("mapAddress", () => {
  it("keeps Amazon's name whole, joins address lines 2 and 3 and lower-cases the country", () => {
    expect(
      mapAddress({ name: "Erika Mustermann", address1: "Str. 1", address2: "Hinterhaus", address3: "3. OG", city: "Köln", postalCode: "50667", countryCode: "DE" })
    ).toEqual({ first_name: "Erika Mustermann", address_1: "Str. 1", address_2: "Hinterhaus, 3. OG", city: "Köln", postal_code: "50667", country_code: "de" })
    expect(mapAddress(undefined)).toBeUndefined()
  })
})
