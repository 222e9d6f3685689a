import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import type { AdminAmazonNotificationSetupResponse, AdminAmazonNotificationsResponse, AdminSetupAmazonNotifications } from "../../../types/http"
import { amazonKeys } from "./amazon-keys"

/** An account's notification set-up; refreshed every 15 s so the health and counts stay current. */
export function useAmazonNotificationSetup(accountId: string) {
  return useQuery({
    queryKey: amazonKeys.notifications.detail(accountId),
    queryFn: () => sdk.client.fetch<AdminAmazonNotificationSetupResponse>(`/admin/amazon/accounts/${accountId}/notifications`),
    refetchInterval: 15_000,
  })
}

/** The latest notifications of an account (no payloads). */
export function useAmazonNotifications(accountId: string, query: { status?: string; limit?: number } = {}) {
  return useQuery({
    queryKey: amazonKeys.notifications.list({ account_id: accountId, ...query }),
    queryFn: () => sdk.client.fetch<AdminAmazonNotificationsResponse>("/admin/amazon/notifications", { query: { account_id: accountId, limit: 10, ...query } }),
    refetchInterval: 15_000,
  })
}

function useInvalidate(accountId: string) {
  const qc = useQueryClient()
  return () => {
    qc.invalidateQueries({ queryKey: amazonKeys.notifications.all })
    qc.invalidateQueries({ queryKey: amazonKeys.status.all })
    qc.invalidateQueries({ queryKey: amazonKeys.accounts.detail(accountId) })
  }
}

export function useSetupAmazonNotifications(accountId: string) {
  const invalidate = useInvalidate(accountId)
  return useMutation({
    mutationFn: (body: AdminSetupAmazonNotifications) =>
      sdk.client.fetch<AdminAmazonNotificationSetupResponse>(`/admin/amazon/accounts/${accountId}/notifications`, { method: "POST", body }),
    onSuccess: invalidate,
  })
}

export function useRemoveAmazonNotifications(accountId: string) {
  const invalidate = useInvalidate(accountId)
  return useMutation({
    mutationFn: () => sdk.client.fetch<AdminAmazonNotificationSetupResponse>(`/admin/amazon/accounts/${accountId}/notifications`, { method: "DELETE" }),
    onSuccess: invalidate,
  })
}
