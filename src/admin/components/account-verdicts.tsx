import { Button, Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import type { AdminAmazonAccountVerdict, AdminAmazonStatus } from "../../types/http"

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

/**
 * The answer to "is it working?": one verdict per account — Healthy, Delayed or Action needed — with the
 * one reason that decides it and the next step, computed by the server from the same figures as the cards.
 */
export const AccountVerdicts = ({ status }: { status: AdminAmazonStatus }) => {
  if (!status.verdicts.length) return null
  const names = new Map(status.accounts.map((a) => [a.id, a.name]))
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
        </Container>
      ))}
    </div>
  )
}
