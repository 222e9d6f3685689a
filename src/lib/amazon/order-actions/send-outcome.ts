/**
 * What becomes of an order action after a failed send: back to the queue with a backoff, or failed with
 * Amazon's reason and what the merchant should do. Pure (the caller passes the time and the randomness).
 */
import type { AmazonErrorKind } from "../errors"
import type { OrderActionKind } from "./types"

/** Sends (calls or feeds) before a retryable failure becomes final. */
export const MAX_SEND_ATTEMPTS = 8
const BASE_DELAY_MS = 60_000
const MAX_DELAY_MS = 60 * 60_000

export interface SendError {
  kind: AmazonErrorKind
  code: string
  message: string
  status?: number
}

export type SendDecision =
  | { status: "queued"; next_attempt_at: Date; code: string; message: string }
  | { status: "failed"; code: string; message: string }

/** Exponential backoff with jitter: 1, 2, 4 … minutes (capped at an hour), each in [half, full]. */
export function retryDelayMs(attempts: number, random: number): number {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1))
  return Math.round(exp / 2 + (Math.min(Math.max(random, 0), 1) * exp) / 2)
}

/** What the merchant does when Amazon refuses an action for good. */
export function whatToDo(kind: OrderActionKind): string {
  return kind === "cancel"
    ? "Cancel the order in Seller Central (or ship it), then check it there."
    : "Check the carrier, tracking number and items, and confirm the package in Seller Central."
}

/**
 * - fatal (Amazon refused: 4xx validation, unknown order item, wrong status): failed with Amazon's code and
 *   message and what to do;
 * - retryable (429, 5xx, network) and indeterminate (no answer after sending: the next attempt re-reads
 *   Amazon's state before it resends): queued again after a backoff, until MAX_SEND_ATTEMPTS, then failed.
 */
export function decideAfterError(input: {
  kind: OrderActionKind
  error: SendError
  /** Attempts made so far, this one included. */
  attempts: number
  now: Date
  random: number
}): SendDecision {
  const { error } = input
  if (error.kind === "fatal") {
    return { status: "failed", code: error.code, message: `Amazon refused: ${sentence(error.message)} ${whatToDo(input.kind)}` }
  }
  if (input.attempts >= MAX_SEND_ATTEMPTS) {
    return {
      status: "failed",
      code: error.code,
      message: `Gave up after ${input.attempts} attempts; the last one failed with ${error.code}: ${sentence(error.message)} ${whatToDo(input.kind)}`,
    }
  }
  return {
    status: "queued",
    next_attempt_at: new Date(input.now.getTime() + retryDelayMs(input.attempts, input.random)),
    code: error.code,
    message:
      error.kind === "indeterminate"
        ? `No answer from Amazon after sending (${error.message}); Amazon's state is checked before the next attempt.`
        : `${error.message} (attempt ${input.attempts} of ${MAX_SEND_ATTEMPTS}; retried automatically)`,
  }
}

/** Amazon's text as a sentence, so the advice after it reads as one. */
export function sentence(text: string): string {
  const t = text.trim()
  return /[.!?]$/.test(t) ? t : `${t}.`
}
