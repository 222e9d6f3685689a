import { Button, Drawer, Input, Label, Text, toast } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useSetAmazonListingRules } from "../hooks/api/amazon-listings"
import { errorMessage } from "../lib/format"
import type { AmazonListing, QuantityRules } from "../lib/types"

const KEYS: { key: keyof QuantityRules; label: string }[] = [
  { key: "buffer", label: "Buffer (units kept back)" },
  { key: "percentage", label: "Percentage (0–100)" },
  { key: "max", label: "Maximum" },
  { key: "min", label: "Minimum (else 0)" },
]

/** The SKU's own quantity rules; empty fields fall back to the account's rules. */
export const ListingRulesDrawer = ({ listing, onClose }: { listing: AmazonListing | null; onClose: () => void }) => {
  const [values, setValues] = useState<Record<string, string>>({})
  const save = useSetAmazonListingRules()

  useEffect(() => {
    if (listing) {
      setValues(Object.fromEntries(KEYS.map(({ key }) => [key, listing.rules?.[key] === undefined ? "" : String(listing.rules[key])])))
    }
  }, [listing])

  const submit = async () => {
    if (!listing) return
    const rules: Record<string, number> = {}
    for (const { key } of KEYS) {
      const v = values[key]?.trim()
      if (v) {
        const n = Number(v)
        if (!Number.isFinite(n)) {
          toast.error("Numbers only, please")
          return
        }
        rules[key] = n
      }
    }
    try {
      await save.mutateAsync({ id: listing.id, rules: Object.keys(rules).length ? rules : null })
      toast.success(`Rules of ${listing.seller_sku} saved`)
      onClose()
    } catch (e) {
      toast.error("Could not save the rules", { description: errorMessage(e) })
    }
  }

  return (
    <Drawer open={!!listing} onOpenChange={(o) => !o && onClose()}>
      <Drawer.Content aria-describedby={undefined}>
        <Drawer.Header>
          <Drawer.Title>Quantity rules · {listing?.seller_sku}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4">
          <Text size="small" className="text-ui-fg-subtle">
            Override the account's rules for this SKU only. Leave a field empty to use the account's value.
          </Text>
          {KEYS.map(({ key, label }) => (
            <div key={key} className="flex flex-col gap-y-1">
              <Label htmlFor={`listing-rule-${key}`}>{label}</Label>
              <Input
                id={`listing-rule-${key}`}
                type="number"
                min={0}
                value={values[key] ?? ""}
                onChange={(e) => setValues((prev) => ({ ...prev, [key]: e.target.value }))}
              />
            </div>
          ))}
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Cancel
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={save.isPending}>
            Save rules
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
