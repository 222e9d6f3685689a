import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import type {
  AdminAmazonAutoLinkResponse,
  AdminAmazonListingBatchResponse,
  AdminAmazonListingListResponse,
  AdminAmazonListingResponse,
  AdminAmazonListingsSuggestionsResponse,
  AdminAmazonListingSuggestionsResponse,
  AdminAmazonMappingImportResponse,
  AdminAmazonSyncResponse,
  AdminAutoLinkAmazonListingsBody,
  AdminBatchAmazonListingsBody,
  AdminImportAmazonListingMappingBody,
  AdminImportAmazonListingsBody,
  AdminLinkAmazonListingBody,
  AdminUpdateAmazonListingBody,
  AdminAmazonListingsQuery,
} from "../../../types/http"
import { amazonKeys, refreshSoon } from "./amazon-keys"

function clean(query: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ""))
}

export function useAmazonListings(query: AdminAmazonListingsQuery, options: { enabled?: boolean } = {}) {
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

/** One listing (for the link drawer opened from an order that needs attention). */
export function useAmazonListing(id: string | null) {
  return useQuery({
    queryKey: amazonKeys.listings.detail(id ?? ""),
    queryFn: () => sdk.client.fetch<AdminAmazonListingResponse>(`/admin/amazon/listings/${id}`),
    enabled: !!id,
  })
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

/** Up to 5 variants the listing probably sells, with the reasons. */
export function useAmazonListingSuggestions(id: string | null | undefined) {
  return useQuery({
    queryKey: amazonKeys.listings.detail(id ?? "", { kind: "suggestions" }),
    queryFn: () => sdk.client.fetch<AdminAmazonListingSuggestionsResponse>(`/admin/amazon/listings/${id}/suggestions`),
    enabled: !!id,
  })
}

/** The server answers 50 listings per request. */
const SUGGESTIONS_PER_REQUEST = 50

/** The suggestions of several listings (the bulk link drawer), by listing id. */
export function useAmazonListingsSuggestions(ids: string[], options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: amazonKeys.listings.list({ kind: "suggestions", ids }),
    queryFn: async () => {
      const out: AdminAmazonListingsSuggestionsResponse["suggestions"] = {}
      for (let i = 0; i < ids.length; i += SUGGESTIONS_PER_REQUEST) {
        const res = await sdk.client.fetch<AdminAmazonListingsSuggestionsResponse>("/admin/amazon/listings/suggestions", {
          query: { id: ids.slice(i, i + SUGGESTIONS_PER_REQUEST) },
        })
        Object.assign(out, res.suggestions)
      }
      return out
    },
    enabled: (options.enabled ?? true) && ids.length > 0,
  })
}

/** Links and unlinks many listings at once; all or nothing (a 400 lists each refused listing). */
export function useBatchAmazonListings() {
  const invalidate = useInvalidateListings()
  return useMutation({
    mutationFn: (body: AdminBatchAmazonListingsBody) =>
      sdk.client.fetch<AdminAmazonListingBatchResponse>("/admin/amazon/listings/batch", { method: "POST", body }),
    onSuccess: invalidate,
  })
}

/** Downloads the mapping file (CSV) of one account, or of all. */
export async function downloadAmazonListingMapping(accountId?: string) {
  const res = await sdk.client.fetch<Response>("/admin/amazon/listings/mapping/export", {
    query: accountId ? { account_id: accountId } : {},
    headers: { accept: "text/csv" },
  })
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "amazon-mapping.csv"
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement("a")
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Previews (dry_run) or applies a mapping file; applying refreshes the lists. */
export function useImportAmazonListingMapping() {
  const invalidate = useInvalidateListings()
  return useMutation({
    mutationFn: (body: AdminImportAmazonListingMappingBody) =>
      sdk.client.fetch<AdminAmazonMappingImportResponse>("/admin/amazon/listings/mapping/import", { method: "POST", body }),
    onSuccess: (res) => {
      if (res.applied) invalidate()
    },
  })
}
