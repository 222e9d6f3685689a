import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import type {
  AdminAmazonDriftChecksResponse,
  AdminAmazonFeedListResponse,
  AdminAmazonFeedMessageListResponse,
  AdminAmazonFeedResponse,
  AdminAmazonOrderListResponse,
  AdminAmazonResolveSyncLogsResponse,
  AdminAmazonRetryOrderResponse,
  AdminAmazonStatusResponse,
  AdminAmazonSyncResponse,
  AdminAmazonSyncActivityResponse,
  AdminRequestAmazonSyncBody,
  AdminResolveAmazonSyncLogsBody,
} from "../../../types/http"
import { amazonKeys, refreshSoon } from "./amazon-keys"

/** The dashboard summary; refreshed every 10 s while the page is open. */
export function useAmazonStatus(query: { account_id?: string; hours?: number } = {}) {
  return useQuery({
    queryKey: amazonKeys.status.detail("summary", query),
    queryFn: () => sdk.client.fetch<AdminAmazonStatusResponse>("/admin/amazon/status", { query }),
    refetchInterval: 10_000,
  })
}

/** "Amazon vs store": the latest comparison per account and marketplace; refreshed while one runs. */
export function useAmazonDriftChecks(query: { account_id?: string } = {}) {
  return useQuery({
    queryKey: amazonKeys.driftChecks.list(query),
    queryFn: () => sdk.client.fetch<AdminAmazonDriftChecksResponse>("/admin/amazon/drift-checks", { query }),
    refetchInterval: 10_000,
  })
}

export function useAmazonFeeds(query: { limit?: number; offset?: number; account_id?: string } = {}) {
  return useQuery({
    queryKey: amazonKeys.feeds.list(query),
    queryFn: () => sdk.client.fetch<AdminAmazonFeedListResponse>("/admin/amazon/feeds", { query }),
    refetchInterval: 10_000,
  })
}

export function useAmazonFeed(id: string | null) {
  return useQuery({
    queryKey: amazonKeys.feeds.detail(id ?? ""),
    queryFn: () => sdk.client.fetch<AdminAmazonFeedResponse>(`/admin/amazon/feeds/${id}`),
    enabled: !!id,
  })
}

export function useAmazonFeedMessages(id: string | null, query: { status?: string; limit?: number } = {}) {
  return useQuery({
    queryKey: amazonKeys.feedMessages.list({ id, ...query }),
    queryFn: () => sdk.client.fetch<AdminAmazonFeedMessageListResponse>(`/admin/amazon/feeds/${id}/messages`, { query }),
    enabled: !!id,
  })
}

export function useAmazonOrders(query: { import_status?: string; order_id?: string; limit?: number } = {}, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: amazonKeys.orders.list(query),
    queryFn: () => sdk.client.fetch<AdminAmazonOrderListResponse>("/admin/amazon/orders", { query }),
    enabled: options.enabled ?? true,
  })
}

export function useRetryAmazonOrder() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch<AdminAmazonRetryOrderResponse>(`/admin/amazon/orders/${id}/retry`, {
        method: "POST",
        body: {},
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: amazonKeys.orders.all })
      qc.invalidateQueries({ queryKey: amazonKeys.status.all })
    },
  })
}

/** Marks entries handled by id, or whole causes by group key (`groups` of the status' errors). */
export function useResolveAmazonSyncLogs() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: AdminResolveAmazonSyncLogsBody) =>
      sdk.client.fetch<AdminAmazonResolveSyncLogsResponse>("/admin/amazon/sync-logs/resolve", { method: "POST", body }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: amazonKeys.syncLogs.all })
      qc.invalidateQueries({ queryKey: amazonKeys.status.all })
    },
  })
}

/** Syncs started from the admin: running now (who, since when) and the last day's outcomes. */
export function useAmazonSyncActivity() {
  return useQuery({
    queryKey: amazonKeys.status.detail("sync-activity"),
    queryFn: () => sdk.client.fetch<AdminAmazonSyncActivityResponse>("/admin/amazon/sync"),
    refetchInterval: 5_000,
  })
}

/**
 * "Sync now": answered with 202 at once; the dashboard refreshes shortly after to show the outcome. 409
 * (FetchError status) while a sync of the same stream and account is still requested or running.
 */
export function useRequestAmazonSync() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: AdminRequestAmazonSyncBody) =>
      sdk.client.fetch<AdminAmazonSyncResponse>("/admin/amazon/sync", { method: "POST", body }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: amazonKeys.status.detail("sync-activity") })
      refreshSoon(() => qc.invalidateQueries({ queryKey: amazonKeys.all }))
    },
  })
}
