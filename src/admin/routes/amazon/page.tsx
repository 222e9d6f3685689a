import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ChartBar } from "@medusajs/icons"
import { Alert, Button, Container, Heading, StatusBadge, Table, Text, toast } from "@medusajs/ui"
import { useState, type ReactNode } from "react"
import { Link } from "react-router-dom"
import { AccountVerdicts } from "../../components/account-verdicts"
import { AttentionOrders } from "../../components/attention-orders"
import { ErrorGroups } from "../../components/error-groups"
import { FeedDrawer } from "../../components/feed-drawer"
import { LagChart } from "../../components/lag-chart"
import { Section } from "../../components/section"
import { DriftChecks } from "../../components/drift-checks"
import { McfOrders } from "../../components/mcf-orders"
import { RecentFeeds } from "../../components/recent-feeds"
import { SyncActivity } from "../../components/sync-activity"
import { useAmazonStatus, useAmazonSyncActivity, useRequestAmazonSync } from "../../hooks/api/amazon-sync"
import { ago, cronInWords, duration, errorMessage, errorStatus, marketplaceName } from "../../lib/format"
import type { AmazonSyncStream } from "../../../types/http"

const SYNC_ACTIONS: { stream: AmazonSyncStream; label: string }[] = [
  { stream: "stock_push", label: "Push stock now" },
  { stream: "feed_results", label: "Check feed results" },
  { stream: "orders", label: "Import orders now" },
  { stream: "fba_stock", label: "Sync FBA stock" },
  { stream: "reconcile", label: "Full stock check" },
  { stream: "drift_check", label: "Compare with Amazon" },
]

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

/** The "Amazon sync" dashboard: is it working, is stock reaching Amazon, are orders coming in, what needs a person. */
const AmazonSyncDashboard = () => {
  const { data, isLoading, error } = useAmazonStatus({ hours: 24 })
  const { data: activity } = useAmazonSyncActivity()
  const sync = useRequestAmazonSync()
  const [feedId, setFeedId] = useState<string | null>(null)
  const status = data?.status

  const startSync = async (stream: AmazonSyncStream, label: string) => {
    try {
      await sync.mutateAsync({ stream })
      toast.success(`${label}: started`, { description: "Runs in the background; \"Started from here\" shows it until it ends." })
    } catch (e) {
      if (errorStatus(e) === 409) {
        // one sync per stream and account: the one already running will show its outcome here
        toast.info(`${label}: already running`, { description: errorMessage(e) })
      } else {
        toast.error(`${label}: not started`, { description: errorMessage(e) })
      }
    }
  }

  if (isLoading) {
    return (
      <div className="flex flex-col gap-y-3" aria-busy="true" data-testid="amazon-loading">
        {[0, 1, 2].map((i) => (
          <Container key={i} className="flex flex-col gap-y-2 px-6 py-4">
            <div className="bg-ui-bg-component h-5 w-1/3 animate-pulse rounded" />
            <div className="bg-ui-bg-component h-4 w-2/3 animate-pulse rounded" />
          </Container>
        ))}
      </div>
    )
  }
  if (error || !status) {
    return (
      <Container>
        <Text className="text-ui-fg-error">Could not load the sync status: {errorMessage(error)}</Text>
      </Container>
    )
  }

  const running = new Set((activity?.running ?? []).map((r) => r.stream))
  const lag = Math.max(status.figures.push_lag_seconds, status.figures.confirmation_lag_seconds)
  const throttleColor = status.throttle.state === "ok" ? "green" : status.throttle.state === "throttled" ? "orange" : "red"
  const throttleText = status.throttle.state === "ok" ? "None" : status.throttle.state === "throttled" ? "Some" : "Sustained"
  const sampleEvery = status.schedules.find((j) => j.name === "amazon-record-status-sample")?.schedule
  // The verdict says what decides; the remaining warnings are listed below it.
  const decided = new Set(status.verdicts.map((v) => v.code))
  const otherWarnings = status.warnings.filter((w) => !decided.has(w.code))

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="flex flex-col gap-y-3 px-6 py-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <Heading level="h1">Amazon sync</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              {status.accounts.length === 0
                ? "No Amazon account is connected yet."
                : status.accounts
                    .map((a) => {
                      const markets = a.marketplace_ids.map(marketplaceName).filter((m) => !a.name.includes(m))
                      return markets.length ? `${a.name} (${markets.join(", ")})` : a.name
                    })
                    .join("; ")}
            </Text>
          </div>
          <div className="flex flex-wrap gap-2">
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
              disabled={status.accounts.length === 0 || running.has(a.stream)}
              data-testid={`sync-${a.stream}`}
            >
              {running.has(a.stream) ? `${a.label} (running…)` : a.label}
            </Button>
          ))}
        </div>
      </Container>

      <AccountVerdicts status={status} />

      {otherWarnings.length > 0 && (
        <div className="flex flex-col gap-y-2" data-testid="amazon-warnings">
          {otherWarnings.map((w, i) => (
            <Alert key={`${w.code}-${i}`} variant={w.severity === "error" ? "error" : "warning"}>
              {w.message}
            </Alert>
          ))}
        </div>
      )}

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Tile
          testId="tile-queue"
          label="Changes waiting"
          value={status.queue.depth}
          hint={
            status.queue.depth || status.queue.pending_events
              ? `the oldest has waited ${duration(status.figures.oldest_age_seconds)}${
                  status.queue.pending_events ? ` · ${status.queue.pending_events} store event(s) still to sort` : ""
                }`
              : "no stock change waiting to go to Amazon"
          }
        />
        <Tile
          testId="tile-last-push"
          label="Last push"
          value={ago(status.push.last_push_at)}
          hint={`${status.push.listings.accepted} SKUs confirmed · ${status.push.listings.pending} on their way · ${status.push.listings.error} refused`}
        />
        <Tile
          testId="tile-last-import"
          label="Last order import"
          value={ago(status.orders.last_import_at)}
          hint={`${status.orders.imported} imported · ${status.orders.needs_attention} need attention`}
        />
        <Tile
          testId="tile-lag"
          label="Delay to Amazon"
          value={duration(lag)}
          hint={`stock ${duration(status.figures.push_lag_seconds)} · Amazon's confirmation ${duration(status.figures.confirmation_lag_seconds)} · orders ${duration(status.figures.order_import_lag_seconds)}`}
        />
        <Tile
          testId="tile-throttle"
          label="Amazon rate limits"
          value={<StatusBadge color={throttleColor}>{throttleText}</StatusBadge>}
          hint={`${status.throttle.last_hour} call(s) slowed down in the last hour`}
        />
        <Tile
          testId="tile-fba"
          label="Last FBA sync"
          value={ago(status.fba.last_sync_at)}
          hint={`${status.fba.skus} FBA SKUs · ${status.fba.issues} not applied`}
        />
      </div>

      <Section
        title="Changes waiting and delay"
        description={`Last 24 hours: a point ${sampleEvery ? cronInWords(sampleEvery) : "per status sample"}, and now.`}
      >
        <div className="px-6 py-4">
          <LagChart samples={status.samples} />
        </div>
      </Section>

      <Section title="Problems to act on" description={`${status.errors.groups.length} open`} testId="amazon-errors">
        <ErrorGroups status={status} />
      </Section>

      <Section
        title="Orders needing attention"
        description="Amazon orders that could not become store orders. Map the SKU and they import by themselves; fix other causes, then Retry."
        testId="amazon-attention"
      >
        <div id="amazon-attention" />
        <AttentionOrders />
      </Section>

      <Section title="Recent feeds" description="Quantity feeds sent to Amazon. Click one for its per-SKU outcome." testId="amazon-feeds">
        <div id="amazon-feeds" />
        <RecentFeeds onOpen={setFeedId} />
      </Section>

      <Section
        title="Shipped by Amazon (MCF)"
        description="The store's own orders that Amazon ships from FBA stock: their state at Amazon and tracking. Problems name what to do."
        testId="amazon-mcf"
      >
        <McfOrders />
      </Section>

      <Section
        title="Amazon vs store"
        description="What Amazon shows for every linked SKU (its listings report) against what the plugin last set. Differences are sent again by themselves."
        testId="amazon-drift"
      >
        <DriftChecks status={status} />
      </Section>

      <Section title="Started from here" description="Syncs and imports started with the buttons above: running now, and the last day's results." testId="amazon-activity">
        <SyncActivity activity={activity} status={status} />
      </Section>

      <Section title="FBA stock" description="Amazon's FBA inventory, read into one FBA stock location per marketplace.">
        {status.fba.cursors.length === 0 ? (
          <Text size="small" className="text-ui-fg-subtle px-6 py-4">
            No FBA sync has run yet.
          </Text>
        ) : (
          <div className="overflow-x-auto">
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
          </div>
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
