import { Alert, Button, Drawer, Input, Label, Text, toast } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useSetAmazonListingRules } from "../hooks/api/amazon-listings"
import { errorMessage } from "../lib/format"
import type { AdminAmazonListing, QuantityRules } from "../../types/http"

const KEYS: { key: keyof QuantityRules; label: string }[] = [
  { key: "buffer", label: "Buffer (units kept back)" },
  { key: "percentage", label: "Percentage (0–100)" },
  { key: "max", label: "Maximum" },
  { key: "min", label: "Minimum (else 0)" },
]

/**
 * The SKU's own quantity rules. Saving sends the complete set, which replaces the stored one (a field
 * emptied here is no longer overridden); "Clear rules" removes them all.
 */
export const ListingRulesDrawer = ({ listing, onClose }: { listing: AdminAmazonListing | null; onClose: () => void }) => {
  const [values, setValues] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<string | null>(null)
  const save = useSetAmazonListingRules()
  const hasOwnRules = !!listing?.rules && Object.keys(listing.rules).length > 0

  useEffect(() => {
    if (listing) {
      setValues(Object.fromEntries(KEYS.map(({ key }) => [key, listing.rules?.[key] === undefined ? "" : String(listing.rules[key])])))
      setProblem(null)
    }
  }, [listing])

  const send = async (rules: QuantityRules | null, done: string) => {
    if (!listing) return
    try {
      await save.mutateAsync({ id: listing.id, rules })
      toast.success(done, { description: "Its quantity goes to Amazon with the next push." })
      onClose()
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }

  const submit = async () => {
    if (!listing) return
    const rules: QuantityRules = {}
    for (const { key, label } of KEYS) {
      const v = values[key]?.trim()
      if (v) {
        const n = Number(v)
        if (!Number.isFinite(n) || n < 0) {
          setProblem(`${label}: a number of 0 or more, please`)
          return
        }
        rules[key] = n
      }
    }
    if (rules.min !== undefined && rules.max !== undefined && rules.min > rules.max) {
      setProblem(`The minimum (${rules.min}) must not be above the maximum (${rules.max})`)
      return
    }
    // The complete set: whatever is not filled in is no longer overridden.
    await send(Object.keys(rules).length ? rules : null, `Rules of ${listing.seller_sku} saved`)
  }

  const clear = () => send(null, `${listing?.seller_sku} follows the account's rules again`)

  return (
    <Drawer open={!!listing} onOpenChange={(o) => !o && onClose()}>
      <Drawer.Content aria-describedby={undefined}>
        <Drawer.Header>
          <Drawer.Title>Quantity rules · {listing?.seller_sku}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4">
          <Text size="small" className="text-ui-fg-subtle">
            Override the account's rules for this SKU only. Saving replaces the SKU's current rules: a field left empty uses the
            account's value.
          </Text>
          {problem && (
            <Alert variant="error" data-testid="listing-rules-problem">
              {problem}
            </Alert>
          )}
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
          <Button size="small" variant="transparent" onClick={clear} disabled={!hasOwnRules} isLoading={save.isPending}>
            Clear rules (use the account's)
          </Button>
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
