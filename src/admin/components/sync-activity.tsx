import { StatusBadge, Table, Text } from "@medusajs/ui"
import { ago } from "../lib/format"
import type { AdminAmazonStatus, AdminAmazonSyncActivityResponse } from "../../types/http"

export const STREAM_WORDS: Record<string, string> = {
  stock_push: "Stock push",
  feed_results: "Feed results",
  reconcile: "Full stock check",
  drift_check: "Compare with Amazon",
  orders: "Order import",
  fba_stock: "FBA stock",
  listings_import: "Listings import",
}

/**
 * Work started from the admin: what runs now (who started it, for how long) and how the last day's runs
 * ended. A stream that runs cannot be started again until it ends (the buttons say so; the API answers 409).
 */
export const SyncActivity = ({ activity, status }: { activity: AdminAmazonSyncActivityResponse | undefined; status: AdminAmazonStatus }) => {
  const names = new Map(status.accounts.map((a) => [a.id, a.name]))
  const account = (id: string | null) => (id ? names.get(id) ?? "removed account" : "All accounts")
  const rows = [
    ...(activity?.running ?? []).map((r) => ({
      key: r.id,
      stream: r.stream as string,
      account: account(r.account_id),
      who: r.requested_by_email,
      state: <StatusBadge color="blue">Running for {ago(r.started_at).replace(/ ago$/, "")}</StatusBadge>,
      detail: r.progress ?? "Runs in the background; the result shows here when it ends.",
      at: r.started_at,
    })),
    ...(activity?.recent ?? []).map((r) => ({
      key: r.id,
      stream: r.stream,
      account: account(r.account_id),
      who: r.requested_by_email,
      state: <StatusBadge color={r.ok ? "green" : "red"}>{r.ok ? "Done" : "Failed"}</StatusBadge>,
      detail: r.message.replace(/^Sync now \([a-z_]+\)(: | failed: )/, ""),
      at: r.finished_at,
    })),
  ]
  if (!rows.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle px-6 py-4">
        Nothing started from here in the last 24 hours. The plugin's scheduled jobs run by themselves.
      </Text>
    )
  }
  return (
    <div className="overflow-x-auto">
      <Table>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>What</Table.HeaderCell>
            <Table.HeaderCell>Account</Table.HeaderCell>
            <Table.HeaderCell>Started by</Table.HeaderCell>
            <Table.HeaderCell>State</Table.HeaderCell>
            <Table.HeaderCell>Result</Table.HeaderCell>
            <Table.HeaderCell>When</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {rows.map((r) => (
            <Table.Row key={r.key} data-testid="sync-activity-row">
              <Table.Cell>{STREAM_WORDS[r.stream] ?? r.stream}</Table.Cell>
              <Table.Cell>{r.account}</Table.Cell>
              <Table.Cell>{r.who ?? "–"}</Table.Cell>
              <Table.Cell>{r.state}</Table.Cell>
              <Table.Cell className="whitespace-normal py-2">{r.detail}</Table.Cell>
              <Table.Cell className="whitespace-nowrap">{ago(r.at)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  )
}
