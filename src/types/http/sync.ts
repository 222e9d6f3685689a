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
  /** Where the run is, in words ("Amazon.de (2 of 3): Amazon is preparing its listings report"); null before the first step. */
  progress: string | null
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

/** A finished "sync now" (the last 24 hours). */
export interface AdminAmazonFinishedSync {
  id: string
  stream: string
  account_id: string | null
  ok: boolean
  /** The outcome in words (counts, or the failure). */
  message: string
  requested_by: string | null
  /** The admin user's e-mail, when the user still exists. */
  requested_by_email: string | null
  requested_at: string | null
  finished_at: string
}

/** GET /admin/amazon/sync: syncs running now (started from the admin) and the last day's outcomes. */
export interface AdminAmazonSyncActivityResponse {
  running: (AdminAmazonSyncClaim & { requested_by_email: string | null })[]
  recent: AdminAmazonFinishedSync[]
}
