import {
  Alert,
  Badge,
  Button,
  Container,
  createDataTableColumnHelper,
  createDataTableCommandHelper,
  DataTable,
  Heading,
  Select,
  Text,
  toast,
  useDataTable,
  usePrompt,
  type DataTablePaginationState,
  type DataTableRowSelectionState,
  type DataTableSortingState,
} from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { Link, useSearchParams } from "react-router-dom"
import { LinkVariantDrawer } from "../../../components/link-variant-modal"
import { ListingRulesDrawer } from "../../../components/listing-rules-drawer"
import { ListingsBulkLinkDrawer } from "../../../components/listings-bulk-link-drawer"
import { MappingImportDrawer } from "../../../components/mapping-import-drawer"
import { PushHistoryDrawer } from "../../../components/push-history-drawer"
import { PushStatusBadge } from "../../../components/push-status-badge"
import { useAmazonAccounts } from "../../../hooks/api/amazon-accounts"
import {
  downloadAmazonListingMapping,
  useAmazonListings,
  useAutoLinkAmazonListings,
  useBatchAmazonListings,
  useImportAmazonListings,
  useUnlinkAmazonListing,
} from "../../../hooks/api/amazon-listings"
import { ago, errorMessage, errorStatus, marketplaceName, paginationWords } from "../../../lib/format"
import type { AdminAmazonListing, AdminAmazonListingsQuery, AmazonListingSortField } from "../../../../types/http"

const ALL = "__all__"
const PAGE = 50

const column = createDataTableColumnHelper<AdminAmazonListing>()
const command = createDataTableCommandHelper()

/** Columns only there to be sorted by (the sorting menu lists them); their values show in other cells. */
const SORT_ONLY = { item_name: false, created_at: false }

/** Amazon listings and their mapping to store variants (SKU mapping, per-SKU rules, push state). */
const AmazonListingsPage = () => {
  const { data: accounts } = useAmazonAccounts()
  const [search, setSearch] = useState("")
  const [accountId, setAccountId] = useState(ALL)
  const [linked, setLinked] = useState(ALL)
  const [channel, setChannel] = useState(ALL)
  // the dashboard links here with ?push_status=error ("Open listings with errors")
  const [params] = useSearchParams()
  const [pushStatus, setPushStatus] = useState(() => {
    const wanted = params.get("push_status")
    return wanted && ["idle", "pending", "accepted", "error"].includes(wanted) ? wanted : ALL
  })
  const [history, setHistory] = useState<AdminAmazonListing | null>(null)
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE })
  const [sorting, setSorting] = useState<DataTableSortingState | null>(null)
  const [selection, setSelection] = useState<DataTableRowSelectionState>({})
  const [linking, setLinking] = useState<AdminAmazonListing | null>(null)
  const [ruling, setRuling] = useState<AdminAmazonListing | null>(null)
  const [bulkLinkIds, setBulkLinkIds] = useState<string[] | null>(null)
  const [importing, setImporting] = useState(false)
  const [exporting, setExporting] = useState(false)
  const prompt = usePrompt()

  // a new filter shows its first page; the selection is kept (bulk actions may span pages)
  useEffect(() => setPagination((p) => ({ ...p, pageIndex: 0 })), [search, accountId, linked, channel, pushStatus, sorting])

  const query: AdminAmazonListingsQuery = {
    q: search.trim() || undefined,
    account_id: accountId === ALL ? undefined : accountId,
    linked: linked === ALL ? undefined : linked === "linked",
    fulfillment_channel: channel === ALL ? undefined : (channel as "MERCHANT" | "AMAZON"),
    push_status: pushStatus === ALL ? undefined : pushStatus,
    order: sorting ? (`${sorting.desc ? "-" : ""}${sorting.id as AmazonListingSortField}` as AdminAmazonListingsQuery["order"]) : undefined,
    limit: PAGE,
    offset: pagination.pageIndex * PAGE,
  }
  const { data, isLoading, error } = useAmazonListings(query)
  const importListings = useImportAmazonListings()
  const autoLink = useAutoLinkAmazonListings()
  const unlink = useUnlinkAmazonListing()
  const batch = useBatchAmazonListings()
  const accountFilter = accountId === ALL ? undefined : accountId
  const filtered = !!query.q || accountId !== ALL || linked !== ALL || channel !== ALL || pushStatus !== ALL

  const runImport = async () => {
    try {
      await importListings.mutateAsync({ account_id: accountFilter })
      toast.success("Importing listings from Amazon", { description: "Runs in the background; the list refreshes in a moment." })
    } catch (e) {
      if (errorStatus(e) === 409) {
        toast.info("An import is already running", { description: errorMessage(e) })
      } else {
        toast.error("Import not started", { description: errorMessage(e) })
      }
    }
  }
  const runAutoLink = async () => {
    try {
      const res = await autoLink.mutateAsync({ account_id: accountFilter })
      toast.success(`${res.linked} SKU(s) linked by matching SKU`, {
        description: res.unmatched_skus.length ? `${res.unmatched_skus.length} SKU(s) have no variant with the same SKU.` : undefined,
      })
      if (res.conflicts.length) {
        const shown = res.conflicts.slice(0, 5).map((c) => `${c.seller_sku} (variant already sold as ${c.linked_seller_sku})`)
        toast.warning(`${res.conflicts.length} SKU(s) left unlinked`, {
          description:
            `Their variant already sells through another merchant SKU of the same marketplace; two SKUs would advertise the same units: ` +
            `${shown.join(", ")}${res.conflicts.length > shown.length ? ", …" : ""}`,
        })
      }
    } catch (e) {
      toast.error("Auto-link failed", { description: errorMessage(e) })
    }
  }
  const runExport = async () => {
    setExporting(true)
    try {
      await downloadAmazonListingMapping(accountFilter)
    } catch (e) {
      toast.error("Export failed", { description: errorMessage(e) })
    } finally {
      setExporting(false)
    }
  }
  const runUnlink = async (l: AdminAmazonListing) => {
    const ok = await prompt({
      title: `Unlink ${l.seller_sku}?`,
      description: `It stops selling ${l.product_variant?.sku ?? "its variant"}'s stock. Amazon keeps the quantity it last received until you link it again.`,
      confirmText: "Unlink",
      cancelText: "Cancel",
    })
    if (!ok) return
    try {
      await unlink.mutateAsync(l.id)
      toast.success(`${l.seller_sku} unlinked`, { description: "Amazon keeps the quantity it last received." })
    } catch (e) {
      toast.error("Could not unlink", { description: errorMessage(e) })
    }
  }
  const runBulkUnlink = async (ids: string[]) => {
    const ok = await prompt({
      title: `Unlink ${ids.length} selected listing(s)?`,
      description: "Selected listings that are not linked stay as they are. Amazon keeps the quantities it last received.",
      confirmText: "Unlink",
      cancelText: "Cancel",
    })
    if (!ok) return
    try {
      const res = await batch.mutateAsync({ unlink: ids })
      toast.success(`${res.unlinked} listing(s) unlinked`, { description: res.unchanged ? `${res.unchanged} were not linked.` : undefined })
      setSelection({})
    } catch (e) {
      toast.error("Nothing was unlinked", { description: errorMessage(e) })
    }
  }

  const accountName = (id: string) => accounts?.accounts.find((a) => a.id === id)?.name ?? id
  const manyAccounts = (accounts?.accounts.length ?? 0) > 1

  const columns = useMemo(
    () => [
      column.select(),
      column.accessor("seller_sku", {
        header: "Amazon SKU",
        enableSorting: true,
        sortLabel: "Amazon SKU",
        cell: ({ row: { original: l } }) => (
          <div className="flex min-w-0 max-w-[18rem] flex-col py-1">
            <span className="truncate" title={l.seller_sku}>
              {l.seller_sku}
            </span>
            {l.item_name && (
              <span className="text-ui-fg-subtle txt-compact-xsmall truncate" title={l.item_name}>
                {l.item_name}
              </span>
            )}
            <span className="text-ui-fg-muted txt-compact-xsmall truncate">
              {l.asin ?? "no ASIN"}
              {manyAccounts ? ` · ${accountName(l.account_id)}` : ""}
            </span>
          </div>
        ),
      }),
      column.accessor("item_name", { header: "Item name", enableSorting: true, sortLabel: "Item name (Amazon)" }),
      column.accessor("marketplace_id", {
        header: "Marketplace",
        enableSorting: true,
        cell: ({ getValue }) => marketplaceName(getValue()),
      }),
      column.accessor("fulfillment_channel", {
        header: "Fulfillment",
        enableSorting: true,
        cell: ({ getValue }) => (
          <Badge size="2xsmall" color={getValue() === "AMAZON" ? "purple" : "blue"}>
            {getValue() === "AMAZON" ? "FBA" : "Merchant"}
          </Badge>
        ),
      }),
      column.display({
        id: "variant",
        header: "Store variant",
        // the mapping and its Link / Change button sit together (the browser test finds both by the SKU's test id)
        cell: ({ row: { original: l } }) => (
          <div className="flex items-center justify-between gap-x-2" data-testid={`listing-${l.seller_sku}`}>
            {l.product_variant ? (
              <Link to={`/products/${l.product_variant.product_id}/variants/${l.product_variant.id}`} className="text-ui-fg-interactive truncate">
                {l.product_variant.sku ?? l.product_variant.title}
                {l.product_variant.product?.title ? ` · ${l.product_variant.product.title}` : ""}
              </Link>
            ) : (
              <span className="text-ui-fg-muted">Not linked</span>
            )}
            <Button size="small" variant="secondary" onClick={() => setLinking(l)}>
              {l.product_variant ? "Change" : "Link"}
            </Button>
          </div>
        ),
      }),
      column.accessor("last_accepted_at", {
        header: "On Amazon",
        enableSorting: true,
        sortLabel: "Last accepted by Amazon",
        cell: ({ row: { original: l } }) =>
          l.fulfillment_channel === "AMAZON"
            ? "managed by Amazon"
            : l.last_accepted_quantity !== null
              ? `${l.last_accepted_quantity} (${ago(l.last_accepted_at)})`
              : "–",
      }),
      column.accessor("push_status", {
        header: "Push",
        enableSorting: true,
        cell: ({ row: { original: l } }) => <PushStatusBadge status={l.push_status} error={l.last_error} code={l.last_error_code} channel={l.fulfillment_channel} />,
      }),
      column.accessor("last_sent_at", {
        header: "Last sent",
        enableSorting: true,
        cell: ({ getValue }) => (getValue() ? ago(getValue()) : "–"),
      }),
      column.accessor("created_at", { header: "Imported", enableSorting: true, sortLabel: "Imported" }),
      column.display({
        id: "rules",
        header: "Rules",
        cell: ({ row: { original: l } }) =>
          l.rules && Object.keys(l.rules).length ? (
            <Badge size="2xsmall">{Object.entries(l.rules).map(([k, v]) => `${k} ${v}`).join(", ")}</Badge>
          ) : (
            <span className="text-ui-fg-muted">account</span>
          ),
      }),
      column.display({
        id: "actions",
        cell: ({ row: { original: l } }) => (
          <div className="flex justify-end gap-x-1">
            <Button size="small" variant="transparent" onClick={() => setHistory(l)} data-testid={`history-${l.seller_sku}`}>
              History
            </Button>
            <Button size="small" variant="transparent" onClick={() => setRuling(l)}>
              Rules
            </Button>
            {l.product_variant ? (
              <Button size="small" variant="transparent" onClick={() => runUnlink(l)}>
                Unlink
              </Button>
            ) : null}
          </div>
        ),
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [manyAccounts, accounts]
  )

  const commands = [
    command.command({ label: "Link selected…", shortcut: "l", action: async (sel) => setBulkLinkIds(Object.keys(sel)) }),
    command.command({ label: "Unlink selected", shortcut: "u", action: async (sel) => runBulkUnlink(Object.keys(sel)) }),
  ]

  const table = useDataTable({
    data: data?.listings ?? [],
    columns,
    getRowId: (l) => l.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
    sorting: { state: sorting, onSortingChange: setSorting },
    search: { state: search, onSearchChange: setSearch, debounce: 250 },
    rowSelection: { state: selection, onRowSelectionChange: setSelection },
    columnVisibility: { state: SORT_ONLY, onColumnVisibilityChange: () => undefined },
    commands,
  })

  return (
    <div className="flex min-w-0 flex-col gap-y-3">
      <Container className="flex min-w-0 flex-col gap-y-4 px-4 py-4 sm:px-6">
        <div className="flex flex-col gap-3 md:flex-row md:items-start md:justify-between">
          <div className="min-w-0">
            <Heading level="h1">Amazon listings</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              Map each Amazon SKU to the variant it sells. Mapped merchant-fulfilled SKUs get the variant's available stock.{" "}
              <Link to="/amazon" className="text-ui-fg-interactive">
                Back to the dashboard
              </Link>
            </Text>
          </div>
          <div className="flex flex-wrap gap-2 md:shrink-0 md:justify-end">
            <Button size="small" variant="secondary" onClick={runExport} isLoading={exporting}>
              Export CSV
            </Button>
            <Button size="small" variant="secondary" onClick={() => setImporting(true)}>
              Import CSV
            </Button>
            <Button size="small" variant="secondary" onClick={runAutoLink} isLoading={autoLink.isPending}>
              Auto-link by SKU
            </Button>
            <Button size="small" onClick={runImport} isLoading={importListings.isPending}>
              Import from Amazon
            </Button>
          </div>
        </div>
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-4">
          <Select value={accountId} onValueChange={setAccountId}>
            <Select.Trigger aria-label="Account">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value={ALL}>All accounts</Select.Item>
              {(accounts?.accounts ?? []).map((a) => (
                <Select.Item key={a.id} value={a.id}>
                  {a.name}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
          <Select value={linked} onValueChange={setLinked}>
            <Select.Trigger aria-label="Mapping">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value={ALL}>Linked and not linked</Select.Item>
              <Select.Item value="linked">Linked</Select.Item>
              <Select.Item value="unlinked">Not linked</Select.Item>
            </Select.Content>
          </Select>
          <Select value={channel} onValueChange={setChannel}>
            <Select.Trigger aria-label="Fulfillment">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value={ALL}>All fulfillment</Select.Item>
              <Select.Item value="MERCHANT">Merchant fulfilled</Select.Item>
              <Select.Item value="AMAZON">Fulfilled by Amazon</Select.Item>
            </Select.Content>
          </Select>
          <Select value={pushStatus} onValueChange={setPushStatus}>
            <Select.Trigger aria-label="Push status">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value={ALL}>Any push status</Select.Item>
              <Select.Item value="idle">Nothing sent yet</Select.Item>
              <Select.Item value="pending">Pending at Amazon</Select.Item>
              <Select.Item value="accepted">Accepted</Select.Item>
              <Select.Item value="error">Error</Select.Item>
            </Select.Content>
          </Select>
        </div>
      </Container>

      {/* overflow-hidden: a wide table scrolls inside its own container, never the page */}
      <Container className="min-w-0 overflow-hidden p-0">
        <DataTable instance={table}>
          <DataTable.Toolbar className="flex flex-wrap items-center gap-2 px-4 sm:px-6">
            <div className="min-w-0 flex-1 basis-56">
              <DataTable.Search placeholder="Search SKU, ASIN or item name" />
            </div>
            <DataTable.SortingMenu tooltip="Sort" />
            {!!data?.count && (
              <Text size="small" className="text-ui-fg-subtle whitespace-nowrap">
                {pagination.pageIndex * PAGE + 1}–{Math.min((pagination.pageIndex + 1) * PAGE, data.count)} of {data.count} listings
              </Text>
            )}
            {Object.keys(selection).length > 0 && (
              <Button size="small" variant="transparent" onClick={() => setSelection({})}>
                Clear selection ({Object.keys(selection).length})
              </Button>
            )}
          </DataTable.Toolbar>
          {error ? (
            <div className="px-4 py-4 sm:px-6">
              <Alert variant="error">Could not load listings: {errorMessage(error)}</Alert>
            </div>
          ) : (
            <DataTable.Table
              emptyState={{
                empty: {
                  heading: "No listing matches",
                  description: filtered ? "Change the filters or the search." : "Use “Import from Amazon” to read the seller's listings.",
                },
                filtered: { heading: "No listing matches", description: "Change the search or the filters." },
              }}
            />
          )}
          <DataTable.Pagination translations={paginationWords("listings")} />
          <DataTable.CommandBar selectedLabel={(n) => `${n} selected`} />
        </DataTable>
      </Container>
      <LinkVariantDrawer listing={linking} onClose={() => setLinking(null)} />
      <ListingRulesDrawer listing={ruling} onClose={() => setRuling(null)} />
      <PushHistoryDrawer
        listingId={history?.id ?? ""}
        sellerSku={history?.seller_sku ?? ""}
        open={!!history}
        onOpenChange={(o) => !o && setHistory(null)}
      />
      <ListingsBulkLinkDrawer
        ids={bulkLinkIds}
        onClose={() => setBulkLinkIds(null)}
        onDone={() => {
          setBulkLinkIds(null)
          setSelection({})
        }}
      />
      <MappingImportDrawer open={importing} onClose={() => setImporting(false)} />
    </div>
  )
}

export default AmazonListingsPage
