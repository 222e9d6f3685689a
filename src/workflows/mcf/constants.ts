/** The Fulfillment Module's id of the plugin's MCF provider (identifier `amazon-mcf`, registered with id `amazon-mcf`). */
export const MCF_PROVIDER_ID = "amazon-mcf_amazon-mcf"

/** amazon_sync_log.stream of Multi-Channel Fulfillment. */
export const MCF_STREAM = "mcf"

/** One tracking pass at a time per account. */
export function mcfTrackingLockKey(accountId: string): string {
  return `amazon-mcf-tracking:${accountId}`
}
