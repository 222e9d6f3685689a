/** amazon_sync_cursor.stream and amazon_sync_log.stream of this feature (cursor scope = marketplace id). */
export const FBA_STOCK_STREAM = "fba_stock"


/** Stock location metadata that marks a location as the plugin's FBA location of an account/marketplace. */
export const FBA_LOCATION_METADATA = {
  flag: "amazon_fba",
  account: "amazon_account_id",
  marketplace: "amazon_marketplace_id",
} as const

/** One lock per account + marketplace: an incremental pass and a full scan never run side by side. */
export function fbaStockLockKey(accountId: string, marketplaceId: string): string {
  return `amazon-fba-stock:${accountId}:${marketplaceId}`
}

/** Ids per database query / write batch: bulk, but far below PostgreSQL's parameter limit. */
export const FBA_BATCH = 500

export function chunked<T>(items: readonly T[], size = FBA_BATCH): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size))
  }
  return out
}

export type FbaSyncMode = "incremental" | "full"
