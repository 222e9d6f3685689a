/**
 * Sellers API v1 getMarketplaceParticipations.
 */
import type { components } from "../../src/lib/amazon/generated/sellers-v1"
import type { SpApiRoute } from "../context"
import { json } from "../http"
import { getMarketplace } from "../marketplaces"

type MarketplaceParticipation = components["schemas"]["MarketplaceParticipation"]

export const sellersRoutes: SpApiRoute[] = [
  {
    method: "GET",
    path: "/sellers/v1/marketplaceParticipations",
    operation: "sellers-v1.getMarketplaceParticipations",
    handler: (_ctx, req) => {
      const payload: MarketplaceParticipation[] = req.seller.marketplaceIds.flatMap((id) => {
        const m = getMarketplace(id)
        if (!m) return []
        return [
          {
            marketplace: {
              id: m.id,
              countryCode: m.countryCode,
              name: m.name,
              defaultCurrencyCode: m.defaultCurrencyCode,
              defaultLanguageCode: m.defaultLanguageCode,
              domainName: m.domainName,
            },
            participation: { isParticipating: true, hasSuspendedListings: false },
            storeName: req.seller.storeName,
          },
        ]
      })
      return json(200, { payload })
    },
  },
]
