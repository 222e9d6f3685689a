import { Badge, Button, Container, Heading, Input, Select, Table, Text, toast } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { Link } from "react-router-dom"
import { LinkVariantDrawer } from "../../../components/link-variant-modal"
import { ListingRulesDrawer } from "../../../components/listing-rules-drawer"
import { PushStatusBadge } from "../../../components/push-status-badge"
import { useAmazonAccounts } from "../../../hooks/api/amazon-accounts"
import {
  useAmazonListings,
  useAutoLinkAmazonListings,
  useImportAmazonListings,
  useUnlinkAmazonListing,
  type ListingsQuery,
} from "../../../hooks/api/amazon-listings"
import { ago, errorMessage, errorStatus, marketplaceName } from "../../../lib/format"
import type { AdminAmazonListing } from "../../../../types/http"

const ALL = "__all__"
const PAGE = 50

/** Amazon listings and their mapping to store variants (SKU mapping, per-SKU rules, push state). */
const AmazonListingsPage = () => {
  const { data: accounts } = useAmazonAccounts()
  const [search, setSearch] = useState("")
  const [q, setQ] = useState("")
  const [accountId, setAccountId] = useState(ALL)
  const [linked, setLinked] = useState(ALL)
  const [channel, setChannel] = useState(ALL)
  const [pushStatus, setPushStatus] = useState(ALL)
  const [offset, setOffset] = useState(0)
  const [linking, setLinking] = useState<AdminAmazonListing | null>(null)
  const [ruling, setRuling] = useState<AdminAmazonListing | null>(null)

  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 250)
    return () => clearTimeout(t)
  }, [search])
  useEffect(() => setOffset(0), [q, accountId, linked, channel, pushStatus])

  const query: ListingsQuery = {
    q: q || undefined,
    account_id: accountId === ALL ? undefined : accountId,
    linked: linked === ALL ? undefined : linked === "linked",
    fulfillment_channel: channel === ALL ? undefined : (channel as "MERCHANT" | "AMAZON"),
    push_status: pushStatus === ALL ? undefined : pushStatus,
    limit: PAGE,
    offset,
  }
  const { data, isLoading, error } = useAmazonListings(query)
  const importListings = useImportAmazonListings()
  const autoLink = useAutoLinkAmazonListings()
  const unlink = useUnlinkAmazonListing()
  const accountFilter = accountId === ALL ? undefined : accountId

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
  const runUnlink = async (l: AdminAmazonListing) => {
    try {
      await unlink.mutateAsync(l.id)
      toast.success(`${l.seller_sku} unlinked`, { description: "Amazon keeps the quantity it last received." })
    } catch (e) {
      toast.error("Could not unlink", { description: errorMessage(e) })
    }
  }

  const accountName = (id: string) => accounts?.accounts.find((a) => a.id === id)?.name ?? id

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="flex flex-col gap-y-4 px-6 py-4">
        <div className="flex items-start justify-between gap-x-4">
          <div>
            <Heading level="h1">Amazon listings</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              Map each Amazon SKU to the variant it sells. Mapped merchant-fulfilled SKUs get the variant's available stock.{" "}
              <Link to="/amazon" className="text-ui-fg-interactive">
                Back to the dashboard
              </Link>
            </Text>
          </div>
          <div className="flex shrink-0 gap-x-2">
            <Button size="small" variant="secondary" onClick={runAutoLink} isLoading={autoLink.isPending}>
              Auto-link by SKU
            </Button>
            <Button size="small" onClick={runImport} isLoading={importListings.isPending}>
              Import from Amazon
            </Button>
          </div>
        </div>
        <div className="grid grid-cols-2 gap-2 lg:grid-cols-5">
          <Input type="search" placeholder="Search SKU or ASIN" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search SKU or ASIN" />
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
              <Select.Item value="idle">Not pushed</Select.Item>
              <Select.Item value="pending">Pending at Amazon</Select.Item>
              <Select.Item value="accepted">Accepted</Select.Item>
              <Select.Item value="error">Error</Select.Item>
            </Select.Content>
          </Select>
        </div>
      </Container>

      <Container className="p-0">
        {isLoading && <Text className="px-6 py-4">Loading listings…</Text>}
        {error && <Text className="text-ui-fg-error px-6 py-4">Could not load listings: {errorMessage(error)}</Text>}
        {data && data.listings.length === 0 && (
          <Text className="px-6 py-4" size="small">
            No listing matches. Use “Import from Amazon” to read the seller's listings.
          </Text>
        )}
        {data && data.listings.length > 0 && (
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Amazon SKU</Table.HeaderCell>
                <Table.HeaderCell>Marketplace</Table.HeaderCell>
                <Table.HeaderCell>Fulfillment</Table.HeaderCell>
                <Table.HeaderCell>Store variant</Table.HeaderCell>
                <Table.HeaderCell>On Amazon</Table.HeaderCell>
                <Table.HeaderCell>Push</Table.HeaderCell>
                <Table.HeaderCell>Rules</Table.HeaderCell>
                <Table.HeaderCell />
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {data.listings.map((l) => (
                <Table.Row key={l.id} data-testid={`listing-${l.seller_sku}`}>
                  <Table.Cell>
                    <div className="flex flex-col">
                      <span>{l.seller_sku}</span>
                      <span className="text-ui-fg-muted txt-compact-xsmall">
                        {l.asin ?? "no ASIN"}
                        {accounts && accounts.accounts.length > 1 ? ` · ${accountName(l.account_id)}` : ""}
                      </span>
                    </div>
                  </Table.Cell>
                  <Table.Cell>{marketplaceName(l.marketplace_id)}</Table.Cell>
                  <Table.Cell>
                    <Badge size="2xsmall" color={l.fulfillment_channel === "AMAZON" ? "purple" : "blue"}>
                      {l.fulfillment_channel === "AMAZON" ? "FBA" : "Merchant"}
                    </Badge>
                  </Table.Cell>
                  <Table.Cell>
                    {l.product_variant ? (
                      <Link to={`/products/${l.product_variant.product_id}/variants/${l.product_variant.id}`} className="text-ui-fg-interactive">
                        {l.product_variant.sku ?? l.product_variant.title}
                        {l.product_variant.product?.title ? ` · ${l.product_variant.product.title}` : ""}
                      </Link>
                    ) : (
                      <span className="text-ui-fg-muted">Not linked</span>
                    )}
                  </Table.Cell>
                  <Table.Cell>
                    {l.fulfillment_channel === "AMAZON"
                      ? "managed by Amazon"
                      : l.last_accepted_quantity !== null
                        ? `${l.last_accepted_quantity} (${ago(l.last_accepted_at)})`
                        : "–"}
                  </Table.Cell>
                  <Table.Cell>
                    <PushStatusBadge status={l.push_status} error={l.last_error} code={l.last_error_code} />
                  </Table.Cell>
                  <Table.Cell>
                    {l.rules && Object.keys(l.rules).length ? (
                      <Badge size="2xsmall">{Object.entries(l.rules).map(([k, v]) => `${k} ${v}`).join(", ")}</Badge>
                    ) : (
                      <span className="text-ui-fg-muted">account</span>
                    )}
                  </Table.Cell>
                  <Table.Cell className="text-right">
                    <div className="flex justify-end gap-x-1">
                      <Button size="small" variant="transparent" onClick={() => setRuling(l)}>
                        Rules
                      </Button>
                      {l.product_variant ? (
                        <Button size="small" variant="transparent" onClick={() => runUnlink(l)}>
                          Unlink
                        </Button>
                      ) : null}
                      <Button size="small" variant="secondary" onClick={() => setLinking(l)}>
                        {l.product_variant ? "Change" : "Link"}
                      </Button>
                    </div>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
        {data && data.count > 0 && (
          <div className="flex items-center justify-between px-6 py-4">
            <Text size="small" className="text-ui-fg-subtle">
              {offset + 1}–{Math.min(offset + PAGE, data.count)} of {data.count} listings
            </Text>
            <div className="flex gap-x-2">
              <Button size="small" variant="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous
              </Button>
              <Button size="small" variant="secondary" disabled={offset + PAGE >= data.count} onClick={() => setOffset(offset + PAGE)}>
                Next
              </Button>
            </div>
          </div>
        )}
      </Container>
      <LinkVariantDrawer listing={linking} onClose={() => setLinking(null)} />
      <ListingRulesDrawer listing={ruling} onClose={() => setRuling(null)} />
    </div>
  )
}

export default AmazonListingsPage
