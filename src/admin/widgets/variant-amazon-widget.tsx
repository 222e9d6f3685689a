import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, Table, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { PushStatusBadge } from "../components/push-status-badge"
import { useAmazonListings } from "../hooks/api/amazon-listings"
import { ago, errorMessage, marketplaceName } from "../lib/format"

/** Variant page: the Amazon listings this variant sells as, what Amazon last accepted, and the last result. */
const VariantAmazonWidget = ({ data: variant }: { data: { id: string; sku?: string | null } }) => {
  const { data, isLoading, error } = useAmazonListings({ variant_id: variant.id, limit: 20 })
  return (
    <Container className="divide-y p-0" data-testid="amazon-variant-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Amazon</Heading>
        <Button size="small" variant="secondary" asChild>
          <Link to="/amazon/listings">Manage listings</Link>
        </Button>
      </div>
      {isLoading && <Text className="px-6 py-4">Loading…</Text>}
      {error && <Text className="text-ui-fg-error px-6 py-4">{errorMessage(error)}</Text>}
      {data && data.listings.length === 0 && (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          Not sold on Amazon: no Amazon SKU is linked to this variant.
        </Text>
      )}
      {data && data.listings.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Amazon SKU</Table.HeaderCell>
              <Table.HeaderCell>Marketplace</Table.HeaderCell>
              <Table.HeaderCell>Pushed quantity</Table.HeaderCell>
              <Table.HeaderCell>Last result</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.listings.map((l) => (
              <Table.Row key={l.id}>
                <Table.Cell>
                  {l.seller_sku}
                  {l.fulfillment_channel === "AMAZON" ? " (FBA)" : ""}
                </Table.Cell>
                <Table.Cell>{marketplaceName(l.marketplace_id)}</Table.Cell>
                <Table.Cell>
                  {l.fulfillment_channel === "AMAZON"
                    ? "managed by Amazon"
                    : l.last_accepted_quantity !== null
                      ? `${l.last_accepted_quantity} accepted ${ago(l.last_accepted_at)}`
                      : l.last_sent_quantity !== null
                        ? `${l.last_sent_quantity} sent ${ago(l.last_sent_at)}`
                        : "not pushed yet"}
                </Table.Cell>
                <Table.Cell>
                  <div className="flex flex-col gap-y-1">
                    <PushStatusBadge status={l.push_status} error={l.last_error} code={l.last_error_code} />
                    {l.push_status === "error" && (
                      <Text size="xsmall" className="text-ui-fg-error">
                        {l.last_error_code}: {l.last_error}
                      </Text>
                    )}
                  </div>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "product_variant.details.after",
})

export default VariantAmazonWidget
