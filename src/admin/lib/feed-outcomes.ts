import type { FeedOutcome } from "../../types/http"

/** A feed's outcome in a merchant's words (a FATAL feed reads as failed, whatever its lifecycle says). */
export const FEED_OUTCOMES: Record<FeedOutcome, { label: string; color: "green" | "orange" | "red" | "grey" | "blue" }> = {
  sending: { label: "Sending", color: "grey" },
  at_amazon: { label: "At Amazon", color: "blue" },
  stuck: { label: "Stuck at Amazon", color: "red" },
  reading_results: { label: "Reading result", color: "blue" },
  succeeded: { label: "Applied", color: "green" },
  partly_rejected: { label: "Partly refused", color: "orange" },
  rejected: { label: "Refused", color: "red" },
  failed: { label: "Failed", color: "red" },
}
