import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import { errorMessage } from "../../lib/format"
import type {
  AdminAmazonAccountDeleteResponse,
  AdminAmazonAccountListResponse,
  AdminAmazonAccountResponse,
  AdminAmazonAccountUpdateResponse,
  AdminAmazonOrderBackfillResponse,
  AdminAmazonTestConnectionResponse,
  AdminCreateAmazonAccountBody,
  AdminRequestAmazonOrderBackfillBody,
  AdminUpdateAmazonAccountBody,
} from "../../../types/http"
import { amazonKeys } from "./amazon-keys"

/**
 * Whether the server refused a settings change because it would set most stocked Amazon listings (or all)
 * to 0. The SDK's error keeps only the status and the message, so the message's request for the
 * confirm_zero_stock flag is what identifies it.
 */
export function isZeroStockRefusal(e: unknown): boolean {
  return (e as { status?: number })?.status === 400 && errorMessage(e).includes("confirm_zero_stock")
}

/** The refusal in the merchant's words, without the API instruction. */
export function zeroStockRefusalText(e: unknown): string {
  return errorMessage(e).replace(/\s*Send confirm_zero_stock: true to apply it anyway\.?\s*$/, "")
}

export function useAmazonAccounts() {
  return useQuery({
    queryKey: amazonKeys.accounts.list(),
    queryFn: () => sdk.client.fetch<AdminAmazonAccountListResponse>("/admin/amazon/accounts", { query: { limit: 100 } }),
  })
}

function useInvalidateAccounts() {
  const qc = useQueryClient()
  return () => {
    qc.invalidateQueries({ queryKey: amazonKeys.accounts.all })
    qc.invalidateQueries({ queryKey: amazonKeys.status.all })
  }
}

export function useCreateAmazonAccount() {
  const invalidate = useInvalidateAccounts()
  return useMutation({
    mutationFn: (body: AdminCreateAmazonAccountBody) => sdk.client.fetch<AdminAmazonAccountResponse>("/admin/amazon/accounts", { method: "POST", body }),
    onSuccess: invalidate,
  })
}

export function useUpdateAmazonAccount(id: string) {
  const invalidate = useInvalidateAccounts()
  return useMutation({
    mutationFn: (body: AdminUpdateAmazonAccountBody) => sdk.client.fetch<AdminAmazonAccountUpdateResponse>(`/admin/amazon/accounts/${id}`, { method: "POST", body }),
    onSuccess: invalidate,
  })
}

export function useDeleteAmazonAccount(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<AdminAmazonAccountDeleteResponse>(`/admin/amazon/accounts/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: amazonKeys.all }),
  })
}

export function useTestAmazonConnection(id: string) {
  const invalidate = useInvalidateAccounts()
  return useMutation({
    mutationFn: () => sdk.client.fetch<AdminAmazonTestConnectionResponse>(`/admin/amazon/accounts/${id}/test-connection`, { method: "POST", body: {} }),
    onSuccess: invalidate,
  })
}

/** The account's back-imports of older orders; polled every 5 s while one is queued or running. */
export function useAmazonOrderBackfill(id: string) {
  return useQuery({
    queryKey: amazonKeys.accounts.detail(id, { backfill: true }),
    queryFn: () => sdk.client.fetch<AdminAmazonOrderBackfillResponse>(`/admin/amazon/accounts/${id}/order-backfill`),
    refetchInterval: (query) =>
      query.state.data?.backfills.some((b) => b.status === "queued" || b.status === "running") ? 5_000 : false,
  })
}

export function useRequestAmazonOrderBackfill(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: AdminRequestAmazonOrderBackfillBody) =>
      sdk.client.fetch<AdminAmazonOrderBackfillResponse>(`/admin/amazon/accounts/${id}/order-backfill`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: amazonKeys.accounts.detail(id, { backfill: true }) }),
  })
}
