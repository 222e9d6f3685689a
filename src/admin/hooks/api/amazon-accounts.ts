import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import { errorMessage } from "../../lib/format"
import type { AccountSettings, AccountUpdateResponse, AmazonAccount, ConnectionResult, ListResponse } from "../../lib/types"
import { amazonKeys } from "./amazon-keys"

export interface AccountInput {
  name?: string
  region?: string
  seller_id?: string
  marketplace_ids?: string[]
  lwa_client_id?: string
  /** Write-only: sent when the merchant typed one, never read back. */
  lwa_client_secret?: string
  refresh_token?: string
  sandbox?: boolean
  sp_api_base_url?: string | null
  lwa_token_url?: string | null
  enabled?: boolean
  /** A patch: a key set to null goes back to its default. */
  settings?: { [K in keyof AccountSettings]?: AccountSettings[K] | null }
  /** Apply a settings change the server refused because it sets most stocked listings to 0. */
  confirm_zero_stock?: boolean
}

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
    queryFn: () => sdk.client.fetch<{ accounts: AmazonAccount[] } & ListResponse>("/admin/amazon/accounts", { query: { limit: 100 } }),
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
    mutationFn: (body: AccountInput) => sdk.client.fetch<{ account: AmazonAccount }>("/admin/amazon/accounts", { method: "POST", body }),
    onSuccess: invalidate,
  })
}

export function useUpdateAmazonAccount(id: string) {
  const invalidate = useInvalidateAccounts()
  return useMutation({
    mutationFn: (body: AccountInput) => sdk.client.fetch<AccountUpdateResponse>(`/admin/amazon/accounts/${id}`, { method: "POST", body }),
    onSuccess: invalidate,
  })
}

export function useDeleteAmazonAccount(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ id: string; deleted: boolean }>(`/admin/amazon/accounts/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: amazonKeys.all }),
  })
}

export function useTestAmazonConnection(id: string) {
  const invalidate = useInvalidateAccounts()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ connection: ConnectionResult }>(`/admin/amazon/accounts/${id}/test-connection`, { method: "POST", body: {} }),
    onSuccess: invalidate,
  })
}
