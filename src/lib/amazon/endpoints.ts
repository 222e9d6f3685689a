/** SP-API regions and their endpoints (FACTS.md §2). */
export const REGIONS = ["NA", "EU", "FE"] as const
export type AmazonRegion = (typeof REGIONS)[number]

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
