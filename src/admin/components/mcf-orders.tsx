import { Button, createDataTableColumnHelper, DataTable, StatusBadge, toast, useDataTable, type DataTablePaginationState } from "@medusajs/ui"
import { useState } from "react"
import { Link } from "react-router-dom"
import type { AdminAmazonMcfOrder } from "../../types/http"
import { useAmazonMcfOrders, useReleaseAmazonMcfOrder } from "../hooks/api/amazon-mcf"
import { ago, errorMessage, paginationWords } from "../lib/format"

const PAGE = 10
const column = createDataTableColumnHelper<AdminAmazonMcfOrder>()

const STATUS: Record<AdminAmazonMcfOrder["status"], { label: string; color: "green" | "orange" | "red" | "grey" | "blue" }> = {
  requested: { label: "Sending to Amazon", color: "blue" },
  processing: { label: "Amazon is packing", color: "blue" },
  held: { label: "On hold at Amazon", color: "orange" },
  complete: { label: "Shipped", color: "green" },
  complete_partial: { label: "Partly shipped", color: "orange" },
  cancelled: { label: "Cancelled", color: "grey" },
  unfulfillable: { label: "Amazon cannot ship", color: "red" },
  invalid: { label: "Invalid at Amazon", color: "red" },
  refused: { label: "Refused by Amazon", color: "red" },
}

export function mcfState(o: AdminAmazonMcfOrder): { label: string; color: "green" | "orange" | "red" | "grey" | "blue" } {
  if (o.delivered_at) return { label: "Delivered", color: "green" }
  if (o.cancelled_by === "amazon") return { label: "Cancelled by Amazon", color: "red" }
  if (o.shipped_at && (o.status === "processing" || o.status === "complete")) return { label: "On its way", color: "green" }
  return STATUS[o.status] ?? { label: o.status, color: "grey" }
}

/** "Release" for an order Amazon holds (account setting: ship on hold until released). */
export const ReleaseButton = ({ order }: { order: AdminAmazonMcfOrder }) => {
  const release = useReleaseAmazonMcfOrder()
  if (order.status !== "held") return null
  return (
    <Button
      size="small"
      variant="secondary"
      isLoading={release.isPending}
      onClick={async (e) => {
        e.stopPropagation()
        try {
          await release.mutateAsync(order.id)
          toast.success("Released: Amazon ships it now")
        } catch (err) {
          toast.error("Could not release the order", { description: errorMessage(err) })
        }
      }}
    >
      Release
    </Button>
  )
}

const columns = [
  column.accessor("created_at", { header: "Placed", cell: ({ getValue }) => ago(getValue()) }),
  column.accessor("order_id", {
    header: "Order",
    cell: ({ getValue }) => (
      <Link to={`/orders/${getValue()}`} className="text-ui-fg-interactive" onClick={(e) => e.stopPropagation()}>
        {getValue().slice(-8)}
      </Link>
    ),
  }),
  column.accessor("status", {
    header: "State",
    cell: ({ row }) => {
      const s = mcfState(row.original)
      return (
        <span data-testid="mcf-row" data-status={row.original.status}>
          <StatusBadge color={s.color}>{s.label}</StatusBadge>
        </span>
      )
    },
  }),
  column.accessor("service_tier", { header: "Speed", cell: ({ getValue }) => getValue().toLowerCase() }),
  column.accessor("lines", { header: "Units", cell: ({ getValue }) => (getValue() ?? []).reduce((s, l) => s + l.quantity, 0) }),
  column.accessor("packages", {
    header: "Tracking",
    cell: ({ getValue }) => {
      const shipped = (getValue() ?? []).filter((p) => p.tracking_number)
      return shipped.length
        ? shipped.map((p) => (
            <a key={p.package_id} href={p.tracking_url ?? undefined} target="_blank" rel="noreferrer" className="text-ui-fg-interactive mr-2">
              {p.carrier_code ? `${p.carrier_code} ` : ""}
              {p.tracking_number}
            </a>
          ))
        : "–"
    },
  }),
  column.accessor("last_error", {
    header: "What to do",
    cell: ({ row }) =>
      row.original.status === "held" ? <ReleaseButton order={row.original} /> : <span className="whitespace-normal">{row.original.last_error ?? "–"}</span>,
  }),
  column.accessor("mcf_order_id", { header: "Amazon order", cell: ({ getValue }) => <code className="text-ui-fg-subtle">{getValue()}</code> }),
]

/**
 * The store's own orders that Amazon ships from FBA stock (Multi-Channel Fulfillment): their state at Amazon,
 * tracking numbers, and what to do when Amazon could not ship.
 */
export const McfOrders = () => {
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE })
  const { data, isLoading } = useAmazonMcfOrders({ limit: PAGE, offset: pagination.pageIndex * PAGE })
  const table = useDataTable({
    data: data?.mcf_orders ?? [],
    columns,
    getRowId: (o) => o.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
  })
  return (
    <DataTable instance={table}>
      <DataTable.Table
        emptyState={{
          empty: {
            heading: "No order shipped by Amazon yet",
            description: "Offer Amazon MCF shipping in Settings → Amazon; orders fulfilled from the FBA location then ship from Amazon's warehouses.",
          },
        }}
      />
      <DataTable.Pagination translations={paginationWords("orders")} />
    </DataTable>
  )
}
