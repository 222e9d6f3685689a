import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import type { AdminAmazonMcfOrdersResponse, AdminAmazonMcfShippingResponse, AdminOfferAmazonMcfShipping, AdminReleaseAmazonMcfOrderResponse } from "../../../types/http"
import { amazonKeys } from "./amazon-keys"

/** The store's orders shipped by Amazon (MCF), newest first; refreshed every 30 s. */
export function useAmazonMcfOrders(query: { limit: number; offset: number; order_id?: string }) {
  return useQuery({
    queryKey: amazonKeys.mcfOrders.list(query),
    queryFn: () => sdk.client.fetch<AdminAmazonMcfOrdersResponse>("/admin/amazon/mcf-orders", { query }),
    refetchInterval: 30_000,
  })
}

export function useOfferAmazonMcfShipping(accountId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: AdminOfferAmazonMcfShipping) =>
      sdk.client.fetch<AdminAmazonMcfShippingResponse>(`/admin/amazon/accounts/${accountId}/mcf`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: amazonKeys.accounts.all }),
  })
}

/** Releases an MCF order on hold: Amazon ships it. */
export function useReleaseAmazonMcfOrder() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<AdminReleaseAmazonMcfOrderResponse>(`/admin/amazon/mcf-orders/${id}/release`, { method: "POST", body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: amazonKeys.mcfOrders.all }),
  })
}
