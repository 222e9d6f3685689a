import { Badge, Drawer, StatusBadge, Table, Text } from "@medusajs/ui"
import { useAmazonFeed, useAmazonFeedMessages } from "../hooks/api/amazon-sync"
import { FEED_OUTCOMES } from "../lib/feed-outcomes"
import { dateTime, marketplaceName } from "../lib/format"

const MESSAGE_COLORS = { pending: "orange", accepted: "green", error: "red", warning: "orange", unconfirmed: "grey" } as const

/** One feed's per-SKU outcomes: the quantity sent and what Amazon's processing report said about it. */
export const FeedDrawer = ({ feedId, onClose }: { feedId: string | null; onClose: () => void }) => {
  const { data: feed } = useAmazonFeed(feedId)
  const { data: messages } = useAmazonFeedMessages(feedId, { limit: 200 })
  const f = feed?.feed
  return (
    <Drawer open={!!feedId} onOpenChange={(o) => !o && onClose()}>
      <Drawer.Content aria-describedby={undefined}>
        <Drawer.Header>
          <Drawer.Title>Feed {f?.amazon_feed_id ?? f?.id ?? ""}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          {f && (
            <div className="flex flex-col gap-y-1">
              <Text size="small">
                {marketplaceName(f.marketplace_id)} · {f.purpose === "reconcile" ? "full stock check" : "stock push"} ·{" "}
                <StatusBadge color={FEED_OUTCOMES[f.outcome]?.color ?? "grey"} data-testid="feed-outcome">
                  {FEED_OUTCOMES[f.outcome]?.label ?? f.status}
                </StatusBadge>{" "}
                <Badge size="2xsmall">Amazon: {String(f.summary?.processing_status ?? f.status)}</Badge>
              </Text>
              <Text size="small" className="text-ui-fg-subtle">
                Submitted {dateTime(f.submitted_at)} · finished {dateTime(f.completed_at)}
              </Text>
              {f.message_counts && (
                <Text size="small">
                  {f.message_counts.accepted} accepted · {f.message_counts.error} rejected · {f.message_counts.warning} with warnings ·{" "}
                  {f.message_counts.pending} pending · {f.message_counts.unconfirmed} unconfirmed
                </Text>
              )}
              {f.error && <Text className="text-ui-fg-error" size="small">{f.error}</Text>}
            </div>
          )}
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>SKU</Table.HeaderCell>
                <Table.HeaderCell>Quantity sent</Table.HeaderCell>
                <Table.HeaderCell>Outcome</Table.HeaderCell>
                <Table.HeaderCell>Amazon says</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {(messages?.messages ?? []).map((m) => (
                <Table.Row key={m.id}>
                  <Table.Cell>{m.seller_sku}</Table.Cell>
                  <Table.Cell>{m.quantity}</Table.Cell>
                  <Table.Cell>
                    <StatusBadge color={MESSAGE_COLORS[m.status]}>{m.status}</StatusBadge>
                  </Table.Cell>
                  <Table.Cell className="whitespace-normal">
                    {(m.issues ?? []).map((i) => `${i.code ?? ""} ${i.message ?? ""}`.trim()).join("; ") || "–"}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
          {messages && messages.count > messages.messages.length && (
            <Text size="xsmall" className="text-ui-fg-subtle">
              Showing {messages.messages.length} of {messages.count} SKUs.
            </Text>
          )}
        </Drawer.Body>
      </Drawer.Content>
    </Drawer>
  )
}
