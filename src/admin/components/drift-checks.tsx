import { StatusBadge, Table, Text } from "@medusajs/ui"
import { useAmazonDriftChecks } from "../hooks/api/amazon-sync"
import { ago, marketplaceName } from "../lib/format"
import type { AdminAmazonDriftCheck, AdminAmazonStatus } from "../../types/http"

const STATE: Record<AdminAmazonDriftCheck["status"], { label: string; color: "green" | "orange" | "red" | "blue" | "grey" }> = {
  requested: { label: "Starting", color: "blue" },
  report: { label: "Waiting for Amazon", color: "blue" },
  comparing: { label: "Comparing", color: "blue" },
  done: { label: "Done", color: "green" },
  failed: { label: "Failed", color: "red" },
}

/** What a finished comparison found, in one sentence. */
function found(c: AdminAmazonDriftCheck): string {
  const s = c.summary
  if (!s) return "–"
  const parts = [`${s.compared} compared, ${s.matching} as the plugin set them`]
  if (s.differing) parts.push(`${s.differing} different on Amazon (sent again)`)
  if (s.missing_on_amazon) parts.push(`${s.missing_on_amazon} not on Amazon`)
  if (s.inactive_on_amazon) parts.push(`${s.inactive_on_amazon} inactive on Amazon`)
  if (s.skipped_newer) parts.push(`${s.skipped_newer} changed after Amazon's report (next time)`)
  return parts.join(" · ")
}

/**
 * "Amazon vs store": per account and marketplace, the latest comparison of Amazon's listings report with
 * what the plugin last set — its progress while Amazon prepares the report, what it found once done, and
 * the largest differences (what Amazon showed, what the plugin had set).
 */
export const DriftChecks = ({ status }: { status: AdminAmazonStatus }) => {
  const { data } = useAmazonDriftChecks()
  const names = new Map(status.accounts.map((a) => [a.id, a.name]))
  const checks = data?.drift_checks ?? []
  if (!checks.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle px-6 py-4" data-testid="drift-empty">
        No comparison yet. It runs daily, or now with “Compare with Amazon”: Amazon prepares its listings report (a few minutes), then every linked SKU is compared.
      </Text>
    )
  }
  return (
    <div className="overflow-x-auto">
      <Table>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Account · marketplace</Table.HeaderCell>
            <Table.HeaderCell>State</Table.HeaderCell>
            <Table.HeaderCell>Found</Table.HeaderCell>
            <Table.HeaderCell>Largest differences (Amazon / plugin set)</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {checks.map((c) => {
            const shown = c.status === "done" ? c : c.last_done ?? c
            const state = STATE[c.status]
            return (
              <Table.Row key={c.id} data-testid="drift-row" data-status={c.status}>
                <Table.Cell>
                  {names.get(c.account_id) ?? "removed account"} · {marketplaceName(c.marketplace_id)}
                </Table.Cell>
                <Table.Cell className="whitespace-normal">
                  <StatusBadge color={state.color}>{state.label}</StatusBadge>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    {c.status === "done" || c.status === "failed" ? ago(c.finished_at ?? c.started_at) : c.progress ?? `started ${ago(c.started_at)}`}
                  </Text>
                  {c.error && (
                    <Text size="xsmall" className="text-ui-fg-error">
                      {c.error}
                    </Text>
                  )}
                </Table.Cell>
                <Table.Cell className="whitespace-normal" data-testid="drift-found">
                  {found(shown)}
                  {shown.report_data_at && (
                    <Text size="xsmall" className="text-ui-fg-subtle">
                      Amazon's report as of {ago(shown.report_data_at)}
                    </Text>
                  )}
                </Table.Cell>
                <Table.Cell className="whitespace-normal" data-testid="drift-worst">
                  {shown.summary?.worst.length
                    ? shown.summary.worst.slice(0, 5).map((w) => (
                        <div key={w.sku}>
                          {w.sku}: {w.amazon} / {w.plugin_set}
                        </div>
                      ))
                    : "–"}
                </Table.Cell>
              </Table.Row>
            )
          })}
        </Table.Body>
      </Table>
    </div>
  )
}
