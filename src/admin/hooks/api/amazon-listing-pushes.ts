import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import type { AdminAmazonListingExplainResponse, AdminAmazonListingPushListResponse } from "../../../types/http"
import { amazonKeys } from "./amazon-keys"

/**
 * Keys of a listing's push history and explanation, below the listings' own keys: every mutation that
 * invalidates the listings (rules, links, sync) refreshes them too.
 */
export const listingPushKeys = {
  all: [...amazonKeys.listings.all, "pushes"] as const,
  history: (listingId: string, page: { limit: number; offset: number }) => [...listingPushKeys.all, "history", listingId, page] as const,
  explain: (listingId: string) => [...listingPushKeys.all, "explain", listingId] as const,
}

/** One page of what was pushed for a listing (patches and feed messages, newest first). */
export function useAmazonListingPushes(listingId: string, page: { limit: number; offset: number }, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: listingPushKeys.history(listingId, page),
    queryFn: () => sdk.client.fetch<AdminAmazonListingPushListResponse>(`/admin/amazon/listings/${listingId}/pushes`, { query: page }),
    enabled: options.enabled ?? true,
    // the previous page stays on screen while the next one loads
    placeholderData: keepPreviousData,
  })
}

/** How the listing's quantity comes about and when the next push runs; refreshed each minute (the push job's pace). */
export function useAmazonListingExplain(listingId: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: listingPushKeys.explain(listingId),
    queryFn: () => sdk.client.fetch<AdminAmazonListingExplainResponse>(`/admin/amazon/listings/${listingId}/explain`),
    enabled: options.enabled ?? true,
    refetchInterval: 60_000,
  })
}
