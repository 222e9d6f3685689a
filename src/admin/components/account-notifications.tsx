import { Badge, Button, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useAmazonNotifications, useAmazonNotificationSetup, useRemoveAmazonNotifications } from "../hooks/api/amazon-notifications"
import { ago, errorMessage } from "../lib/format"
import type { AdminAmazonNotificationHealth, AdminAmazonNotificationSubscription } from "../../types/http"
import { NotificationsDrawer } from "./notifications-drawer"
import { Field } from "./section"

const HEALTH: Record<AdminAmazonNotificationHealth, { text: string; color: "green" | "orange" | "red" | "grey" | "blue" }> = {
  live: { text: "Live", color: "green" },
  quiet: { text: "Quiet – polling covers", color: "orange" },
  error: { text: "Not reading – polling only", color: "red" },
  starting: { text: "Starting", color: "blue" },
  off: { text: "Off – polling only", color: "grey" },
}

const TYPE_LABEL: Record<string, string> = {
  ORDER_CHANGE: "New orders, status changes, buyer requests",
  FBA_INVENTORY_AVAILABILITY_CHANGES: "FBA stock",
  LISTINGS_ITEM_MFN_QUANTITY_CHANGE: "Quantity Amazon shows (EventBridge)",
  FEED_PROCESSING_FINISHED: "Feed results",
  REPORT_PROCESSING_FINISHED: "Listings reports",
  FULFILLMENT_ORDER_STATUS: "MCF orders",
}

const SUB_COLOR: Record<AdminAmazonNotificationSubscription["status"], "green" | "red" | "grey" | "orange"> = {
  active: "green",
  failed: "red",
  removed: "grey",
  skipped: "orange",
}

/**
 * "Amazon notifications" of an account: whether Amazon's own events (new orders, cancellations, FBA stock …)
 * reach the store within seconds, what came in, and set-up / removal. Polling is always on; this section says
 * so wherever notifications are quiet or broken.
 */
export const AccountNotifications = ({ accountId }: { accountId: string }) => {
  const [open, setOpen] = useState(false)
  const { data } = useAmazonNotificationSetup(accountId)
  const setup = data?.notifications ?? null
  const on = !!setup && setup.status !== "removed"
  const { data: recent } = useAmazonNotifications(accountId, { limit: 5 })
  const remove = useRemoveAmazonNotifications(accountId)
  const prompt = usePrompt()
  const health = HEALTH[setup?.health ?? "off"]

  const removeAll = async () => {
    const ok = await prompt({
      title: "Turn Amazon notifications off?",
      description: "The subscriptions are deleted at Amazon and the AWS key is wiped. Orders, FBA stock and feed results are then polled as before (orders arrive minutes later).",
      confirmText: "Turn off",
      cancelText: "Cancel",
    })
    if (!ok) return
    try {
      await remove.mutateAsync()
      toast.success("Notifications are off", { description: "Polling goes on as before." })
    } catch (e) {
      toast.error("Could not turn notifications off", { description: errorMessage(e) })
    }
  }

  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid={`notifications-${accountId}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Text size="small" weight="plus">
              Amazon notifications
            </Text>
            <Badge size="2xsmall" color={health.color} data-testid="notifications-health">
              {health.text}
            </Badge>
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            {on
              ? setup!.health_text
              : "Amazon can announce new orders, cancellations and FBA stock changes within seconds through your own SQS queue. Without it, orders are polled (Amazon serves them 2 minutes after a change at the earliest)."}
          </Text>
        </div>
        <div className="flex gap-x-2">
          <Button size="small" variant="secondary" onClick={() => setOpen(true)}>
            {on ? "Change queue or key" : "Set up notifications"}
          </Button>
          {on && (
            <Button size="small" variant="danger" onClick={removeAll} isLoading={remove.isPending}>
              Turn off
            </Button>
          )}
        </div>
      </div>
      {on && setup && (
        <>
          <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            <Field label="Queue">
              <span className="break-all">{setup.queue_arn}</span>
            </Field>
            <Field label="AWS key">
              {setup.aws_access_key_id_hint} · secret {setup.has_aws_secret ? "set" : "missing"}
            </Field>
            <Field label="Last 24 hours">
              {setup.last_24h.received} received · {setup.last_24h.applied} applied
              {setup.last_24h.failed ? ` · ${setup.last_24h.failed} failed` : ""}
              {setup.last_24h.invalid ? ` · ${setup.last_24h.invalid} unreadable` : ""}
            </Field>
            <Field label="Last notification">
              {setup.last_message_at ? ago(setup.last_message_at) : "none yet"} · queue read {setup.last_receive_at ? ago(setup.last_receive_at) : "not yet"}
            </Field>
          </div>
          {setup.last_error && (
            <Text size="small" className="text-ui-fg-error" data-testid="notifications-error">
              {setup.last_error}
            </Text>
          )}
          <div className="flex flex-wrap gap-2" data-testid="notifications-subscriptions">
            {setup.subscriptions.map((s) => (
              <Badge key={s.notification_type} size="2xsmall" color={SUB_COLOR[s.status]} title={s.error ?? s.subscription_id ?? undefined}>
                {TYPE_LABEL[s.notification_type] ?? s.notification_type}: {s.status}
              </Badge>
            ))}
          </div>
          {!!recent?.notifications.length && (
            <div className="overflow-x-auto">
              <Table>
                <Table.Header>
                  <Table.Row>
                    <Table.HeaderCell>Received</Table.HeaderCell>
                    <Table.HeaderCell>Type</Table.HeaderCell>
                    <Table.HeaderCell>About</Table.HeaderCell>
                    <Table.HeaderCell>What happened</Table.HeaderCell>
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {recent.notifications.map((n) => (
                    <Table.Row key={n.id}>
                      <Table.Cell>{ago(n.received_at)}</Table.Cell>
                      <Table.Cell>{n.notification_type ?? "unreadable"}</Table.Cell>
                      <Table.Cell>{n.subject ?? "–"}</Table.Cell>
                      <Table.Cell className="whitespace-normal">
                        <Badge size="2xsmall" color={n.status === "applied" ? "green" : n.status === "failed" || n.status === "invalid" ? "red" : "grey"}>
                          {n.status}
                        </Badge>{" "}
                        {n.error ?? n.outcome ?? ""}
                        {n.deliveries > 1 ? ` (delivered ${n.deliveries}×, applied once)` : ""}
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </div>
          )}
        </>
      )}
      <NotificationsDrawer accountId={accountId} open={open} onOpenChange={setOpen} current={setup} />
    </div>
  )
}
