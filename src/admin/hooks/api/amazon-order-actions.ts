import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { AdminAmazonCancelOrderResponse, AdminAmazonOrderActionsResponse } from "../../../types/http"
import { sdk } from "../../lib/sdk"
import { amazonKeys, refreshSoon } from "./amazon-keys"

/** Query keys of an order's Amazon actions (beside the shared factories, under the same root). */
export const orderActionsKeys = {
  all: [...amazonKeys.all, "order-actions"] as const,
  detail: (orderId: string) => [...amazonKeys.all, "order-actions", orderId] as const,
}

/**
 * The Amazon side of a Medusa order (status, ship-by date, buyer's cancellation request) and every
 * shipment confirmation and cancellation sent for it. Polled while something is still on its way.
 */
export function useAmazonOrderActions(orderId: string) {
  return useQuery({
    queryKey: orderActionsKeys.detail(orderId),
    queryFn: () => sdk.client.fetch<AdminAmazonOrderActionsResponse>(`/admin/amazon/order-actions/${orderId}`),
    refetchInterval: (q) => {
      const data = q.state.data as AdminAmazonOrderActionsResponse | undefined
      return data?.actions.some((a) => a.status === "queued" || a.status === "sending") ? 10_000 : false
    },
  })
}

/** Cancels the order here and (through the order-actions job) at Amazon with the chosen reason. */
export function useCancelAmazonOrder(orderId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (reason: string) =>
      sdk.client.fetch<AdminAmazonCancelOrderResponse>(`/admin/amazon/order-actions/${orderId}/cancel`, { method: "POST", body: { reason } }),
    onSuccess: (data) => {
      qc.setQueryData(orderActionsKeys.detail(orderId), data)
      qc.invalidateQueries({ queryKey: amazonKeys.orders.all })
      // Medusa's own order page data (status, payments, reservations).
      qc.invalidateQueries({ queryKey: ["orders"] })
      refreshSoon(() => qc.invalidateQueries({ queryKey: orderActionsKeys.detail(orderId) }), [2000, 10000])
    },
  })
}
