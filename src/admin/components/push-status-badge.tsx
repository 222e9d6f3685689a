import { StatusBadge, Tooltip } from "@medusajs/ui"
import type { AmazonPushStatus } from "../../types/http"

const COLORS: Record<AmazonPushStatus, "grey" | "orange" | "green" | "red"> = {
  idle: "grey",
  pending: "orange",
  accepted: "green",
  error: "red",
}

const LABELS: Record<AmazonPushStatus, string> = {
  idle: "Not pushed",
  pending: "Pending at Amazon",
  accepted: "Accepted",
  error: "Error",
}

/** The push state of a listing; an error shows Amazon's code and message on hover. */
export const PushStatusBadge = ({ status, error, code }: { status: AmazonPushStatus; error?: string | null; code?: string | null }) => {
  const badge = <StatusBadge color={COLORS[status]}>{LABELS[status]}</StatusBadge>
  if (status === "error" && (error || code)) {
    return <Tooltip content={`${code ? `${code}: ` : ""}${error ?? ""}`}>{badge}</Tooltip>
  }
  return badge
}
