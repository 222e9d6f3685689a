import { Alert, Button, Drawer, Input, Label, Skeleton, Table, Text, toast } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useAmazonListingSuggestions, useLinkAmazonListing } from "../hooks/api/amazon-listings"
import { useVariantSearch } from "../hooks/api/store"
import { errorMessage, errorStatus, marketplaceName } from "../lib/format"
import type { AdminAmazonListing } from "../../types/http"
import { SuggestionSummary } from "./listings-suggestion-reasons"

/**
 * Pick the variant an Amazon listing sells: from the suggestions (same SKU, SKU without separators,
 * EAN/UPC, alike title, each saying why) or by searching SKU or title. A variant that already sells
 * through another merchant SKU of the same marketplace is refused (409); the reason stays visible.
 */
export const LinkVariantDrawer = ({ listing, onClose }: { listing: AdminAmazonListing | null; onClose: () => void }) => {
  const [q, setQ] = useState("")
  const [conflict, setConflict] = useState<string | null>(null)
  const [debounced, setDebounced] = useState("")
  const link = useLinkAmazonListing()
  const { data, isFetching } = useVariantSearch(debounced)
  const suggestions = useAmazonListingSuggestions(listing?.id)

  useEffect(() => {
    if (listing) {
      setQ(listing.seller_sku)
      setDebounced(listing.seller_sku)
      setConflict(null)
    }
  }, [listing])
  useEffect(() => {
    const t = setTimeout(() => setDebounced(q), 250)
    return () => clearTimeout(t)
  }, [q])

  const choose = async (variantId: string, label: string) => {
    if (!listing) return
    setConflict(null)
    try {
      await link.mutateAsync({ id: listing.id, variant_id: variantId })
      toast.success(`${listing.seller_sku} linked to ${label}`, { description: "Its quantity goes to Amazon with the next push." })
      onClose()
    } catch (e) {
      if (errorStatus(e) === 409) {
        setConflict(errorMessage(e))
      } else {
        toast.error("Could not link the SKU", { description: errorMessage(e) })
      }
    }
  }

  return (
    <Drawer open={!!listing} onOpenChange={(o) => !o && onClose()}>
      <Drawer.Content aria-describedby={undefined}>
        <Drawer.Header>
          <Drawer.Title>Link {listing?.seller_sku}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          {listing && (
            <Text size="small" className="text-ui-fg-subtle">
              {marketplaceName(listing.marketplace_id)} · {listing.fulfillment_channel === "AMAZON" ? "fulfilled by Amazon" : "merchant fulfilled"}
              {listing.asin ? ` · ASIN ${listing.asin}` : ""}
            </Text>
          )}
          {conflict && (
            <Alert variant="warning" data-testid="link-conflict">
              {conflict}
            </Alert>
          )}
          {listing?.item_name && (
            <Text size="small">
              Amazon item name: <span className="font-medium">{listing.item_name}</span>
            </Text>
          )}
          <div className="flex flex-col gap-y-2" data-testid="link-suggestions">
            <Label>Suggested variants</Label>
            {suggestions.isLoading && <Skeleton className="h-12 w-full" />}
            {suggestions.error && <Text size="small" className="text-ui-fg-error">Could not load suggestions: {errorMessage(suggestions.error)}</Text>}
            {suggestions.data && suggestions.data.suggestions.length === 0 && (
              <Text size="small" className="text-ui-fg-subtle">
                No variant has this SKU, its EAN/UPC, or an alike title. Search below.
              </Text>
            )}
            {suggestions.data?.suggestions.map((s) => (
              <div key={s.variant_id} className="flex flex-wrap items-center justify-between gap-2 rounded-lg border px-3 py-2">
                <SuggestionSummary suggestion={s} />
                <Button
                  size="small"
                  variant="secondary"
                  disabled={s.current}
                  onClick={() => choose(s.variant_id, s.variant_sku ?? s.variant_title ?? s.variant_id)}
                  isLoading={link.isPending}
                >
                  {s.current ? "Linked" : "Link"}
                </Button>
              </div>
            ))}
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="variant-search">Find the variant (SKU or title)</Label>
            <Input id="variant-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search variants" />
          </div>
          {isFetching && <Text size="small">Searching…</Text>}
          {data && data.variants.length === 0 && <Text size="small">No variant matches “{debounced}”.</Text>}
          {data && data.variants.length > 0 && (
            <div className="min-w-0 overflow-x-auto">
              <Table>
                <Table.Header>
                  <Table.Row>
                    <Table.HeaderCell>Variant SKU</Table.HeaderCell>
                    <Table.HeaderCell>Product / variant</Table.HeaderCell>
                    <Table.HeaderCell />
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {data.variants.map((v) => (
                    <Table.Row key={v.id}>
                      <Table.Cell>{v.sku ?? "–"}</Table.Cell>
                      <Table.Cell>
                        {v.product?.title ?? ""} · {v.title}
                      </Table.Cell>
                      <Table.Cell className="text-right">
                        <Button size="small" variant="secondary" onClick={() => choose(v.id, v.sku ?? v.title)} isLoading={link.isPending}>
                          Link this variant
                        </Button>
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </div>
          )}
        </Drawer.Body>
      </Drawer.Content>
    </Drawer>
  )
}
