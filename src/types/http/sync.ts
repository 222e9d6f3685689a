/** POST /admin/amazon/sync ("sync now"; the listings import answers the same way). */
import type { AdminRequestAmazonSyncType } from "../../api/admin/amazon/sync/validators"

/** POST /admin/amazon/sync */
export type AdminRequestAmazonSyncBody = AdminRequestAmazonSyncType

/** What "sync now" can start. */
export type AmazonSyncStream = AdminRequestAmazonSyncBody["stream"]

/** A started sync, as in the amazon.sync_requested event (AmazonSyncRequestedEventData). */
export interface AdminAmazonSyncRequested {
  /** The claim the run holds (amzsync_…). */
  id: string
  stream: AmazonSyncStream
  account_id: string | null
  /** The accounts the claim holds. */
  account_ids: string[]
  requested_by: string | null
  requested_at: string
}

/** The sync that holds a stream, as shown in a 409. */
export interface AdminAmazonSyncClaim {
  id: string
  stream: AmazonSyncStream
  /** The account the request named; null = every enabled account. */
  account_id: string | null
  account_ids: string[]
  requested_by: string | null
  /** When the sync was requested (ISO). */
  started_at: string
  /** The claim counts until then unless renewed (ISO). */
  lease_until: string
}

/** 202 of POST /admin/amazon/sync and POST /admin/amazon/listings/import. */
export interface AdminAmazonSyncResponse {
  sync: AdminAmazonSyncRequested
}

/** 409 while a sync of the same stream and account is requested or running. */
export interface AdminAmazonSyncRunningError {
  type: string
  code: "sync_running"
  message: string
  running: AdminAmazonSyncClaim
}
