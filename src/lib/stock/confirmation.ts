/**
 * Confirmation of an accepted quantity: Amazon's ACCEPTED (patch) or an accepted feed message is not the
 * same as the quantity being shown to buyers (FACTS §6, §13.3: "DONE/ACCEPTED but quantity unchanged").
 * After each acceptance the plugin reads the listing back (getListingsItem, fulfillmentAvailability) a few
 * times, each later than the one before, until Amazon shows the accepted quantity. Still another quantity
 * after the last read: the quantity is sent once more; another quantity after that, it is an error a
 * person must look at (Amazon does not apply it: Seller Central shows why, often a listing issue).
 *
 * Pure: the step (confirm-listing-quantities.ts) reads, calls Amazon and writes.
 */

/** Reads after an acceptance, ms after it: 5 s, 30 s, 2 min, 10 min. */
export const DEFAULT_CONFIRM_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000]

/** A re-push of a mismatch counts for this long: a second mismatch within it is reported, not re-pushed. */
export const REPUSH_MEMORY_MS = 24 * 3_600_000

/**
 * The read schedule: AMAZON_CONFIRM_DELAYS_MS (comma-separated ms, increasing) or the default;
 * AMAZON_CONFIRM_DELAYS_MS=off turns confirmation off (no getListingsItem call at all).
 */
export function confirmDelays(env: NodeJS.ProcessEnv = process.env): number[] {
  const raw = (env.AMAZON_CONFIRM_DELAYS_MS ?? "").trim()
  if (!raw) {
    return [...DEFAULT_CONFIRM_DELAYS_MS]
  }
  if (/^(off|false|disabled)$/i.test(raw)) {
    return []
  }
  const delays = raw.split(",").map((d) => Number(d.trim()))
  if (!delays.length || delays.some((d) => !Number.isFinite(d) || d < 0)) {
    return [...DEFAULT_CONFIRM_DELAYS_MS]
  }
  return delays.sort((a, b) => a - b)
}

/** When the first read of a just-accepted quantity is due (null: confirmation is off). */
export function firstConfirmDueAt(acceptedAt: Date, delays: readonly number[]): Date | null {
  return delays.length ? new Date(acceptedAt.getTime() + delays[0]) : null
}

/**
 * The listing fields that start the read-backs of a quantity Amazon just accepted (none when confirmation
 * is off: the listing keeps no due read).
 */
export function awaitingConfirmation(
  acceptedAt: Date,
  delays: readonly number[] = confirmDelays()
): { confirm_status: "waiting" | null; confirm_due_at: Date | null; confirm_attempts: number } {
  const due = firstConfirmDueAt(acceptedAt, delays)
  return { confirm_status: due ? "waiting" : null, confirm_due_at: due, confirm_attempts: 0 }
}

export interface ConfirmInput {
  /** The quantity Amazon accepted (what it should show). */
  accepted: number
  /** What Amazon shows now; null when the listing has no merchant quantity (or is gone). */
  shown: number | null
  acceptedAt: Date
  /** Reads of this acceptance before this one. */
  attempts: number
  /** When this listing's quantity was last sent again because of a mismatch. */
  repushedAt: Date | null
  now: Date
}

export type ConfirmVerdict =
  | { status: "confirmed" }
  /** Not shown yet: read again at due_at. */
  | { status: "waiting"; due_at: Date }
  /** Not shown after the last read: send the accepted quantity once more. */
  | { status: "mismatch" }
  /** Not shown after a re-push either: an error to act on. */
  | { status: "not_applied" }

export function judgeConfirmation(input: ConfirmInput, delays: readonly number[]): ConfirmVerdict {
  if (input.shown === input.accepted) {
    return { status: "confirmed" }
  }
  const next = input.attempts + 1
  if (next < delays.length) {
    // never earlier than a short while from now: a late run must not read twice in a row
    const due = Math.max(input.acceptedAt.getTime() + delays[next], input.now.getTime() + Math.min(delays[0] || 1_000, 5_000))
    return { status: "waiting", due_at: new Date(due) }
  }
  const repushedRecently = !!input.repushedAt && input.now.getTime() - input.repushedAt.getTime() < REPUSH_MEMORY_MS
  return repushedRecently ? { status: "not_applied" } : { status: "mismatch" }
}

/**
 * The merchant-fulfilled quantity in a getListingsItem answer (includedData=fulfillmentAvailability):
 * the entry whose fulfillmentChannelCode is DEFAULT. null when there is none (FBA-only, or no quantity set).
 */
export function shownMerchantQuantity(item: { fulfillmentAvailability?: { fulfillmentChannelCode?: string; quantity?: number }[] } | undefined): number | null {
  const entry = item?.fulfillmentAvailability?.find((f) => f.fulfillmentChannelCode === "DEFAULT")
  return typeof entry?.quantity === "number" ? entry.quantity : null
}
