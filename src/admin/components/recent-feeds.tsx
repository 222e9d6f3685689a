import { createDataTableColumnHelper, DataTable, StatusBadge, useDataTable, type DataTablePaginationState } from "@medusajs/ui"
import { useState } from "react"
import type { AdminAmazonFeed } from "../../types/http"
import { useAmazonFeeds } from "../hooks/api/amazon-sync"
import { FEED_OUTCOMES } from "../lib/feed-outcomes"
import { ago, marketplaceName, paginationWords } from "../lib/format"

const PAGE = 10
const column = createDataTableColumnHelper<AdminAmazonFeed>()

const columns = [
  column.accessor("submitted_at", { header: "Sent", cell: ({ row }) => ago(row.original.submitted_at ?? row.original.created_at) }),
  column.accessor("marketplace_id", { header: "Marketplace", cell: ({ getValue }) => marketplaceName(getValue()) }),
  column.accessor("outcome", {
    header: "Result",
    cell: ({ row }) => {
      const f = row.original
      const o = FEED_OUTCOMES[f.outcome] ?? { label: f.status, color: "grey" as const }
      // the marker the admin walk (and a person's devtools) finds a feed's outcome by
      return (
        <span data-testid="feed-row" data-outcome={f.outcome}>
          <StatusBadge color={o.color}>{o.label}</StatusBadge>
        </span>
      )
    },
  }),
  column.accessor("message_count", { header: "SKUs" }),
  column.accessor("accepted_count", { header: "Applied", cell: ({ getValue }) => getValue() ?? "–" }),
  column.accessor("error_count", { header: "Refused", cell: ({ getValue }) => getValue() ?? "–" }),
  column.accessor("amazon_feed_id", { header: "Amazon feed", cell: ({ getValue }) => getValue() ?? "–" }),
]

/**
 * Quantity feeds sent to Amazon, newest first, ten a page (server-side paging); a click opens the feed's
 * per-SKU outcome.
 */
export const RecentFeeds = ({ onOpen }: { onOpen: (feedId: string) => void }) => {
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE })
  const { data, isLoading } = useAmazonFeeds({ limit: PAGE, offset: pagination.pageIndex * PAGE })
  const table = useDataTable({
    data: data?.feeds ?? [],
    columns,
    getRowId: (f) => f.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
    onRowClick: (_event, row) => onOpen(row.id),
  })
  return (
    <DataTable instance={table}>
      <DataTable.Table
        emptyState={{
          empty: {
            heading: "No feed sent yet",
            description: "Small changes go out as single-SKU patches: see a listing's push history.",
          },
        }}
      />
      <DataTable.Pagination translations={paginationWords("feeds")} />
    </DataTable>
  )
}
