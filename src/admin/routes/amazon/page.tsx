import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ChartBar } from "@medusajs/icons"
import { Alert, Badge, Button, Container, Heading, StatusBadge, Table, Text, toast } from "@medusajs/ui"
import { useState, type ReactNode } from "react"
import { Link } from "react-router-dom"
import { FeedDrawer } from "../../components/feed-drawer"
import { LagChart } from "../../components/lag-chart"
import { Section } from "../../components/section"
import {
  useAmazonFeeds,
  useAmazonOrders,
  useAmazonStatus,
  useRequestAmazonSync,
  useResolveAmazonSyncLogs,
  useRetryAmazonOrder,
} from "../../hooks/api/amazon-sync"
import { ago, duration, errorMessage, errorStatus, marketplaceName } from "../../lib/format"
import type { AmazonSyncStream } from "../../../types/http"

const SYNC_ACTIONS: { stream: AmazonSyncStream; label: string }[] = [
  { stream: "stock_push", label: "Push stock now" },
  { stream: "feed_results", label: "Check feed results" },
  { stream: "orders", label: "Import orders now" },
  { stream: "fba_stock", label: "Sync FBA stock" },
  { stream: "reconcile", label: "Full stock check" },
]

const FEED_COLORS: Record<string, "green" | "orange" | "red" | "grey" | "blue"> = {
  processed: "green",
  DONE: "green",
  IN_QUEUE: "orange",
  IN_PROGRESS: "orange",
  submitted: "orange",
  uploaded: "orange",
  building: "grey",
  FATAL: "red",
  CANCELLED: "grey",
  failed: "red",
}

const Tile = ({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string }) => (
  <Container className="flex flex-col gap-y-1 px-6 py-4" data-testid={testId}>
    <Text size="xsmall" className="text-ui-fg-muted uppercase">
      {label}
    </Text>
    <div className="txt-xlarge-plus text-ui-fg-base">{value}</div>
    {hint && (
      <Text size="xsmall" className="text-ui-fg-subtle">
        {hint}
      </Text>
    )}
  </Container>
)

/** The "Amazon sync" dashboard: is stock reaching Amazon, are orders coming in, what needs a person. */
const AmazonSyncDashboard = () => {
  const { data, isLoading, error } = useAmazonStatus({ hours: 24 })
  const { data: feeds } = useAmazonFeeds({ limit: 10 })
  const { data: attention } = useAmazonOrders({ import_status: "needs_attention", limit: 20 })
  const sync = useRequestAmazonSync()
  const resolve = useResolveAmazonSyncLogs()
  const retry = useRetryAmazonOrder()
  const [feedId, setFeedId] = useState<string | null>(null)
  const status = data?.status

  const startSync = async (stream: AmazonSyncStream, label: string) => {
    try {
      await sync.mutateAsync({ stream })
      toast.success(`${label}: started`, { description: "Runs in the background; this page updates when it is done." })
    } catch (e) {
      if (errorStatus(e) === 409) {
        // one sync per stream and account: the one already running will show its outcome here
        toast.info(`${label}: already running`, { description: errorMessage(e) })
      } else {
        toast.error(`${label}: not started`, { description: errorMessage(e) })
      }
    }
  }

  const retryOrder = async (id: string, amazonOrderId: string) => {
    try {
      const res = await retry.mutateAsync(id)
      if (res.outcome === "imported") {
        toast.success(`Order ${amazonOrderId} imported`)
      } else {
        toast.warning(`Order ${amazonOrderId}: ${res.outcome}`, { description: res.amazon_order.attention_reason ?? res.error ?? undefined })
      }
    } catch (e) {
      toast.error(`Order ${amazonOrderId} could not be retried`, { description: errorMessage(e) })
    }
  }

  if (isLoading) {
    return (
      <Container>
        <Text>Loading the sync status…</Text>
      </Container>
    )
  }
  if (error || !status) {
    return (
      <Container>
        <Text className="text-ui-fg-error">Could not load the sync status: {errorMessage(error)}</Text>
      </Container>
    )
  }

  const lag = Math.max(status.figures.push_lag_seconds, status.figures.confirmation_lag_seconds)
  const throttleColor = status.throttle.state === "ok" ? "green" : status.throttle.state === "throttled" ? "orange" : "red"
  const throttleText = status.throttle.state === "ok" ? "OK" : status.throttle.state === "throttled" ? "Throttled" : "Sustained"

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="flex flex-col gap-y-3 px-6 py-4">
        <div className="flex items-start justify-between gap-x-4">
          <div>
            <Heading level="h1">Amazon sync</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              {status.accounts.length === 0
                ? "No Amazon account is connected yet."
                : status.accounts.map((a) => `${a.name} (${a.marketplace_ids.map(marketplaceName).join(", ")})`).join("; ")}
            </Text>
          </div>
          <div className="flex gap-x-2">
            <Button size="small" variant="secondary" asChild>
              <Link to="/amazon/listings">Listings &amp; SKU mapping</Link>
            </Button>
            <Button size="small" variant="secondary" asChild>
              <Link to="/settings/amazon">Settings</Link>
            </Button>
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          {SYNC_ACTIONS.map((a) => (
            <Button
              key={a.stream}
              size="small"
              variant="secondary"
              onClick={() => startSync(a.stream, a.label)}
              disabled={status.accounts.length === 0}
            >
              {a.label}
            </Button>
          ))}
        </div>
      </Container>

      {status.warnings.length > 0 && (
        <div className="flex flex-col gap-y-2" data-testid="amazon-warnings">
          {status.warnings.map((w, i) => (
            <Alert key={`${w.code}-${i}`} variant={w.severity === "error" ? "error" : "warning"}>
              {w.message}
            </Alert>
          ))}
        </div>
      )}

      <div className="grid grid-cols-2 gap-3 lg:grid-cols-3">
        <Tile
          testId="tile-queue"
          label="Queue depth"
          value={status.queue.depth}
          hint={
            status.queue.depth || status.queue.pending_events
              ? `oldest change waits ${duration(status.figures.oldest_age_seconds)}${
                  status.queue.pending_events ? ` · ${status.queue.pending_events} store event(s) for the next push to sort` : ""
                }`
              : "no stock change waiting"
          }
        />
        <Tile
          testId="tile-last-push"
          label="Last push"
          value={ago(status.push.last_push_at)}
          hint={`${status.push.listings.accepted} SKUs accepted · ${status.push.listings.pending} pending · ${status.push.listings.error} with errors`}
        />
        <Tile
          testId="tile-last-import"
          label="Last order import"
          value={ago(status.orders.last_import_at)}
          hint={`${status.orders.imported} imported · ${status.orders.needs_attention} need attention`}
        />
        <Tile
          testId="tile-lag"
          label="Lag"
          value={duration(lag)}
          hint={`push ${duration(status.figures.push_lag_seconds)} · confirmation ${duration(status.figures.confirmation_lag_seconds)} · orders ${duration(status.figures.order_import_lag_seconds)}`}
        />
        <Tile
          testId="tile-throttle"
          label="Throttling"
          value={<StatusBadge color={throttleColor}>{throttleText}</StatusBadge>}
          hint={`${status.throttle.last_hour} throttled call(s) in the last hour`}
        />
        <Tile
          testId="tile-fba"
          label="Last FBA sync"
          value={ago(status.fba.last_sync_at)}
          hint={`${status.fba.skus} FBA SKUs · ${status.fba.issues} not applied`}
        />
      </div>

      <Section title="Queue depth and lag" description="Last 24 hours: a point every 5 minutes, and now.">
        <div className="px-6 py-4">
          <LagChart samples={status.samples} />
        </div>
      </Section>

      <Section title="Errors to act on" description={`${status.errors.count} open`} testId="amazon-errors">
        {status.errors.items.length === 0 ? (
          <Text size="small" className="text-ui-fg-subtle px-6 py-4">
            Nothing to act on.
          </Text>
        ) : (
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>When</Table.HeaderCell>
                <Table.HeaderCell>Where</Table.HeaderCell>
                <Table.HeaderCell>What</Table.HeaderCell>
                <Table.HeaderCell />
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {status.errors.items.map((e) => (
                <Table.Row key={e.id}>
                  <Table.Cell className="whitespace-nowrap">{ago(e.created_at)}</Table.Cell>
                  <Table.Cell>
                    <Badge size="2xsmall" color={e.level === "error" ? "red" : "orange"}>
                      {e.stream}
                    </Badge>
                  </Table.Cell>
                  <Table.Cell className="whitespace-normal py-2">
                    {e.code && <strong>{e.code}: </strong>}
                    {e.message}
                  </Table.Cell>
                  <Table.Cell className="text-right">
                    <Button size="small" variant="transparent" onClick={() => resolve.mutate([e.id])}>
                      Mark handled
                    </Button>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </Section>

      <Section title="Recent feeds" description="Quantity feeds sent to Amazon. Click one for its per-SKU outcome." testId="amazon-feeds">
        {(feeds?.feeds ?? []).length === 0 ? (
          <Text size="small" className="text-ui-fg-subtle px-6 py-4">
            No feed sent yet (small changes go out as single-SKU patches).
          </Text>
        ) : (
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Submitted</Table.HeaderCell>
                <Table.HeaderCell>Feed</Table.HeaderCell>
                <Table.HeaderCell>Marketplace</Table.HeaderCell>
                <Table.HeaderCell>Status</Table.HeaderCell>
                <Table.HeaderCell>SKUs</Table.HeaderCell>
                <Table.HeaderCell>Accepted</Table.HeaderCell>
                <Table.HeaderCell>Rejected</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {feeds!.feeds.map((f) => (
                <Table.Row key={f.id} className="cursor-pointer" onClick={() => setFeedId(f.id)}>
                  <Table.Cell>{ago(f.submitted_at ?? f.created_at)}</Table.Cell>
                  <Table.Cell>{f.amazon_feed_id ?? "–"}</Table.Cell>
                  <Table.Cell>{marketplaceName(f.marketplace_id)}</Table.Cell>
                  <Table.Cell>
                    <StatusBadge color={f.stuck ? "red" : FEED_COLORS[f.status] ?? "grey"}>{f.stuck ? `${f.status} (stuck)` : f.status}</StatusBadge>
                  </Table.Cell>
                  <Table.Cell>{f.message_count}</Table.Cell>
                  <Table.Cell>{f.accepted_count ?? "–"}</Table.Cell>
                  <Table.Cell>{f.error_count ?? "–"}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </Section>

      <Section
        title="Orders needing attention"
        description="Amazon orders that could not become store orders. Fix the cause (map the SKU, publish the product …), then retry."
        testId="amazon-attention"
      >
        {(attention?.orders ?? []).length === 0 ? (
          <Text size="small" className="text-ui-fg-subtle px-6 py-4">
            All Amazon orders were imported.
          </Text>
        ) : (
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Amazon order</Table.HeaderCell>
                <Table.HeaderCell>Status</Table.HeaderCell>
                <Table.HeaderCell>Reason</Table.HeaderCell>
                <Table.HeaderCell>Attempts</Table.HeaderCell>
                <Table.HeaderCell />
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {attention!.orders.map((o) => (
                <Table.Row key={o.id}>
                  <Table.Cell>{o.amazon_order_id}</Table.Cell>
                  <Table.Cell>{o.status}</Table.Cell>
                  <Table.Cell className="whitespace-normal py-2">
                    {o.attention_code && <strong>{o.attention_code}: </strong>}
                    {o.attention_reason}
                  </Table.Cell>
                  <Table.Cell>{o.attempts}</Table.Cell>
                  <Table.Cell className="text-right">
                    <Button
                      size="small"
                      variant="secondary"
                      onClick={() => retryOrder(o.id, o.amazon_order_id)}
                      isLoading={retry.isPending && retry.variables === o.id}
                    >
                      Retry
                    </Button>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </Section>

      <Section title="FBA stock" description="Amazon's FBA inventory, read into one FBA stock location per marketplace.">
        {status.fba.cursors.length === 0 ? (
          <Text size="small" className="text-ui-fg-subtle px-6 py-4">
            No FBA sync has run yet.
          </Text>
        ) : (
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Marketplace</Table.HeaderCell>
                <Table.HeaderCell>Last success</Table.HeaderCell>
                <Table.HeaderCell>Last run</Table.HeaderCell>
                <Table.HeaderCell>Last error</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {status.fba.cursors.map((c) => (
                <Table.Row key={`${c.account_id}-${c.marketplace_id}`}>
                  <Table.Cell>{marketplaceName(c.marketplace_id)}</Table.Cell>
                  <Table.Cell>{ago(c.last_success_at)}</Table.Cell>
                  <Table.Cell>{ago(c.last_run_at)}</Table.Cell>
                  <Table.Cell className="whitespace-normal">{c.last_error ?? "–"}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </Section>
      <FeedDrawer feedId={feedId} onClose={() => setFeedId(null)} />
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Amazon sync",
  icon: ChartBar,
})

export default AmazonSyncDashboard
