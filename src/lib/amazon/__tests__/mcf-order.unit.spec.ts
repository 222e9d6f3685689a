import { buildMcfCreateOrder, mcfOrderIdFor, readMcfOrder } from "../mcf/mcf-order"

describe("mcfOrderIdFor", () => {
  it("derives a stable id Amazon accepts from the fulfillment", () => {
    expect(mcfOrderIdFor("ful_01M94PWMG3X1TSWQYCDA204YBK")).toBe("mdsa-ful_01M94PWMG3X1TSWQYCDA204YBK")
    expect(mcfOrderIdFor("ful_01M94PWMG3X1TSWQYCDA204YBK")).toBe(mcfOrderIdFor("ful_01M94PWMG3X1TSWQYCDA204YBK"))
    expect(() => mcfOrderIdFor("x".repeat(40))).toThrow()
    expect(() => mcfOrderIdFor("ful 1")).toThrow()
  })
})

describe("buildMcfCreateOrder", () => {
  const base = {
    mcf_order_id: "mdsa-ful_1",
    origin_country_code: "de",
    channel: "MEDUSA",
    service_tier: "STANDARD" as const,
    action: "SHIP" as const,
    policy: "FILL_OR_KILL" as const,
    blank_box: false,
    block_amazon_logistics: false,
    address: { name: "Ada Lovelace", company: "Engines Ltd", address_1: "Hauptstr. 1", address_2: "2. OG", city: "Berlin", postal_code: "10115", country_code: "de", phone: "+49 30 1" },
    email: "ada@example.com",
    currency_code: "eur",
    lines: [{ line_id: "1", seller_sku: "FBA-MUG", quantity: 2, unit_price: 12.5 }],
  }
  it("asks for the tier, action, policy and lines by seller SKU, with the declared value", () => {
    const req = buildMcfCreateOrder(base)
    expect(req).toMatchObject({
      orderId: "mdsa-ful_1",
      origin: { countryCode: "DE" },
      fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["STANDARD"] }, action: "SHIP", policy: "FILL_OR_KILL", services: { packaging: { packagingOption: "ANY" }, additional: {} } },
      destination: { deliveryAddress: { name: "Ada Lovelace", addressLine1: "Hauptstr. 1", addressLine2: "Engines Ltd, 2. OG", postalCode: "10115", countryCode: "DE", email: "ada@example.com" } },
      lineItems: [{ lineItemId: "1", product: { productIdentifier: { amazonSku: "FBA-MUG" }, perUnitDeclaredValue: { amount: "12.50", currencyCode: "EUR" } }, amount: { unit: "EACHES", value: "2" } }],
    })
  })
  it("asks for a blank box and no Amazon Logistics when the sales channel says so", () => {
    const req = buildMcfCreateOrder({ ...base, blank_box: true, block_amazon_logistics: true, action: "HOLD" })
    expect(req.fulfillmentConfiguration).toMatchObject({ action: "HOLD", services: { packaging: { packagingOption: "UNBRANDED" }, additional: { BLOCK_AMZL: "REQUIRED" } } })
  })
})

describe("readMcfOrder", () => {
  const order = (over: Record<string, unknown> = {}) =>
    ({
      orderId: "mdsa-ful_1",
      receiveTime: "2026-12-06T10:00:00Z",
      status: "PROCESSING",
      fulfillmentConfiguration: { action: "SHIP" },
      lineItems: [{ lineItemId: "1", product: { productIdentifier: { amazonSku: "FBA-MUG" } }, amount: { unit: "EACHES", value: "2.0" } }],
      ...over,
    }) as never
  it("maps Amazon's statuses, a HOLD, and reads packages with tracking", () => {
    expect(readMcfOrder(order())).toMatchObject({ status: "processing", packages: [], all_delivered: false })
    expect(readMcfOrder(order({ fulfillmentConfiguration: { action: "HOLD" } }))).toMatchObject({ status: "held" })
    expect(readMcfOrder(order({ status: "UNFULFILLABLE" }))).toMatchObject({ status: "unfulfillable" })
    const shipped = readMcfOrder(
      order({
        status: "COMPLETE",
        shipments: [
          {
            amazonShipmentId: "S1",
            amazonFacility: {},
            status: "SHIPPED",
            shipTime: "2026-12-06T12:00:00Z",
            items: [{ lineItemId: "1", productIdentifier: { amazonSku: "FBA-MUG" }, amount: { value: "2" }, packageId: "P1" }],
            packages: [{ packageId: "P1", status: "DELIVERED", tracking: { carrier: { carrierCode: "DHL", trackingNumber: "JJD1", trackingUrl: "https://t/1" } } }],
          },
          { amazonShipmentId: "S2", amazonFacility: {}, status: "CANCELLED", items: [], packages: [{ packageId: "P2" }] },
        ],
      })
    )
    expect(shipped).toMatchObject({
      status: "complete",
      all_delivered: true,
      packages: [{ package_id: "P1", carrier_code: "DHL", tracking_number: "JJD1", tracking_url: "https://t/1", ship_time: "2026-12-06T12:00:00Z", items: { "1": 2 } }],
      lines: { "1": { quantity: 2, cancelled: 0, unfulfillable: 0 } },
    })
  })
})
