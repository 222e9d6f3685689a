import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, Skeleton, Table, Text } from "@medusajs/ui"
import { Fragment, useState } from "react"
import { Link } from "react-router-dom"
import type { AdminAmazonListing } from "../../types/http"
import { PushHistoryDrawer } from "../components/push-history-drawer"
import { PushStatusBadge } from "../components/push-status-badge"
import { useAmazonListingExplain } from "../hooks/api/amazon-listing-pushes"
import { useAmazonListings } from "../hooks/api/amazon-listings"
import { ago, dateTime, errorMessage, marketplaceName } from "../lib/format"

/** How the listing's number comes about (the push's own computation) and when the push job runs next. */
const ExplainLine = ({ listingId }: { listingId: string }) => {
  const { data, isLoading, error } = useAmazonListingExplain(listingId)
  if (isLoading) return <Skeleton className="h-4 w-2/3" />
  if (error) {
    return (
      <Text size="xsmall" className="text-ui-fg-error">
        Could not explain the quantity: {errorMessage(error)}
      </Text>
    )
  }
  if (!data) return null
  const e = data.explain
  return (
    <div className="flex flex-col gap-y-0.5" data-testid="amazon-variant-explain">
      <Text size="small">{e.summary}</Text>
      {e.state === "computed" && (
        <Text size="xsmall" className="text-ui-fg-subtle">
          Next push run: {e.next_push_at ? `${dateTime(e.next_push_at)} (${ago(e.next_push_at)})` : "unknown"}
          {e.queued ? " · a change is queued" : ""}
        </Text>
      )}
    </div>
  )
}

/**
 * Variant page: the Amazon listings this variant sells as, what Amazon last accepted, the last result, and
 * for each one how the pushed number comes about, when the next push runs, and its push history.
 */
const VariantAmazonWidget = ({ data: variant }: { data: { id: string; sku?: string | null } }) => {
  const { data, isLoading, error } = useAmazonListings({ variant_id: variant.id, limit: 20 })
  const [history, setHistory] = useState<AdminAmazonListing | null>(null)
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
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.listings.map((l) => (
              <Fragment key={l.id}>
                <Table.Row className="[&_td]:border-b-0">
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
                      <PushStatusBadge status={l.push_status} error={l.last_error} code={l.last_error_code} channel={l.fulfillment_channel} />
                      {l.push_status === "error" && (
                        <Text size="xsmall" className="text-ui-fg-error">
                          {l.last_error_code}: {l.last_error}
                        </Text>
                      )}
                    </div>
                  </Table.Cell>
                  <Table.Cell className="text-right">
                    {l.fulfillment_channel === "MERCHANT" && (
                      <Button size="small" variant="transparent" onClick={() => setHistory(l)}>
                        Push history
                      </Button>
                    )}
                  </Table.Cell>
                </Table.Row>
                <Table.Row>
                  {/* Table.Cell's props have no colSpan: a plain cell spans the row (the row pads its first cell) */}
                  <td colSpan={5} className="whitespace-normal pb-3">
                    <ExplainLine listingId={l.id} />
                  </td>
                </Table.Row>
              </Fragment>
            ))}
          </Table.Body>
        </Table>
      )}
      {history && (
        <PushHistoryDrawer
          listingId={history.id}
          sellerSku={history.seller_sku}
          open={!!history}
          onOpenChange={(open) => !open && setHistory(null)}
        />
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "product_variant.details.after",
})

export default VariantAmazonWidget
