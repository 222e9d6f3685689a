import { StatusBadge, Tooltip } from "@medusajs/ui"
import type { AmazonPushStatus } from "../../types/http"

const COLORS: Record<AmazonPushStatus, "grey" | "orange" | "green" | "red"> = {
  idle: "grey",
  pending: "orange",
  accepted: "green",
  error: "red",
}

const LABELS: Record<AmazonPushStatus, string> = {
  idle: "Nothing sent yet",
  pending: "Pending at Amazon",
  accepted: "Accepted",
  error: "Error",
}

/**
 * The push state of a listing; an error shows Amazon's code and message on hover. An FBA listing is never
 * pushed (Amazon owns its quantity), which is said as such rather than as "nothing sent".
 */
export const PushStatusBadge = ({
  status,
  error,
  code,
  channel,
}: {
  status: AmazonPushStatus
  error?: string | null
  code?: string | null
  channel?: "MERCHANT" | "AMAZON"
}) => {
  if (channel === "AMAZON" && status === "idle") {
    return <StatusBadge color="blue">Managed by Amazon</StatusBadge>
  }
  const badge = <StatusBadge color={COLORS[status]}>{LABELS[status]}</StatusBadge>
  if (status === "error" && (error || code)) {
    return <Tooltip content={`${code ? `${code}: ` : ""}${error ?? ""}`}>{badge}</Tooltip>
  }
  return badge
}
