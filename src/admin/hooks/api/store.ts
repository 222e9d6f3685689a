import { useQuery } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import { amazonKeys } from "./amazon-keys"

/** Core store data the Amazon settings refer to (locations, channels, regions, variants). */

export function useStockLocations() {
  return useQuery({
    queryKey: amazonKeys.store.list({ kind: "stock-locations" }),
    queryFn: () => sdk.client.fetch<{ stock_locations: { id: string; name: string }[] }>("/admin/stock-locations", { query: { limit: 200, fields: "id,name" } }),
  })
}

export function useSalesChannels() {
  return useQuery({
    queryKey: amazonKeys.store.list({ kind: "sales-channels" }),
    queryFn: () => sdk.client.fetch<{ sales_channels: { id: string; name: string }[] }>("/admin/sales-channels", { query: { limit: 200, fields: "id,name" } }),
  })
}

export function useRegions() {
  return useQuery({
    queryKey: amazonKeys.store.list({ kind: "regions" }),
    queryFn: () => sdk.client.fetch<{ regions: { id: string; name: string; currency_code: string }[] }>("/admin/regions", { query: { limit: 200, fields: "id,name,currency_code" } }),
  })
}

export function useVariantSearch(q: string) {
  return useQuery({
    queryKey: amazonKeys.store.list({ kind: "variants", q }),
    queryFn: () =>
      sdk.client.fetch<{ variants: { id: string; sku: string | null; title: string; product?: { title: string } }[] }>("/admin/product-variants", {
        query: { q, limit: 20, fields: "id,sku,title,product.title" },
      }),
    enabled: q.trim().length > 0,
  })
}
