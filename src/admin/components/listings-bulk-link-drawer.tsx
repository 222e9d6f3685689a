import { Alert, Button, Drawer, Select, Skeleton, Text, toast, usePrompt } from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { useAmazonListings, useAmazonListingsSuggestions, useBatchAmazonListings } from "../hooks/api/amazon-listings"
import { errorMessage, marketplaceName } from "../lib/format"
import type { AdminAmazonListing } from "../../types/http"
import { LinkVariantDrawer } from "./link-variant-modal"
import { defaultSuggestion, SuggestionSummary } from "./listings-suggestion-reasons"

const SKIP = "__skip__"

/**
 * "Link selected…": the selected listings that are not linked yet, each with its best suggestion picked
 * (SKU, identifier or a very alike title). The merchant keeps, changes or skips each pick, or opens the
 * search for one listing; one confirmed batch links the rest (all or nothing).
 */
export const ListingsBulkLinkDrawer = ({ ids, onClose, onDone }: { ids: string[] | null; onClose: () => void; onDone: () => void }) => {
  const open = !!ids?.length
  const listings = useAmazonListings({ id: ids ?? [], linked: false, limit: 500 }, { enabled: open })
  const unlinked = listings.data?.listings ?? []
  const unlinkedIds = useMemo(() => unlinked.map((l) => l.id), [unlinked])
  const suggestions = useAmazonListingsSuggestions(unlinkedIds, { enabled: open })
  const batch = useBatchAmazonListings()
  const prompt = usePrompt()
  const [choice, setChoice] = useState<Record<string, string>>({})
  const [picking, setPicking] = useState<AdminAmazonListing | null>(null)

  // pre-pick each listing's best free suggestion once the suggestions arrive
  useEffect(() => {
    if (!suggestions.data) return
    setChoice((prev) => {
      const next = { ...prev }
      for (const id of unlinkedIds) {
        if (next[id] === undefined) next[id] = defaultSuggestion(suggestions.data[id])?.variant_id ?? SKIP
      }
      return next
    })
  }, [suggestions.data, unlinkedIds])
  useEffect(() => {
    if (!open) setChoice({})
  }, [open])

  const links = unlinked.filter((l) => choice[l.id] && choice[l.id] !== SKIP).map((l) => ({ listing_id: l.id, variant_id: choice[l.id] }))
  const alreadyLinked = (ids?.length ?? 0) - unlinked.length

  const apply = async () => {
    const ok = await prompt({
      title: `Link ${links.length} listing(s)?`,
      description: "Each merchant-fulfilled SKU then gets its variant's available stock with the next push. Nothing is linked if any pick is refused.",
      confirmText: "Link",
      cancelText: "Cancel",
    })
    if (!ok) return
    try {
      const res = await batch.mutateAsync({ link: links })
      toast.success(`${res.linked} listing(s) linked`, { description: res.unchanged ? `${res.unchanged} already had that variant.` : undefined })
      onDone()
    } catch (e) {
      toast.error("Nothing was linked", { description: errorMessage(e) })
    }
  }

  return (
    <>
      <Drawer open={open} onOpenChange={(o) => !o && onClose()}>
        <Drawer.Content aria-describedby={undefined}>
          <Drawer.Header>
            <Drawer.Title>Link selected listings</Drawer.Title>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            {alreadyLinked > 0 && (
              <Text size="small" className="text-ui-fg-subtle">
                {alreadyLinked} selected listing(s) are linked already and are left as they are.
              </Text>
            )}
            {(listings.isLoading || suggestions.isLoading) && (
              <div className="flex flex-col gap-y-2">
                {[0, 1, 2].map((i) => (
                  <Skeleton key={i} className="h-14 w-full" />
                ))}
              </div>
            )}
            {(listings.error || suggestions.error) && <Alert variant="error">Could not load the suggestions: {errorMessage(listings.error ?? suggestions.error)}</Alert>}
            {listings.data && unlinked.length === 0 && <Text size="small">None of the selected listings is waiting for a variant.</Text>}
            {suggestions.data &&
              unlinked.map((l) => {
                const options = suggestions.data[l.id] ?? []
                const picked = options.find((s) => s.variant_id === choice[l.id])
                return (
                  <div key={l.id} className="flex flex-col gap-y-2 rounded-lg border p-3" data-testid={`bulk-link-${l.seller_sku}`}>
                    <div className="flex min-w-0 flex-col">
                      <Text size="small" weight="plus" className="break-all">
                        {l.seller_sku}
                      </Text>
                      <Text size="xsmall" className="text-ui-fg-subtle">
                        {l.item_name ?? "no item name"} · {marketplaceName(l.marketplace_id)}
                      </Text>
                    </div>
                    <div className="flex flex-wrap items-center gap-2">
                      <div className="min-w-0 flex-1 basis-48">
                        <Select value={choice[l.id] ?? SKIP} onValueChange={(v) => setChoice((c) => ({ ...c, [l.id]: v }))}>
                          <Select.Trigger aria-label={`Variant for ${l.seller_sku}`}>
                            <Select.Value placeholder="Don't link" />
                          </Select.Trigger>
                          <Select.Content>
                            <Select.Item value={SKIP}>Don't link now</Select.Item>
                            {options.map((s) => (
                              <Select.Item key={s.variant_id} value={s.variant_id} disabled={!!s.linked_elsewhere}>
                                {s.variant_sku ?? s.variant_title} · {s.reasons[0]}
                                {s.linked_elsewhere ? ` (sold as ${s.linked_elsewhere.seller_sku})` : ""}
                              </Select.Item>
                            ))}
                          </Select.Content>
                        </Select>
                      </div>
                      <Button size="small" variant="secondary" onClick={() => setPicking(l)}>
                        Search…
                      </Button>
                    </div>
                    {picked ? (
                      <SuggestionSummary suggestion={picked} />
                    ) : (
                      options.length === 0 && (
                        <Text size="xsmall" className="text-ui-fg-muted">
                          No suggestion: search for the variant.
                        </Text>
                      )
                    )}
                  </div>
                )
              })}
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary">
                Cancel
              </Button>
            </Drawer.Close>
            <Button size="small" onClick={apply} disabled={!links.length} isLoading={batch.isPending}>
              Link {links.length} listing(s)
            </Button>
          </Drawer.Footer>
        </Drawer.Content>
      </Drawer>
      <LinkVariantDrawer listing={picking} onClose={() => setPicking(null)} />
    </>
  )
}
