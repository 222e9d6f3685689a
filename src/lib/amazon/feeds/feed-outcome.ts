/**
 * What a quantity feed came to, in one word the admin can show: a FATAL or cancelled feed reads as
 * failed even after its (empty) result was read, instead of "processed". Pure.
 */

export type FeedOutcome = "sending" | "at_amazon" | "stuck" | "reading_results" | "succeeded" | "partly_rejected" | "rejected" | "failed"

export interface FeedOutcomeInput {
  status: string
  stuck?: boolean | null
  message_count?: number | null
  accepted_count?: number | null
  error_count?: number | null
  error?: string | null
  /** The feed's stored summary; `processing_status` is Amazon's final status, kept when the result is read. */
  summary?: Record<string, unknown> | null
}

export function feedOutcome(feed: FeedOutcomeInput): FeedOutcome {
  switch (feed.status) {
    case "building":
    case "uploaded":
    case "submitted":
      return "sending"
    case "IN_QUEUE":
    case "IN_PROGRESS":
      return feed.stuck ? "stuck" : "at_amazon"
    case "DONE":
      return "reading_results"
    case "FATAL":
    case "CANCELLED":
    case "failed":
      return "failed"
  }
  // processed: Amazon's own final status decides first, then the per-SKU counts
  const amazonStatus = feed.summary?.processing_status
  const accepted = feed.accepted_count ?? 0
  const errors = feed.error_count ?? 0
  if (amazonStatus === "FATAL" || amazonStatus === "CANCELLED") return "failed"
  if (feed.error && accepted === 0) return "failed"
  if (errors > 0) return accepted > 0 ? "partly_rejected" : "rejected"
  return "succeeded"
}
