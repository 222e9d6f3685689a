import { Badge, Button, Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { ago } from "../lib/format"
import type { AdminAmazonAccountVerdict, AdminAmazonNotificationSummary, AdminAmazonStatus } from "../../types/http"

const STATE: Record<AdminAmazonAccountVerdict["state"], { label: string; color: "green" | "orange" | "red" }> = {
  healthy: { label: "Healthy", color: "green" },
  delayed: { label: "Delayed", color: "orange" },
  action_needed: { label: "Action needed", color: "red" },
}

/** Where the verdict's next step is done. Anchors are sections of the dashboard itself. */
function ActionLink({ action }: { action: AdminAmazonAccountVerdict["action"] }) {
  switch (action) {
    case "listings":
      return (
        <Button size="small" variant="secondary" asChild>
          <Link to="/amazon/listings?push_status=error">Open listings with errors</Link>
        </Button>
      )
    case "orders":
      return (
        <Button size="small" variant="secondary" asChild>
          <a href="#amazon-attention">Show the orders</a>
        </Button>
      )
    case "feeds":
      return (
        <Button size="small" variant="secondary" asChild>
          <a href="#amazon-feeds">Show the feeds</a>
        </Button>
      )
    case "settings":
      return (
        <Button size="small" variant="secondary" asChild>
          <Link to="/settings/amazon">Open settings</Link>
        </Button>
      )
    default:
      return null
  }
}

const NOTE_COLOR: Record<AdminAmazonNotificationSummary["health"], "green" | "orange" | "red" | "grey" | "blue"> = {
  live: "green",
  quiet: "orange",
  error: "red",
  starting: "blue",
  off: "grey",
}

/** Whether Amazon's notifications reach the store, and that polling covers when they do not. */
function NotificationLine({ n }: { n: AdminAmazonNotificationSummary }) {
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="amazon-verdict-notifications" data-health={n.health}>
      <Badge size="2xsmall" color={NOTE_COLOR[n.health]}>
        {n.on ? `Notifications: ${n.health}` : "Notifications off"}
      </Badge>
      <Text size="small" className="text-ui-fg-subtle">
        {n.on
          ? `${n.received_24h} received, ${n.applied_24h} applied in 24 h · last ${n.last_message_at ? ago(n.last_message_at) : "none yet"}. ${n.health === "live" ? "" : n.health_text}`
          : "Orders are polled (Amazon serves them 2 minutes after a change at the earliest). Set up notifications in Settings → Amazon for seconds."}
      </Text>
    </div>
  )
}

/**
 * The answer to "is it working?": one verdict per account — Healthy, Delayed or Action needed — with the
 * one reason that decides it and the next step, computed by the server from the same figures as the cards.
 */
export const AccountVerdicts = ({ status }: { status: AdminAmazonStatus }) => {
  if (!status.verdicts.length) return null
  const names = new Map(status.accounts.map((a) => [a.id, a.name]))
  const notes = new Map((status.notifications ?? []).map((n) => [n.account_id, n]))
  return (
    <div className="flex flex-col gap-y-3" data-testid="amazon-verdicts">
      {status.verdicts.map((v) => (
        <Container key={v.account_id} className="flex flex-col gap-y-2 px-6 py-4" data-testid="amazon-verdict" data-state={v.state}>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <StatusBadge color={STATE[v.state].color}>{STATE[v.state].label}</StatusBadge>
            <Heading level="h2">{names.get(v.account_id) ?? "Amazon account"}</Heading>
          </div>
          <Text size="small" weight="plus" data-testid="amazon-verdict-reason">
            {v.reason}
          </Text>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <Text size="small" className="text-ui-fg-subtle" data-testid="amazon-verdict-next">
              {v.next_step}
            </Text>
            <ActionLink action={v.action} />
          </div>
          {notes.get(v.account_id) && <NotificationLine n={notes.get(v.account_id)!} />}
        </Container>
      ))}
    </div>
  )
}
