import type { components } from "../generated/fulfillment-outbound-2026-07-04"

/**
 * Multi-Channel Fulfillment orders (Fulfillment Outbound API v2026-07-04, FACTS.md §11): the request the plugin
 * sends for a Medusa fulfillment, and what it reads back. Pure.
 */
type Schemas = components["schemas"]
export type McfCreateOrderRequest = Schemas["CreateOrderRequest"]
export type McfFulfillmentOrder = Schemas["FulfillmentOrder"]

export const MCF_SERVICE_TIERS = ["STANDARD", "EXPEDITED", "PRIORITY"] as const
export type McfServiceTier = (typeof MCF_SERVICE_TIERS)[number]
export type McfAction = "SHIP" | "HOLD"
export type McfPolicy = "FILL_OR_KILL" | "FILL_ALL" | "FILL_ALL_AVAILABLE"

/** The plugin's status of an MCF order (amazon_mcf_order.status). */
export type McfStatus = "requested" | "processing" | "held" | "complete" | "complete_partial" | "cancelled" | "unfulfillable" | "invalid" | "refused"

/**
 * The order id Amazon gets: derived from the Medusa fulfillment, so the same fulfillment always names the same
 * MCF order and a retry finds the one Amazon has. Amazon keeps the seller's order ids unique and short (the
 * classic API allows 40 characters; Medusa's ids are 30).
 */
export function mcfOrderIdFor(fulfillmentId: string): string {
  const id = `mdsa-${fulfillmentId}`
  if (id.length > 40 || !/^[A-Za-z0-9_-]+$/.test(id)) {
    throw new Error(`Cannot derive an MCF order id from fulfillment ${fulfillmentId}`)
  }
  return id
}

export interface McfOrderInput {
  mcf_order_id: string
  /** The country of the FBA stock it ships from (the marketplace's): Amazon's `origin`. */
  origin_country_code: string
  /** Shown to Amazon as the order's channel (e.g. the store's name). */
  channel?: string
  service_tier: McfServiceTier
  action: McfAction
  policy: McfPolicy
  blank_box: boolean
  block_amazon_logistics: boolean
  address: {
    name: string
    company?: string | null
    address_1: string
    address_2?: string | null
    city?: string | null
    province?: string | null
    postal_code: string
    country_code: string
    phone?: string | null
  }
  email?: string | null
  currency_code: string
  lines: { line_id: string; seller_sku: string; quantity: number; unit_price?: number | null }[]
}

const money = (amount: number, currency: string) => ({ amount: amount.toFixed(2), currencyCode: currency.toUpperCase() })

export function buildMcfCreateOrder(input: McfOrderInput): McfCreateOrderRequest {
  const a = input.address
  return {
    orderId: input.mcf_order_id,
    ...(input.channel ? { channel: input.channel.slice(0, 40) } : {}),
    fulfillmentConfiguration: {
      serviceLevel: { serviceTiers: [input.service_tier] },
      action: input.action,
      policy: input.policy,
      services: {
        // UNBRANDED = "blank box": no Amazon branding on the parcel
        packaging: { packagingOption: input.blank_box ? "UNBRANDED" : "ANY" },
        // the 2026-07-04 model leaves its additional services open; BLOCK_AMZL is the classic API's feature name
        additional: input.block_amazon_logistics ? { BLOCK_AMZL: "REQUIRED" } : {},
      },
    },
    origin: { countryCode: input.origin_country_code.toUpperCase() },
    destination: {
      deliveryAddress: {
        // (the model has no company field: it goes on the second line)
        name: a.name.slice(0, 50),
        addressLine1: a.address_1,
        ...(a.address_2 || a.company ? { addressLine2: [a.company, a.address_2].filter(Boolean).join(", ") } : {}),
        ...(a.city ? { city: a.city } : {}),
        ...(a.province ? { stateOrRegion: a.province } : {}),
        postalCode: a.postal_code,
        countryCode: a.country_code.toUpperCase(),
        ...(a.phone ? { phone: a.phone } : {}),
        ...(input.email ? { email: input.email } : {}),
      },
    },
    lineItems: input.lines.map((l) => ({
      lineItemId: l.line_id,
      product: {
        productIdentifier: { amazonSku: l.seller_sku },
        ...(l.unit_price != null ? { perUnitDeclaredValue: money(l.unit_price, input.currency_code) } : {}),
      },
      amount: { unit: "EACHES", value: String(l.quantity) },
    })),
  }
}

export interface McfPackage {
  package_id: string
  status: string | null
  carrier_code: string | null
  tracking_number: string | null
  tracking_url: string | null
  ship_time: string | null
  delivery_time: string | null
  /** line id → units in this package */
  items: Record<string, number>
}

export interface McfOrderState {
  status: McfStatus
  amazon_status: string
  packages: McfPackage[]
  /** Per line: ordered, cancelled and unfulfillable units as Amazon reports them. */
  lines: Record<string, { quantity: number; cancelled: number; unfulfillable: number }>
  all_delivered: boolean
}

const num = (v: unknown) => (v == null ? 0 : Number((v as { value?: unknown }).value ?? v) || 0)

/** What an MCF order is now, from getOrder (or createOrder's answer). */
export function readMcfOrder(order: McfFulfillmentOrder): McfOrderState {
  const amazonStatus = String(order.status ?? "PROCESSING")
  const action = (order.fulfillmentConfiguration as { action?: string } | undefined)?.action
  const lines: McfOrderState["lines"] = {}
  for (const l of order.lineItems ?? []) {
    lines[l.lineItemId] = { quantity: num(l.amount), cancelled: num(l.cancelledAmount), unfulfillable: num(l.unfulfillableAmount) }
  }
  const packages: McfPackage[] = []
  for (const s of order.shipments ?? []) {
    if (s.status === "CANCELLED") continue
    const byPackage = new Map<string, Record<string, number>>()
    for (const item of s.items ?? []) {
      if (!item.packageId) continue
      const m = byPackage.get(item.packageId) ?? {}
      m[item.lineItemId] = (m[item.lineItemId] ?? 0) + num(item.amount)
      byPackage.set(item.packageId, m)
    }
    for (const p of s.packages ?? []) {
      const t = p.tracking?.carrier
      packages.push({
        package_id: p.packageId,
        status: p.status ?? null,
        carrier_code: t?.carrierCode ?? null,
        tracking_number: t?.trackingNumber ?? p.tracking?.amazon?.trackingNumber ?? null,
        tracking_url: t?.trackingUrl ?? p.tracking?.amazon?.trackingUrl ?? null,
        ship_time: s.status === "SHIPPED" ? s.shipTime ?? null : null,
        delivery_time: p.deliveryTime ?? s.deliveryTime ?? null,
        items: byPackage.get(p.packageId) ?? {},
      })
    }
  }
  const shipped = packages.filter((p) => p.ship_time || (p.status && p.status !== "PROCESSING"))
  const status: McfStatus =
    amazonStatus === "COMPLETE"
      ? "complete"
      : amazonStatus === "COMPLETE_PARTIAL"
        ? "complete_partial"
        : amazonStatus === "CANCELLED"
          ? "cancelled"
          : amazonStatus === "UNFULFILLABLE"
            ? "unfulfillable"
            : amazonStatus === "INVALID"
              ? "invalid"
              : action === "HOLD"
                ? "held"
                : "processing"
  return {
    status,
    amazon_status: amazonStatus,
    packages,
    lines,
    all_delivered: shipped.length > 0 && shipped.every((p) => p.status === "DELIVERED"),
  }
}
