export { AmazonAccount } from "./amazon-account"
export { AmazonListing } from "./amazon-listing"
export { AmazonSyncCursor } from "./amazon-sync-cursor"
