import { Button, Table, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useAmazonListing } from "../hooks/api/amazon-listings"
import { useAmazonOrders, useRequestAmazonSync, useRetryAmazonOrder } from "../hooks/api/amazon-sync"
import { ago, errorMessage, errorStatus, shipByText } from "../lib/format"
import { sdk } from "../lib/sdk"
import { LinkVariantDrawer } from "./link-variant-modal"
import type { AdminAmazonListingResponse, AdminAmazonOrder } from "../../types/http"

/**
 * Amazon orders that could not become store orders, each actionable where it is shown: "Map SKU…" opens
 * the link drawer for the unknown SKU (the order then imports by itself with the next import run), the
 * order's age against Amazon's ship-by time, Retry, and the order in Seller Central.
 */
export const AttentionOrders = () => {
  const { data, isLoading, error } = useAmazonOrders({ import_status: "needs_attention", limit: 20 })
  const retry = useRetryAmazonOrder()
  const [listingId, setListingId] = useState<string | null>(null)
  const { data: listing } = useAmazonListing(listingId)
  const sync = useRequestAmazonSync()

  /**
   * The drawer closes after a link or a cancel: when the listing is linked now, the orders waiting for it
   * import with the next order-import run; start that run now instead of waiting for the schedule.
   */
  const afterLink = async (id: string | null) => {
    setListingId(null)
    if (!id) return
    try {
      const fresh = await sdk.client.fetch<AdminAmazonListingResponse>(`/admin/amazon/listings/${id}`)
      if (!fresh.listing.product_variant?.id) return
      await sync.mutateAsync({ stream: "orders", account_id: fresh.listing.account_id }).catch((e) => {
        // 409: an import is already running; it retries the waiting orders too
        if (errorStatus(e) !== 409) throw e
      })
      toast.success(`${fresh.listing.seller_sku} is mapped`, { description: "The orders waiting for it are being imported now." })
    } catch (e) {
      toast.error("Could not start the order import", { description: errorMessage(e) })
    }
  }

  const retryOrder = async (o: AdminAmazonOrder) => {
    try {
      const res = await retry.mutateAsync(o.id)
      if (res.outcome === "imported") {
        toast.success(`Order ${o.amazon_order_id} imported`)
      } else {
        toast.warning(`Order ${o.amazon_order_id}: ${res.outcome}`, { description: res.amazon_order.attention_reason ?? res.error ?? undefined })
      }
    } catch (e) {
      toast.error(`Order ${o.amazon_order_id} could not be retried`, { description: errorMessage(e) })
    }
  }

  if (isLoading) {
    return (
      <div className="flex flex-col gap-y-2 px-6 py-4" aria-busy="true">
        <div className="bg-ui-bg-component h-5 w-2/3 animate-pulse rounded" />
        <div className="bg-ui-bg-component h-5 w-1/2 animate-pulse rounded" />
      </div>
    )
  }
  if (error) {
    return (
      <Text size="small" className="text-ui-fg-error px-6 py-4">
        Could not load the orders: {errorMessage(error)}
      </Text>
    )
  }
  const orders = data?.orders ?? []
  if (!orders.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle px-6 py-4">
        All Amazon orders were imported.
      </Text>
    )
  }
  return (
    <>
      <div className="overflow-x-auto">
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Amazon order</Table.HeaderCell>
              <Table.HeaderCell>Placed</Table.HeaderCell>
              <Table.HeaderCell>Why it waits</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {orders.map((o) => {
              const due = shipByText(o.attention?.ship_by)
              const unmapped = (o.attention?.skus ?? []).filter((s) => !s.linked)
              return (
                <Table.Row key={o.id} data-testid="attention-order">
                  <Table.Cell className="whitespace-normal py-2">
                    <div>{o.amazon_order_id}</div>
                    {o.seller_central_url && (
                      <a href={o.seller_central_url} target="_blank" rel="noreferrer noopener" className="txt-compact-xsmall text-ui-fg-interactive">
                        Open in Seller Central
                      </a>
                    )}
                  </Table.Cell>
                  <Table.Cell className="whitespace-normal py-2">
                    <div>{ago(o.amazon_created_at ?? o.attention?.placed_at)}</div>
                    {due && (
                      <Text size="xsmall" className={due.late ? "text-ui-fg-error" : "text-ui-fg-subtle"} data-testid="attention-ship-by">
                        {due.text}
                      </Text>
                    )}
                  </Table.Cell>
                  <Table.Cell className="whitespace-normal py-2">
                    <Text size="small">{o.attention_reason}</Text>
                    {o.attempts > 1 && (
                      <Text size="xsmall" className="text-ui-fg-muted">
                        tried {o.attempts} times
                      </Text>
                    )}
                  </Table.Cell>
                  <Table.Cell className="py-2">
                    <div className="flex flex-wrap justify-end gap-2">
                      {o.attention_code === "UNKNOWN_SKU" &&
                        unmapped.map((s) =>
                          s.listing_id ? (
                            <Button key={s.seller_sku} size="small" variant="primary" onClick={() => setListingId(s.listing_id)} data-testid="attention-map-sku">
                              Map {s.seller_sku}…
                            </Button>
                          ) : (
                            <Text key={s.seller_sku} size="xsmall" className="text-ui-fg-subtle">
                              {s.seller_sku}: not imported yet — import the listings first
                            </Text>
                          )
                        )}
                      <Button size="small" variant="secondary" onClick={() => retryOrder(o)} isLoading={retry.isPending && retry.variables === o.id}>
                        Retry
                      </Button>
                    </div>
                  </Table.Cell>
                </Table.Row>
              )
            })}
          </Table.Body>
        </Table>
      </div>
      <LinkVariantDrawer listing={listingId && listing?.listing ? listing.listing : null} onClose={() => afterLink(listingId)} />
    </>
  )
}
