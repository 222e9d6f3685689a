import type { MedusaOrderInput } from "../../../../lib/amazon/orders"
import { completeOrderInput } from "../batch-order-input"
import type { LineItemVariant } from "../batch-order-input"

const order: MedusaOrderInput = {
  region_id: "reg_1",
  sales_channel_id: "sc_1",
  currency_code: "gbp",
  items: [
    { variant_id: "var_cable", quantity: 3, unit_price: 9.99, is_tax_inclusive: false, allow_backorder: true, is_discountable: false, metadata: { amazon_order_item_id: "OI-1", amazon_seller_sku: "CABLE" }, adjustments: [{ amount: 2.5, description: "Amazon discount", is_tax_inclusive: false }] },
    { variant_id: "var_charger", quantity: 1, unit_price: 3.33, is_tax_inclusive: false, allow_backorder: true, is_discountable: false, metadata: { amazon_order_item_id: "OI-2", amazon_seller_sku: "CHARGER" } },
  ],
  shipping_methods: [{ name: "Amazon shipping", amount: 4.99, is_tax_inclusive: false, data: { amazon_order_id: "026-1" } }],
  no_notification: true,
  metadata: { amazon_order_id: "026-1" },
}

const variants = new Map<string, LineItemVariant>([
  [
    "var_cable",
    {
      id: "var_cable",
      title: "1 m",
      sku: "CABLE",
      barcode: null,
      product: { id: "prod_cable", title: "USB-C cable", handle: "usb-c-cable", description: "Braided", subtitle: null, thumbnail: "t.png", type: { id: "ptyp_1", value: "Cables" }, collection: { title: "Accessories" } },
      inventory_items: [{ inventory: { requires_shipping: true } }],
    },
  ],
  ["var_charger", { id: "var_charger", title: "65 W", sku: "CHARGER", product: { id: "prod_charger", title: "Charger" }, inventory_items: [] }],
])

describe("completeOrderInput", () => {
  it("puts Amazon's tax on the lines it belongs to and copies the variant's product facts like createOrderWorkflow does", () => {
    const tax = { items: [{ order_item_id: "OI-1", rate: 20, amount: 5.49 }, { order_item_id: "OI-2", rate: 0, amount: 0 }], shipping: { rate: 20, amount: 1 } }
    const input = completeOrderInput(order, tax, variants, { email: "b@marketplace.amazon.co.uk", customer_id: "cus_1" }) as any
    expect(input).toMatchObject({ region_id: "reg_1", sales_channel_id: "sc_1", email: "b@marketplace.amazon.co.uk", customer_id: "cus_1", no_notification: true })
    const [cable, charger] = input.items
    expect(cable).toMatchObject({
      title: "USB-C cable",
      subtitle: "1 m",
      thumbnail: "t.png",
      product_id: "prod_cable",
      product_handle: "usb-c-cable",
      product_type: "Cables",
      product_type_id: "ptyp_1",
      product_collection: "Accessories",
      variant_id: "var_cable",
      variant_sku: "CABLE",
      variant_title: "1 m",
      quantity: 3,
      unit_price: 9.99,
      is_custom_price: true,
      is_discountable: false,
      requires_shipping: true,
      tax_lines: [{ rate: 20, code: "AMAZON", description: "Tax collected by Amazon" }],
      adjustments: [{ amount: 2.5, description: "Amazon discount", is_tax_inclusive: false }],
      metadata: { amazon_order_item_id: "OI-1" },
    })
    expect(cable).not.toHaveProperty("allow_backorder")
    // A line without tax gets no tax line (as setAmazonOrderTaxLinesStep writes none for a zero rate).
    expect(charger).toMatchObject({ title: "Charger", requires_shipping: false, tax_lines: [], adjustments: [] })
    expect(input.shipping_methods).toEqual([{ ...order.shipping_methods[0], tax_lines: [{ rate: 20, code: "AMAZON", description: "Tax collected by Amazon" }] }])
  })

  it("refuses a variant it has no product for (the batch then fails, is undone, and its orders go one by one)", () => {
    expect(() => completeOrderInput(order, { items: [], shipping: null }, new Map([["var_cable", variants.get("var_cable")!]]), {})).toThrow(/var_charger/)
  })
})
