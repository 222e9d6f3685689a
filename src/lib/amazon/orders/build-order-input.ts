/**
 * Amazon order (as parsed by parsers/parse-order.ts) → the input of Medusa's createOrderWorkflow, plus the
 * tax lines to set afterwards. Pure: the caller passes the region, sales channel and SKU → variant map.
 *
 * Amounts: Amazon's proceeds breakdowns add up as ITEM + SHIPPING + TAX + DISCOUNT = grandTotal (see the
 * fixtures), so tax is on top of the item and shipping prices. The Medusa order mirrors that: unit prices
 * are tax-exclusive, shipping is one shipping method, Amazon's tax becomes tax lines whose rate
 * reproduces Amazon's amount, and Amazon's discount becomes a line-item adjustment.
 */
import type { FulfillmentStatus, ParsedAddress, ParsedOrder, ParsedOrderItem } from "../parsers/parse-order"

/**
 * Where an Amazon order is in its life, as far as the store is concerned:
 * - `pending`: placed, not paid yet (PENDING / PENDING_AVAILABILITY). Amazon withholds prices; the import
 *   only reserves stock and creates the Medusa order once Amazon has taken the payment.
 * - `open`: paid (UNSHIPPED / PARTIALLY_SHIPPED / SHIPPED): a Medusa order exists.
 * - `closed`: CANCELLED, or UNFULFILLABLE (Amazon-fulfilled orders Amazon could not serve).
 */
export type OrderPhase = "pending" | "open" | "closed"

export function orderPhase(status: FulfillmentStatus | null): OrderPhase {
  switch (status) {
    case "PENDING":
    case "PENDING_AVAILABILITY":
      return "pending"
    case "CANCELLED":
    case "UNFULFILLABLE":
      return "closed"
    default:
      // UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED. A null status (no FULFILLMENT data) is refused earlier.
      return "open"
  }
}

/** MERCHANT unless Amazon says AMAZON: only merchant-fulfilled orders take stock from our locations. */
export function fulfillmentChannel(order: Pick<ParsedOrder, "fulfilledBy">): "MERCHANT" | "AMAZON" {
  return order.fulfilledBy === "AMAZON" ? "AMAZON" : "MERCHANT"
}

/** Whether an item is cancelled on its own (a cancellation execution, not just a buyer's request). */
export function isItemCancelled(item: ParsedOrderItem): boolean {
  return Boolean(item.cancellation && (item.cancellation.cancelledBy || item.cancellation.cancelReason))
}

export interface MedusaAddressInput {
  first_name?: string
  last_name?: string
  company?: string
  address_1?: string
  address_2?: string
  city?: string
  province?: string
  postal_code?: string
  country_code?: string
  phone?: string
}

export interface MedusaLineItemInput {
  variant_id: string
  quantity: number
  unit_price: number
  is_tax_inclusive: false
  /**
   * Amazon already sold these units: the order must exist even when the store's own stock is short
   * (the shortage then shows as negative availability, and the stock push sends 0 to Amazon).
   */
  allow_backorder: true
  /** Store promotions must never change what Amazon charged. */
  is_discountable: false
  adjustments?: { amount: number; description: string; is_tax_inclusive: false }[]
  metadata: Record<string, unknown>
}

export interface MedusaOrderInput {
  region_id: string
  sales_channel_id: string
  currency_code: string
  email?: string
  shipping_address?: MedusaAddressInput
  items: MedusaLineItemInput[]
  shipping_methods: {
    name: string
    amount: number
    is_tax_inclusive: false
    data: Record<string, unknown>
    /** The plugin's Amazon shipping option (Medusa's fulfillment flows read it); absent when unknown. */
    shipping_option_id?: string
  }[]
  /** Amazon talks to its buyers itself; the store must not send them its own e-mails. */
  no_notification: true
  metadata: Record<string, unknown>
}

export interface AmazonTaxPlan {
  /** Per Amazon order item: the rate (percent of the discounted item subtotal) that reproduces Amazon's item tax. */
  items: { order_item_id: string; rate: number; amount: number }[]
  /** The rate on the one shipping method that reproduces Amazon's shipping tax. */
  shipping: { rate: number; amount: number } | null
}

export interface OrderMappingContext {
  account_id: string
  region_id: string
  sales_channel_id: string
  /** SKU → variant, from the listing ↔ variant links. Every SKU of the order must be present. */
  variants: Record<string, { variant_id: string }>
  /** The Amazon shipping option the order's shipping method points at (see ensureAmazonOrderShippingWorkflow). */
  shipping_option_id?: string | null
}

export type OrderMappingErrorCode = "MISSING_PRICE" | "MISSING_CURRENCY" | "UNKNOWN_SKU" | "MISSING_STATUS"

export class OrderMappingError extends Error {
  readonly name = "OrderMappingError"
  constructor(
    readonly code: OrderMappingErrorCode,
    message: string,
    readonly skus: string[] = []
  ) {
    super(message)
  }
}

/** The order-level keys the import writes into the Medusa order's metadata (and looks the order up by). */
export const AMAZON_ORDER_METADATA_KEY = "amazon_order_id"

/** Amazon gives one `name`; it is kept whole (no guessing where a given name ends). */
export function mapAddress(address: ParsedAddress | undefined): MedusaAddressInput | undefined {
  if (!address) {
    return undefined
  }
  const line2 = [address.address2, address.address3].filter((v) => v && v.trim() !== "").join(", ")
  const out: MedusaAddressInput = {
    first_name: address.name,
    company: address.company,
    address_1: address.address1,
    address_2: line2 || undefined,
    city: address.city,
    province: address.province,
    postal_code: address.postalCode,
    // Medusa keeps ISO 3166-1 alpha-2 codes in lower case.
    country_code: address.countryCode?.toLowerCase(),
    phone: address.phone,
  }
  for (const key of Object.keys(out) as (keyof MedusaAddressInput)[]) {
    if (out[key] === undefined) {
      delete out[key]
    }
  }
  return out
}

/** The SKUs of an order that have no mapped variant. */
export function unknownSkus(order: ParsedOrder, variants: Record<string, unknown>): string[] {
  return [...new Set(order.items.map((i) => i.sku).filter((sku) => !variants[sku]))]
}

/** Amazon's unit price, or the item subtotal divided by the quantity when only that is given. */
export function unitPriceOf(item: ParsedOrderItem): number | undefined {
  if (item.unitPrice !== undefined) {
    return item.unitPrice
  }
  if (item.itemPrice !== undefined && item.quantityOrdered > 0) {
    return item.itemPrice / item.quantityOrdered
  }
  return undefined
}

/** Item tax: the itemised ITEM part, else the whole TAX minus any itemised SHIPPING part. */
function itemTaxOf(item: ParsedOrderItem): number {
  if (item.itemTax !== undefined) {
    return item.itemTax
  }
  if (item.tax === undefined) {
    return 0
  }
  return item.tax - (item.shippingTax ?? 0)
}

/** A percentage with enough digits that rate × base gives back Amazon's amount to well under a cent. */
function rateOf(amount: number, base: number): number {
  if (!(base > 0) || amount === 0) {
    return 0
  }
  return Number(((amount / base) * 100).toPrecision(12))
}

function sumOf(values: (number | undefined)[]): number {
  // Amounts are already rounded to the currency's minor unit; add in minor units to keep them exact.
  const cents = values.reduce<number>((acc, v) => acc + Math.round((v ?? 0) * 1e6), 0)
  return cents / 1e6
}

/**
 * Builds the createOrderWorkflow input for an `open` Amazon order. Throws OrderMappingError when the order
 * cannot become a correct Medusa order (unknown SKU, no price, no currency).
 */
export function buildMedusaOrderInput(
  order: ParsedOrder,
  ctx: OrderMappingContext
): { input: MedusaOrderInput; tax: AmazonTaxPlan } {
  const missing = unknownSkus(order, ctx.variants)
  if (missing.length) {
    throw new OrderMappingError("UNKNOWN_SKU", `no variant is mapped to seller SKU ${missing.join(", ")}`, missing)
  }
  if (!order.currencyCode) {
    throw new OrderMappingError("MISSING_CURRENCY", "the order carries no amounts, so its currency is unknown")
  }
  const unpriced = order.items.filter((i) => unitPriceOf(i) === undefined).map((i) => i.sku)
  if (unpriced.length) {
    throw new OrderMappingError("MISSING_PRICE", `Amazon sent no price for ${unpriced.join(", ")}`, unpriced)
  }

  const items: MedusaLineItemInput[] = []
  const taxItems: AmazonTaxPlan["items"] = []
  for (const item of order.items) {
    const unitPrice = unitPriceOf(item) as number
    const line: MedusaLineItemInput = {
      variant_id: ctx.variants[item.sku].variant_id,
      quantity: item.quantityOrdered,
      unit_price: unitPrice,
      is_tax_inclusive: false,
      allow_backorder: true,
      is_discountable: false,
      metadata: dropUndefined({
        amazon_order_item_id: item.orderItemId,
        amazon_seller_sku: item.sku,
        amazon_asin: item.asin,
        amazon_title: item.title,
      }),
    }
    // Amazon reports discounts with a negative sign; a Medusa adjustment is the positive amount taken off.
    const discount = item.discount !== undefined && item.discount < 0 ? -item.discount : 0
    if (discount > 0) {
      line.adjustments = [{ amount: discount, description: "Amazon discount", is_tax_inclusive: false }]
    }
    items.push(line)
    const tax = itemTaxOf(item)
    if (tax !== 0) {
      // Medusa taxes the discounted amount (subtotal − adjustments); the rate is chosen on that base so the
      // tax Medusa computes is the amount Amazon charged, whatever base Amazon itself used.
      taxItems.push({ order_item_id: item.orderItemId, amount: tax, rate: rateOf(tax, unitPrice * item.quantityOrdered - discount) })
    }
  }

  const itemShipping = sumOf(order.items.map((i) => i.shippingPrice))
  const shipping = order.totals?.shipping ?? itemShipping
  const shippingTax = sumOf(order.items.map((i) => i.shippingTax))

  const input: MedusaOrderInput = {
    region_id: ctx.region_id,
    sales_channel_id: ctx.sales_channel_id,
    currency_code: order.currencyCode.toLowerCase(),
    items,
    shipping_methods: [
      {
        name: "Amazon shipping",
        amount: shipping,
        is_tax_inclusive: false,
        data: { amazon_order_id: order.orderId },
        ...(ctx.shipping_option_id ? { shipping_option_id: ctx.shipping_option_id } : {}),
      },
    ],
    no_notification: true,
    metadata: dropUndefined({
      [AMAZON_ORDER_METADATA_KEY]: order.orderId,
      amazon_account_id: ctx.account_id,
      amazon_marketplace_id: order.marketplaceId,
      amazon_fulfilled_by: fulfillmentChannel(order),
      amazon_channel_name: order.channelName,
      amazon_created_time: order.createdTime,
      // Amazon's promise to the buyer: the merchant must hand the order to the carrier by this time.
      amazon_latest_ship_date: order.shipBy?.latest,
      amazon_earliest_ship_date: order.shipBy?.earliest,
      amazon_latest_delivery_date: order.deliverBy?.latest,
      amazon_buyer_name: order.buyerName,
      amazon_totals: order.totals,
    }),
  }
  if (order.buyerEmail) {
    input.email = order.buyerEmail
  }
  const address = mapAddress(order.shippingAddress)
  if (address) {
    input.shipping_address = address
  }
  return {
    input,
    tax: {
      items: taxItems,
      shipping: shippingTax !== 0 ? { amount: shippingTax, rate: rateOf(shippingTax, shipping) } : null,
    },
  }
}

function dropUndefined<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) {
    if (obj[key] === undefined) {
      delete obj[key]
    }
  }
  return obj
}
