/**
 * Amazon marketplaces the simulator knows, with the values `getMarketplaceParticipations` reports.
 * Ids are Amazon's real marketplace ids (developer-docs: marketplace-ids).
 */

export type Region = "NA" | "EU" | "FE"

export interface MarketplaceInfo {
  id: string
  countryCode: string
  name: string
  defaultCurrencyCode: string
  defaultLanguageCode: string
  domainName: string
  region: Region
}

const LIST: MarketplaceInfo[] = [
  { id: "ATVPDKIKX0DER", countryCode: "US", name: "Amazon.com", defaultCurrencyCode: "USD", defaultLanguageCode: "en_US", domainName: "www.amazon.com", region: "NA" },
  { id: "A2EUQ1WTGCTBG2", countryCode: "CA", name: "Amazon.ca", defaultCurrencyCode: "CAD", defaultLanguageCode: "en_CA", domainName: "www.amazon.ca", region: "NA" },
  { id: "A1AM78C64UM0Y8", countryCode: "MX", name: "Amazon.com.mx", defaultCurrencyCode: "MXN", defaultLanguageCode: "es_MX", domainName: "www.amazon.com.mx", region: "NA" },
  { id: "A2Q3Y263D00KWC", countryCode: "BR", name: "Amazon.com.br", defaultCurrencyCode: "BRL", defaultLanguageCode: "pt_BR", domainName: "www.amazon.com.br", region: "NA" },
  { id: "A1PA6795UKMFR9", countryCode: "DE", name: "Amazon.de", defaultCurrencyCode: "EUR", defaultLanguageCode: "de_DE", domainName: "www.amazon.de", region: "EU" },
  // Amazon reports the ISO code GB for the UK store.
  { id: "A1F83G8C2ARO7P", countryCode: "GB", name: "Amazon.co.uk", defaultCurrencyCode: "GBP", defaultLanguageCode: "en_GB", domainName: "www.amazon.co.uk", region: "EU" },
  { id: "A13V1IB3VIYZZH", countryCode: "FR", name: "Amazon.fr", defaultCurrencyCode: "EUR", defaultLanguageCode: "fr_FR", domainName: "www.amazon.fr", region: "EU" },
  { id: "APJ6JRA9NG5V4", countryCode: "IT", name: "Amazon.it", defaultCurrencyCode: "EUR", defaultLanguageCode: "it_IT", domainName: "www.amazon.it", region: "EU" },
  { id: "A1RKKUPIHCS9HS", countryCode: "ES", name: "Amazon.es", defaultCurrencyCode: "EUR", defaultLanguageCode: "es_ES", domainName: "www.amazon.es", region: "EU" },
  { id: "A1805IZSGTT6HS", countryCode: "NL", name: "Amazon.nl", defaultCurrencyCode: "EUR", defaultLanguageCode: "nl_NL", domainName: "www.amazon.nl", region: "EU" },
  { id: "A2NODRKZP88ZB9", countryCode: "SE", name: "Amazon.se", defaultCurrencyCode: "SEK", defaultLanguageCode: "sv_SE", domainName: "www.amazon.se", region: "EU" },
  { id: "A1C3SOZRARQ6R3", countryCode: "PL", name: "Amazon.pl", defaultCurrencyCode: "PLN", defaultLanguageCode: "pl_PL", domainName: "www.amazon.pl", region: "EU" },
  { id: "AMEN7PMS3EDWL", countryCode: "BE", name: "Amazon.com.be", defaultCurrencyCode: "EUR", defaultLanguageCode: "fr_BE", domainName: "www.amazon.com.be", region: "EU" },
  { id: "A28R8C7NBKEWEA", countryCode: "IE", name: "Amazon.ie", defaultCurrencyCode: "EUR", defaultLanguageCode: "en_IE", domainName: "www.amazon.ie", region: "EU" },
  { id: "A33AVAJ2PDY3EV", countryCode: "TR", name: "Amazon.com.tr", defaultCurrencyCode: "TRY", defaultLanguageCode: "tr_TR", domainName: "www.amazon.com.tr", region: "EU" },
  { id: "A2VIGQ35RCS4UG", countryCode: "AE", name: "Amazon.ae", defaultCurrencyCode: "AED", defaultLanguageCode: "en_AE", domainName: "www.amazon.ae", region: "EU" },
  { id: "A21TJRUUN4KGV", countryCode: "IN", name: "Amazon.in", defaultCurrencyCode: "INR", defaultLanguageCode: "en_IN", domainName: "www.amazon.in", region: "EU" },
  { id: "A1VC38T7YXB528", countryCode: "JP", name: "Amazon.co.jp", defaultCurrencyCode: "JPY", defaultLanguageCode: "ja_JP", domainName: "www.amazon.co.jp", region: "FE" },
  { id: "A39IBJ37TRP1C6", countryCode: "AU", name: "Amazon.com.au", defaultCurrencyCode: "AUD", defaultLanguageCode: "en_AU", domainName: "www.amazon.com.au", region: "FE" },
  { id: "A19VAU5U5O7RUS", countryCode: "SG", name: "Amazon.sg", defaultCurrencyCode: "SGD", defaultLanguageCode: "en_SG", domainName: "www.amazon.sg", region: "FE" },
]

export const MARKETPLACES: ReadonlyMap<string, MarketplaceInfo> = new Map(LIST.map((m) => [m.id, m]))

export function getMarketplace(id: string): MarketplaceInfo | undefined {
  return MARKETPLACES.get(id)
}
