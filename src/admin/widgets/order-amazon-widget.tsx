import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Badge, Container, Heading, Text } from "@medusajs/ui"
import { useAmazonOrders } from "../hooks/api/amazon-sync"
import { dateTime, marketplaceName } from "../lib/format"

const IMPORT_COLORS = { imported: "green", pending: "orange", needs_attention: "red" } as const

/** Order page: the Amazon order this store order was imported from (nothing for other orders). */
const OrderAmazonWidget = ({ data: order }: { data: { id: string } }) => {
  const { data } = useAmazonOrders({ order_id: order.id, limit: 1 })
  const amazonOrder = data?.orders[0]
  if (!amazonOrder) {
    return null
  }
  return (
    <Container className="divide-y p-0" data-testid="amazon-order-widget">
      <div className="px-6 py-4">
        <Heading level="h2">Amazon</Heading>
      </div>
      <div className="flex flex-col gap-y-2 px-6 py-4">
        <div className="flex items-center justify-between">
          <Text size="small" className="text-ui-fg-subtle">
            Amazon order
          </Text>
          <Text size="small" weight="plus">
            {amazonOrder.amazon_order_id}
          </Text>
        </div>
        <div className="flex items-center justify-between">
          <Text size="small" className="text-ui-fg-subtle">
            Amazon status
          </Text>
          <Badge size="2xsmall">{amazonOrder.status}</Badge>
        </div>
        <div className="flex items-center justify-between">
          <Text size="small" className="text-ui-fg-subtle">
            Marketplace
          </Text>
          <Text size="small">{marketplaceName(amazonOrder.marketplace_id)}</Text>
        </div>
        <div className="flex items-center justify-between">
          <Text size="small" className="text-ui-fg-subtle">
            Fulfilled by
          </Text>
          <Text size="small">{amazonOrder.fulfillment_channel === "AMAZON" ? "Amazon (FBA)" : "Merchant"}</Text>
        </div>
        <div className="flex items-center justify-between">
          <Text size="small" className="text-ui-fg-subtle">
            Import
          </Text>
          <Badge size="2xsmall" color={IMPORT_COLORS[amazonOrder.import_status]}>
            {amazonOrder.import_status.replace("_", " ")}
          </Badge>
        </div>
        <Text size="xsmall" className="text-ui-fg-muted">
          Last change at Amazon: {dateTime(amazonOrder.amazon_updated_at)}
        </Text>
      </div>
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default OrderAmazonWidget
