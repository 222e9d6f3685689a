import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import type {
  AdminAmazonAutoLinkResponse,
  AdminAmazonListingListResponse,
  AdminAmazonListingResponse,
  AdminAmazonSyncResponse,
  AdminAutoLinkAmazonListingsBody,
  AdminImportAmazonListingsBody,
  AdminLinkAmazonListingBody,
  AdminUpdateAmazonListingBody,
} from "../../../types/http"
import { amazonKeys, refreshSoon } from "./amazon-keys"

export interface ListingsQuery {
  account_id?: string
  marketplace_id?: string
  fulfillment_channel?: "MERCHANT" | "AMAZON"
  push_status?: string
  q?: string
  linked?: boolean
  variant_id?: string
  limit?: number
  offset?: number
}

function clean(query: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ""))
}

export function useAmazonListings(query: ListingsQuery, options: { enabled?: boolean } = {}) {
  const q = clean(query as Record<string, unknown>)
  return useQuery({
    queryKey: amazonKeys.listings.list(q),
    queryFn: () => sdk.client.fetch<AdminAmazonListingListResponse>("/admin/amazon/listings", { query: q }),
    enabled: options.enabled ?? true,
  })
}

function useInvalidateListings() {
  const qc = useQueryClient()
  return () => {
    qc.invalidateQueries({ queryKey: amazonKeys.listings.all })
    qc.invalidateQueries({ queryKey: amazonKeys.status.all })
  }
}

export function useLinkAmazonListing() {
  const invalidate = useInvalidateListings()
  return useMutation({
    mutationFn: ({ id, variant_id }: { id: string } & AdminLinkAmazonListingBody) =>
      sdk.client.fetch<AdminAmazonListingResponse>(`/admin/amazon/listings/${id}/link`, { method: "POST", body: { variant_id } }),
    onSuccess: invalidate,
  })
}

export function useUnlinkAmazonListing() {
  const invalidate = useInvalidateListings()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<AdminAmazonListingResponse>(`/admin/amazon/listings/${id}/link`, { method: "DELETE" }),
    onSuccess: invalidate,
  })
}

/** Replaces the SKU's rules with the complete set sent; null clears them (the account's rules apply). */
export function useSetAmazonListingRules() {
  const invalidate = useInvalidateListings()
  return useMutation({
    mutationFn: ({ id, rules }: { id: string } & AdminUpdateAmazonListingBody) =>
      sdk.client.fetch<AdminAmazonListingResponse>(`/admin/amazon/listings/${id}`, { method: "POST", body: { rules } }),
    onSuccess: invalidate,
  })
}

export function useAutoLinkAmazonListings() {
  const invalidate = useInvalidateListings()
  return useMutation({
    mutationFn: (body: AdminAutoLinkAmazonListingsBody) =>
      sdk.client.fetch<AdminAmazonAutoLinkResponse>("/admin/amazon/listings/auto-link", {
        method: "POST",
        body,
      }),
    onSuccess: invalidate,
  })
}

export function useImportAmazonListings() {
  const invalidate = useInvalidateListings()
  return useMutation({
    mutationFn: (body: AdminImportAmazonListingsBody) =>
      sdk.client.fetch<AdminAmazonSyncResponse>("/admin/amazon/listings/import", { method: "POST", body }),
    // the import runs in the background after the 202
    onSuccess: () => refreshSoon(invalidate),
  })
}
