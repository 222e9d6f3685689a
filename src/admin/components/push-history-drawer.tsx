import { Badge, Drawer, Skeleton, StatusBadge, Table, Text, Tooltip } from "@medusajs/ui"
import { useState } from "react"
import type { AmazonPushVerdict } from "../../types/http"
import { useAmazonListingPushes } from "../hooks/api/amazon-listing-pushes"
import { ago, dateTime, errorMessage } from "../lib/format"
import { QuantityChain } from "./quantity-chain"

const PAGE_SIZE = 20

const VERDICT: Record<AmazonPushVerdict, { label: string; color: "green" | "red" | "orange" | "grey" }> = {
  accepted: { label: "Accepted", color: "green" },
  rejected: { label: "Rejected", color: "red" },
  warning: { label: "Accepted with warning", color: "orange" },
  pending: { label: "Pending at Amazon", color: "orange" },
  unconfirmed: { label: "Not confirmed", color: "grey" },
}

export interface PushHistoryDrawerProps {
  listingId: string
  sellerSku: string
  open: boolean
  onOpenChange: (open: boolean) => void
}

/**
 * What was pushed to Amazon for one listing and when: every single-SKU patch and every feed that carried
 * it, newest first, with Amazon's verdict. Reads only while open.
 */
export const PushHistoryDrawer = ({ listingId, sellerSku, open, onOpenChange }: PushHistoryDrawerProps) => {
  const [pageIndex, setPageIndex] = useState(0)
  const { data, isLoading, error } = useAmazonListingPushes(listingId, { limit: PAGE_SIZE, offset: pageIndex * PAGE_SIZE }, { enabled: open })
  const pageCount = data ? Math.max(1, Math.ceil(data.count / PAGE_SIZE)) : 1
  return (
    <Drawer
      open={open}
      onOpenChange={(o) => {
        if (!o) setPageIndex(0)
        onOpenChange(o)
      }}
    >
      <Drawer.Content aria-describedby={undefined} data-testid="push-history-drawer">
        <Drawer.Header>
          <Drawer.Title>Push history · {sellerSku}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          <QuantityChain listingId={listingId} enabled={open} />
          <Text size="small" className="text-ui-fg-subtle">
            Quantities sent to Amazon for this SKU, newest first: single patches (applied at once) and feeds (processed by
            Amazon a few minutes later).
          </Text>
          {isLoading && (
            <div className="flex flex-col gap-y-2" data-testid="push-history-loading">
              {Array.from({ length: 5 }, (_, i) => (
                <Skeleton key={i} className="h-8 w-full" />
              ))}
            </div>
          )}
          {error && (
            <Text size="small" className="text-ui-fg-error" data-testid="push-history-error">
              Could not load the history: {errorMessage(error)}
            </Text>
          )}
          {data && data.count === 0 && (
            <Text size="small" className="text-ui-fg-subtle" data-testid="push-history-empty">
              Nothing has been pushed for this SKU yet (or only longer ago than the history is kept).
            </Text>
          )}
          {data && data.count > 0 && (
            <div>
              <Table>
                <Table.Header>
                  <Table.Row>
                    <Table.HeaderCell>Sent</Table.HeaderCell>
                    <Table.HeaderCell>Channel</Table.HeaderCell>
                    <Table.HeaderCell>Quantity</Table.HeaderCell>
                    <Table.HeaderCell>Verdict</Table.HeaderCell>
                    <Table.HeaderCell>Amazon says</Table.HeaderCell>
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {data.pushes.map((p, i) => (
                    <Table.Row key={`${p.sent_at}-${i}`}>
                      <Table.Cell>
                        <Tooltip content={p.settled_at ? `Settled ${dateTime(p.settled_at)}` : "Amazon has not answered yet"}>
                          <span>{dateTime(p.sent_at)}</span>
                        </Tooltip>
                      </Table.Cell>
                      <Table.Cell>
                        {p.channel === "patch" ? (
                          "Patch"
                        ) : (
                          <span>
                            Feed{" "}
                            <Badge size="2xsmall" className="ml-1">
                              {p.feed?.amazon_feed_id ?? p.feed?.id}
                            </Badge>
                          </span>
                        )}
                      </Table.Cell>
                      <Table.Cell>{p.quantity}</Table.Cell>
                      <Table.Cell>
                        <StatusBadge color={VERDICT[p.verdict].color}>{VERDICT[p.verdict].label}</StatusBadge>
                      </Table.Cell>
                      <Table.Cell className="whitespace-normal">
                        {p.message ? `${p.code && !p.message.startsWith(p.code) ? `${p.code}: ` : ""}${p.message}` : p.settled_at ? `– (${ago(p.settled_at)})` : "–"}
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
              <Table.Pagination
                count={data.count}
                pageSize={PAGE_SIZE}
                pageIndex={pageIndex}
                pageCount={pageCount}
                canPreviousPage={pageIndex > 0}
                canNextPage={pageIndex + 1 < pageCount}
                previousPage={() => setPageIndex((p) => Math.max(0, p - 1))}
                nextPage={() => setPageIndex((p) => p + 1)}
              />
            </div>
          )}
        </Drawer.Body>
      </Drawer.Content>
    </Drawer>
  )
}
