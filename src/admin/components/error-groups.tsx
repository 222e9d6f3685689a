import { Badge, Button, Checkbox, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { Link } from "react-router-dom"
import { useResolveAmazonSyncLogs } from "../hooks/api/amazon-sync"
import { ago, errorMessage } from "../lib/format"
import type { AdminAmazonStatus, AdminAmazonSyncLogGroup } from "../../types/http"

function where(action: AdminAmazonSyncLogGroup["action"]) {
  switch (action) {
    case "listings":
      return <Link to="/amazon/listings?push_status=error">Listings</Link>
    case "settings":
      return <Link to="/settings/amazon">Settings</Link>
    case "orders":
      return <a href="#amazon-attention">Orders</a>
    case "feeds":
      return <a href="#amazon-feeds">Feeds</a>
    default:
      return null
  }
}

/**
 * "Errors to act on", one row per cause and account in plain words (not one row per retry). Entries close
 * themselves when their cause goes away; what remains can be marked handled one cause at a time or in bulk.
 */
export const ErrorGroups = ({ status }: { status: AdminAmazonStatus }) => {
  const groups = status.errors.groups
  const names = new Map(status.accounts.map((a) => [a.id, a.name]))
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const resolve = useResolveAmazonSyncLogs()
  const prompt = usePrompt()
  const live = new Set(groups.map((g) => g.key))
  const chosen = [...selected].filter((k) => live.has(k))

  const handle = async (keys: string[]) => {
    const count = groups.filter((g) => keys.includes(g.key)).reduce((n, g) => n + g.count, 0)
    if (keys.length > 1) {
      const ok = await prompt({
        title: `Mark ${keys.length} problems handled?`,
        description: `Their ${count} entries leave this list and stay in the sync log. A problem that comes back shows again.`,
        confirmText: "Mark handled",
        cancelText: "Cancel",
      })
      if (!ok) return
    }
    try {
      const res = await resolve.mutateAsync({ groups: keys })
      setSelected(new Set())
      toast.success(`${res.resolved.length} ${res.resolved.length === 1 ? "entry" : "entries"} marked handled`)
    } catch (e) {
      toast.error("Could not mark them handled", { description: errorMessage(e) })
    }
  }

  if (!groups.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle px-6 py-4">
        Nothing to act on. Problems that went away (a SKU accepted since, an import that worked again) close by themselves.
      </Text>
    )
  }
  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-center justify-between gap-2 px-6 py-3">
        <Text size="small" className="text-ui-fg-subtle">
          {groups.length} {groups.length === 1 ? "problem" : "problems"} ({status.errors.count} entries). They close by themselves when the cause goes away.
        </Text>
        <Button size="small" variant="secondary" disabled={!chosen.length} isLoading={resolve.isPending} onClick={() => handle(chosen)} data-testid="errors-bulk-handle">
          Mark {chosen.length || ""} handled
        </Button>
      </div>
      <div className="overflow-x-auto">
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell className="w-8">
                <Checkbox
                  aria-label="Select all problems"
                  checked={chosen.length === groups.length ? true : chosen.length ? "indeterminate" : false}
                  onCheckedChange={(v) => setSelected(v === true ? new Set(groups.map((g) => g.key)) : new Set())}
                />
              </Table.HeaderCell>
              <Table.HeaderCell>Problem</Table.HeaderCell>
              <Table.HeaderCell>Account</Table.HeaderCell>
              <Table.HeaderCell>Times</Table.HeaderCell>
              <Table.HeaderCell>Last</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {groups.map((g) => (
              <Table.Row key={g.key} data-testid="error-group">
                <Table.Cell>
                  <Checkbox
                    aria-label={`Select ${g.title}`}
                    checked={selected.has(g.key)}
                    onCheckedChange={(v) =>
                      setSelected((s) => {
                        const next = new Set(s)
                        if (v === true) next.add(g.key)
                        else next.delete(g.key)
                        return next
                      })
                    }
                  />
                </Table.Cell>
                <Table.Cell className="whitespace-normal py-2">
                  <div className="flex items-center gap-x-2">
                    <Badge size="2xsmall" color={g.level === "error" ? "red" : "orange"}>
                      {g.level === "error" ? "Error" : "Warning"}
                    </Badge>
                    <Text size="small" weight="plus">
                      {g.title}
                    </Text>
                  </div>
                  <Text size="small" className="text-ui-fg-subtle">
                    {g.advice} {where(g.action)}
                  </Text>
                  <Text size="xsmall" className="text-ui-fg-muted">
                    {g.examples.length ? `${g.examples.join(", ")} · ` : ""}Latest: {g.latest_message}
                  </Text>
                </Table.Cell>
                <Table.Cell>{g.account_id ? names.get(g.account_id) ?? "removed account" : "All accounts"}</Table.Cell>
                <Table.Cell>{g.count}</Table.Cell>
                <Table.Cell className="whitespace-nowrap">{ago(g.last_at)}</Table.Cell>
                <Table.Cell className="text-right">
                  <Button size="small" variant="transparent" onClick={() => handle([g.key])}>
                    Mark handled
                  </Button>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
    </div>
  )
}
