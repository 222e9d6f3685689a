/** SP-API regions and their endpoints (FACTS.md §2). Amazon's regions, not Medusa's: an account's `region` column and HTTP field hold one. */
export const AMAZON_REGIONS = ["NA", "EU", "FE"] as const
export type AmazonRegion = (typeof AMAZON_REGIONS)[number]

export const PRODUCTION_ENDPOINTS: Record<AmazonRegion, string> = {
  NA: "https://sellingpartnerapi-na.amazon.com",
  EU: "https://sellingpartnerapi-eu.amazon.com",
  FE: "https://sellingpartnerapi-fe.amazon.com",
}

export const SANDBOX_ENDPOINTS: Record<AmazonRegion, string> = {
  NA: "https://sandbox.sellingpartnerapi-na.amazon.com",
  EU: "https://sandbox.sellingpartnerapi-eu.amazon.com",
  FE: "https://sandbox.sellingpartnerapi-fe.amazon.com",
}

export const LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"

export interface EndpointOverrides {
  /** Base URL of the SP-API (Amazon's sandbox or the local simulator), without a trailing slash. */
  spApiBaseUrl?: string | null
  /** LWA token endpoint. */
  lwaTokenUrl?: string | null
}

export interface ResolvedEndpoints {
  spApiBaseUrl: string
  lwaTokenUrl: string
}

/**
 * Where an account's credentials may be sent. Amazon's own hosts (every region's production and sandbox
 * SP-API host, and Login with Amazon) always; anything else only when the store's configuration names its
 * origin (`allowedEndpoints`) or allows loopback hosts for development (`allowLoopbackEndpoints`). Admin
 * input alone never widens it: this is what keeps the LWA secret and refresh token from being sent to a
 * host chosen by whoever holds an admin session.
 */
export interface EndpointPolicyConfig {
  allowedEndpoints?: readonly string[]
  allowLoopbackEndpoints?: boolean
}

/** LWA token hosts Amazon documents (api.amazon.com for every region; the regional ones still answer). */
const LWA_HOSTS = ["https://api.amazon.com", "https://api.amazon.co.uk", "https://api.amazon.co.jp"]

const AMAZON_ORIGINS = new Set<string>([
  ...Object.values(PRODUCTION_ENDPOINTS),
  ...Object.values(SANDBOX_ENDPOINTS),
  ...LWA_HOSTS,
])

/** `https://host[:port]` of a URL, normalised by the WHATWG parser (hex/octal IPs, case, default ports), or null. */
export function endpointOrigin(url: string): string | null {
  try {
    const u = new URL(url)
    if (u.protocol !== "https:" && u.protocol !== "http:") return null
    if (u.username || u.password) return null
    return u.origin
  } catch {
    return null
  }
}

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase()
  if (h === "localhost" || h.endsWith(".localhost") || h === "[::1]") return true
  // the WHATWG parser has already turned 0x7f.1, 2130706433 … into dotted decimal
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/** Why `url` may not receive an account's credentials, or null when it may. */
export function endpointRefusal(url: string, policy: EndpointPolicyConfig): string | null {
  const origin = endpointOrigin(url)
  if (!origin) {
    return "is not an http(s) URL without user info"
  }
  if (AMAZON_ORIGINS.has(origin)) {
    return null
  }
  const allowed = (policy.allowedEndpoints ?? []).map(endpointOrigin).filter((o): o is string => Boolean(o))
  if (allowed.includes(origin)) {
    return null
  }
  if (policy.allowLoopbackEndpoints && isLoopbackHost(new URL(url).hostname)) {
    return null
  }
  return (
    `points at ${origin}, which is neither Amazon nor an endpoint this store's configuration allows ` +
    `(plugin option "allowedEndpoints")`
  )
}

/** Amazon's own SP-API host of a region: production, or the sandbox for sandbox apps. */
export function amazonSpApiHost(region: AmazonRegion, sandbox = false): string {
  return (sandbox ? SANDBOX_ENDPOINTS : PRODUCTION_ENDPOINTS)[region]
}

export function resolveEndpoints(region: AmazonRegion, overrides: EndpointOverrides = {}): ResolvedEndpoints {
  return {
    spApiBaseUrl: (overrides.spApiBaseUrl || PRODUCTION_ENDPOINTS[region]).replace(/\/+$/, ""),
    lwaTokenUrl: overrides.lwaTokenUrl || LWA_TOKEN_URL,
  }
}

/** Marketplaces we know by id: country, currency and region (for the admin and order import). */
export const MARKETPLACES: Record<string, { country: string; currency: string; region: AmazonRegion; name: string }> = {
  ATVPDKIKX0DER: { country: "US", currency: "USD", region: "NA", name: "Amazon.com" },
  A2EUQ1WTGCTBG2: { country: "CA", currency: "CAD", region: "NA", name: "Amazon.ca" },
  A1AM78C64UM0Y8: { country: "MX", currency: "MXN", region: "NA", name: "Amazon.com.mx" },
  A2Q3Y263D00KWC: { country: "BR", currency: "BRL", region: "NA", name: "Amazon.com.br" },
  A1F83G8C2ARO7P: { country: "GB", currency: "GBP", region: "EU", name: "Amazon.co.uk" },
  A1PA6795UKMFR9: { country: "DE", currency: "EUR", region: "EU", name: "Amazon.de" },
  A13V1IB3VIYZZH: { country: "FR", currency: "EUR", region: "EU", name: "Amazon.fr" },
  APJ6JRA9NG5V4: { country: "IT", currency: "EUR", region: "EU", name: "Amazon.it" },
  A1RKKUPIHCS9HS: { country: "ES", currency: "EUR", region: "EU", name: "Amazon.es" },
  A1805IZSGTT6HS: { country: "NL", currency: "EUR", region: "EU", name: "Amazon.nl" },
  A2NODRKZP88ZB9: { country: "SE", currency: "SEK", region: "EU", name: "Amazon.se" },
  A1C3SOZRARQ6R3: { country: "PL", currency: "PLN", region: "EU", name: "Amazon.pl" },
  AMEN7PMS3EDWL: { country: "BE", currency: "EUR", region: "EU", name: "Amazon.com.be" },
  A28R8C7NBKEWEA: { country: "IE", currency: "EUR", region: "EU", name: "Amazon.ie" },
  A33AVAJ2PDY3EV: { country: "TR", currency: "TRY", region: "EU", name: "Amazon.com.tr" },
  A2VIGQ35RCS4UG: { country: "AE", currency: "AED", region: "EU", name: "Amazon.ae" },
  A17E79C6D8DWNP: { country: "SA", currency: "SAR", region: "EU", name: "Amazon.sa" },
  ARBP9OOSHTCHU: { country: "EG", currency: "EGP", region: "EU", name: "Amazon.eg" },
  A21TJRUUN4KGV: { country: "IN", currency: "INR", region: "EU", name: "Amazon.in" },
  AE08WJ6YKNBMC: { country: "ZA", currency: "ZAR", region: "EU", name: "Amazon.co.za" },
  A1VC38T7YXB528: { country: "JP", currency: "JPY", region: "FE", name: "Amazon.co.jp" },
  A39IBJ37TRP1C6: { country: "AU", currency: "AUD", region: "FE", name: "Amazon.com.au" },
  A19VAU5U5O7RUS: { country: "SG", currency: "SGD", region: "FE", name: "Amazon.sg" },
}

/** "Amazon.de" for a known marketplace, its id otherwise (for messages a merchant reads). */
export function marketplaceLabel(marketplaceId: string): string {
  return MARKETPLACES[marketplaceId]?.name ?? marketplaceId
}

/**
 * The order's page in Seller Central (its marketplace's own Seller Central host, e.g.
 * sellercentral.amazon.de for Amazon.de, and the orders-v3 order page path). Null for an unknown
 * marketplace.
 */
export function sellerCentralOrderUrl(marketplaceId: string, amazonOrderId: string): string | null {
  const m = MARKETPLACES[marketplaceId]
  if (!m) return null
  return `https://sellercentral.${m.name.toLowerCase()}/orders-v3/order/${encodeURIComponent(amazonOrderId)}`
}
