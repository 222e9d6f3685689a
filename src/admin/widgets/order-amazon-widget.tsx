import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Badge, Button, Container, Heading, Select, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import type { AdminAmazonOrderAction } from "../../types/http"
import { useAmazonOrderActions, useCancelAmazonOrder } from "../hooks/api/amazon-order-actions"
import { useAmazonOrders } from "../hooks/api/amazon-sync"
import { dateTime, errorMessage, marketplaceName } from "../lib/format"

const IMPORT_COLORS = { imported: "green", pending: "orange", needs_attention: "red" } as const
const ACTION_COLORS = { queued: "orange", sending: "blue", done: "green", failed: "red" } as const
const ACTION_STATES = { queued: "waiting", sending: "sent, awaiting Amazon", done: "confirmed by Amazon", failed: "failed" } as const

const Row = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <div className="flex items-center justify-between gap-x-4">
    <Text size="small" className="text-ui-fg-subtle">
      {label}
    </Text>
    {children}
  </div>
)

/** One shipment confirmation or cancellation sent (or to be sent) to Amazon, with its state and error. */
const ActionItem = ({ action }: { action: AdminAmazonOrderAction }) => {
  const p = action.payload as Record<string, any>
  const items = ((p.items ?? []) as { order_item_id: string; quantity: number }[]).reduce((n, i) => n + Number(i.quantity), 0)
  const title =
    action.kind === "confirm_shipment"
      ? `Shipment · ${items} unit(s) · ${p.carrier_code === "Other" ? p.carrier_name ?? "Other" : p.carrier_code}${p.tracking_number ? ` · ${p.tracking_number}` : ""}`
      : `Cancellation · ${p.reason}`
  return (
    <div className="flex flex-col gap-y-1" data-testid="amazon-order-action">
      <div className="flex items-center justify-between gap-x-2">
        <Text size="small" weight="plus">
          {title}
        </Text>
        <Badge size="2xsmall" color={ACTION_COLORS[action.status]}>
          {ACTION_STATES[action.status]}
        </Badge>
      </div>
      <Text size="xsmall" className="text-ui-fg-muted">
        {action.status === "done"
          ? `Amazon accepted it ${dateTime(action.done_at)}${action.channel === "feed" ? " (order feed)" : ""}`
          : action.status === "queued" && action.next_attempt_at
            ? `Next attempt ${dateTime(action.next_attempt_at)} (attempt ${action.attempts + 1})`
            : `Recorded ${dateTime(action.created_at)}`}
      </Text>
      {action.last_error && action.status !== "done" && (
        <Text size="xsmall" className={action.status === "failed" ? "text-ui-fg-error" : "text-ui-fg-subtle"}>
          {action.last_error_code ? `${action.last_error_code}: ` : ""}
          {action.last_error}
        </Text>
      )}
    </div>
  )
}

/**
 * Order page: the Amazon order this store order was imported from (nothing for other orders) — Amazon's
 * status, the ship-by date, a buyer's cancellation request ("Accept cancellation"), cancelling on Amazon
 * with a reason, and every shipment confirmation and cancellation sent to Amazon with its state and error.
 */
const OrderAmazonWidget = ({ data: order }: { data: { id: string } }) => {
  const { data: imported } = useAmazonOrders({ order_id: order.id, limit: 1 })
  const { data: view } = useAmazonOrderActions(order.id)
  const cancel = useCancelAmazonOrder(order.id)
  const prompt = usePrompt()
  const [reason, setReason] = useState("GeneralAdjustment")
  const record = imported?.orders[0]
  const amazon = view?.amazon_order
  if (!amazon && !record) {
    return null
  }

  const runCancel = async (chosen: string, accept: boolean) => {
    const ok = await prompt({
      title: accept ? "Accept the buyer's cancellation?" : "Cancel this order on Amazon?",
      description: `The order is cancelled here (stock released, payment refunded) and Amazon is told to cancel Amazon order ${
        amazon?.amazon_order_id ?? record?.amazon_order_id
      } with reason ${chosen}. This cannot be undone.`,
      confirmText: accept ? "Accept cancellation" : "Cancel order",
      cancelText: "Keep the order",
    })
    if (!ok) return
    try {
      await cancel.mutateAsync(chosen)
      toast.success("Order cancelled", { description: "Amazon is told within a minute; its answer shows here." })
    } catch (e) {
      toast.error("Could not cancel the order", { description: errorMessage(e) })
    }
  }

  return (
    <Container className="divide-y p-0" data-testid="amazon-order-widget">
      <div className="px-6 py-4">
        <Heading level="h2">Amazon</Heading>
      </div>
      <div className="flex flex-col gap-y-2 px-6 py-4">
        <Row label="Amazon order">
          <Text size="small" weight="plus">
            {amazon?.amazon_order_id ?? record?.amazon_order_id}
          </Text>
        </Row>
        <Row label="Amazon status">
          <Badge size="2xsmall">{amazon?.status ?? record?.status ?? "–"}</Badge>
        </Row>
        <Row label="Marketplace">
          <Text size="small">{marketplaceName((amazon?.marketplace_id ?? record?.marketplace_id) as string)}</Text>
        </Row>
        <Row label="Fulfilled by">
          <Text size="small">{(amazon?.fulfillment_channel ?? record?.fulfillment_channel) === "AMAZON" ? "Amazon (FBA)" : "Merchant"}</Text>
        </Row>
        {view?.latest_ship_date && (
          <Row label="Ship by">
            <Text size="small">{dateTime(view.latest_ship_date)}</Text>
          </Row>
        )}
        {record && (
          <Row label="Import">
            <Badge size="2xsmall" color={IMPORT_COLORS[record.import_status]}>
              {record.import_status.replace("_", " ")}
            </Badge>
          </Row>
        )}
        {record && (
          <Text size="xsmall" className="text-ui-fg-muted">
            Last change at Amazon: {dateTime(record.amazon_updated_at)}
          </Text>
        )}
      </div>

      {view?.cancellation_request && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="amazon-cancellation-request">
          <Text size="small" weight="plus">
            The buyer asked to cancel this order{view.cancellation_request.reason ? ` (${view.cancellation_request.reason})` : ""}.
          </Text>
          <Text size="xsmall" className="text-ui-fg-subtle">
            {view.cancel_refusal ?? "Accept it before you ship, or ship the order and the request lapses."}
          </Text>
          {!view.cancel_refusal && (
            <Button size="small" variant="danger" isLoading={cancel.isPending} onClick={() => runCancel("BuyerCanceled", true)}>
              Accept cancellation
            </Button>
          )}
        </div>
      )}

      {view && view.actions.length > 0 && (
        <div className="flex flex-col gap-y-3 px-6 py-4">
          <Text size="small" weight="plus">
            Sent to Amazon
          </Text>
          {view.actions.map((a) => (
            <ActionItem key={a.id} action={a} />
          ))}
        </div>
      )}

      {view && amazon && !view.cancel_refusal && !view.cancellation_request && (
        <div className="flex flex-col gap-y-2 px-6 py-4">
          <Text size="xsmall" className="text-ui-fg-subtle">
            Cancel on Amazon (nothing has shipped yet)
          </Text>
          <div className="flex items-center gap-x-2">
            <Select value={reason} onValueChange={setReason} size="small">
              <Select.Trigger aria-label="Cancel reason">
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                {view.cancel_reasons.map((r) => (
                  <Select.Item key={r} value={r}>
                    {r}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
            <Button size="small" variant="secondary" isLoading={cancel.isPending} onClick={() => runCancel(reason, false)}>
              Cancel order
            </Button>
          </div>
        </div>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default OrderAmazonWidget
