import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { mcfState, ReleaseButton } from "../components/mcf-orders"
import { useAmazonMcfOrders } from "../hooks/api/amazon-mcf"
import { dateTime } from "../lib/format"

/**
 * Order page: the Multi-Channel Fulfillment orders of this store order (nothing for other orders): what Amazon
 * is doing with each, the carrier's tracking, what to do when Amazon could not ship, and "Release" for a hold.
 */
const OrderMcfWidget = ({ data: order }: { data: { id: string } }) => {
  const { data } = useAmazonMcfOrders({ limit: 10, offset: 0, order_id: order.id })
  const rows = data?.mcf_orders ?? []
  if (!rows.length) {
    return null
  }
  return (
    <Container className="flex flex-col gap-y-3 px-6 py-4" data-testid="order-mcf-widget">
      <Heading level="h2">Shipped by Amazon (MCF)</Heading>
      {rows.map((o) => {
        const s = mcfState(o)
        const shipped = (o.packages ?? []).filter((p) => p.tracking_number)
        return (
          <div key={o.id} className="flex flex-col gap-y-1">
            <div className="flex items-center justify-between gap-x-2">
              <Text size="small" weight="plus">
                {o.lines.reduce((n, l) => n + l.quantity, 0)} unit(s) · {o.service_tier.toLowerCase()}
              </Text>
              <StatusBadge color={s.color}>{s.label}</StatusBadge>
            </div>
            {shipped.map((p) => (
              <Text key={p.package_id} size="xsmall">
                {p.carrier_code ?? "Carrier"}{" "}
                <a href={p.tracking_url ?? undefined} target="_blank" rel="noreferrer" className="text-ui-fg-interactive">
                  {p.tracking_number}
                </a>
              </Text>
            ))}
            <Text size="xsmall" className="text-ui-fg-muted">
              Amazon order <code>{o.mcf_order_id}</code> · placed {dateTime(o.created_at)}
              {o.delivered_at ? ` · delivered ${dateTime(o.delivered_at)}` : ""}
            </Text>
            {o.last_error && (
              <Text size="xsmall" className="text-ui-fg-error">
                {o.last_error}
              </Text>
            )}
            <ReleaseButton order={o} />
          </div>
        )
      })}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default OrderMcfWidget
