import { Button, Checkbox, Drawer, Input, Label, Select, Text, toast, usePrompt } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { isZeroStockRefusal, useUpdateAmazonAccount, zeroStockRefusalText } from "../hooks/api/amazon-accounts"
import { useRegions, useSalesChannels, useStockLocations } from "../hooks/api/store"
import { errorMessage, marketplaceName } from "../lib/format"
import type { AdminAmazonAccount, AdminAmazonAccountUpdateResponse, AdminUpdateAmazonAccountBody } from "../../types/http"

const DEFAULT = "__default__"

/** A number field's value: "" = not set (null in the patch = back to the default). */
function num(v: string): number | null {
  if (v.trim() === "") return null
  const n = Number(v)
  return Number.isFinite(n) ? n : NaN
}

const NumberField = ({ id, label, value, onChange, hint }: { id: string; label: string; value: string; onChange: (v: string) => void; hint?: string }) => (
  <div className="flex flex-col gap-y-1">
    <Label htmlFor={id} className="txt-compact-small">
      {label}
    </Label>
    <Input id={id} type="number" min={0} value={value} onChange={(e) => onChange(e.target.value)} placeholder="default" />
    {hint && (
      <Text size="xsmall" className="text-ui-fg-subtle">
        {hint}
      </Text>
    )}
  </div>
)

/** "14:32" today, "3 Jun, 14:32" on another day. */
function clockTime(iso: string): string {
  const at = new Date(iso)
  const time = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
  return at.toDateString() === new Date().toDateString() ? time : `${at.toLocaleDateString([], { day: "numeric", month: "short" })}, ${time}`
}

/** What the save toast adds: when Amazon gets the quantities a changed quantity setting gives. */
function nextPushText(saved: AdminAmazonAccountUpdateResponse): string | undefined {
  if (!saved.requeued_listings) return undefined
  const listings = `${saved.requeued_listings} listing${saved.requeued_listings === 1 ? "" : "s"}`
  return saved.next_push_at
    ? `Amazon will get the new quantities of ${listings} at the next push, around ${clockTime(saved.next_push_at)}.`
    : `Amazon will get the new quantities of ${listings} at the next push.`
}

/**
 * The account's sync settings: which locations count, where imported orders go, quantity rules and push
 * tuning. Saved as a patch: untouched keys (and the FBA locations the FBA sync manages) stay as stored.
 */
export const AccountSettingsDrawer = ({ open, onOpenChange, account }: { open: boolean; onOpenChange: (o: boolean) => void; account: AdminAmazonAccount }) => {
  const update = useUpdateAmazonAccount(account.id)
  const prompt = usePrompt()
  const { data: locations } = useStockLocations()
  const { data: channels } = useSalesChannels()
  const { data: regions } = useRegions()
  const s = account.settings ?? {}
  const fbaLocationIds = new Set(Object.values(s.fba_location_ids ?? {}))

  const [allLocations, setAllLocations] = useState(true)
  const [locationIds, setLocationIds] = useState<string[]>([])
  const [channel, setChannel] = useState(DEFAULT)
  const [regionIds, setRegionIds] = useState<Record<string, string>>({})
  const [rules, setRules] = useState({ buffer: "", percentage: "", max: "", min: "" })
  const [unmanaged, setUnmanaged] = useState("")
  const [push, setPush] = useState({ max_patches_per_run: "", urgent_at_or_below: "", stuck_after_minutes: "" })
  const [overlap, setOverlap] = useState("")
  const [lookback, setLookback] = useState("")

  useEffect(() => {
    if (!open) return
    setAllLocations(!s.stock_location_ids)
    setLocationIds(s.stock_location_ids ?? [])
    setChannel(s.sales_channel_id ?? DEFAULT)
    setRegionIds(s.region_ids ?? {})
    const str = (v: number | undefined) => (v === undefined ? "" : String(v))
    setRules({ buffer: str(s.rules?.buffer), percentage: str(s.rules?.percentage), max: str(s.rules?.max), min: str(s.rules?.min) })
    setUnmanaged(str(s.unmanaged_quantity))
    setPush({
      max_patches_per_run: str(s.push?.max_patches_per_run),
      urgent_at_or_below: str(s.push?.urgent_at_or_below),
      stuck_after_minutes: str(s.push?.stuck_after_minutes),
    })
    setOverlap(str(s.order_overlap_seconds))
    setLookback(str(s.order_lookback_hours))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, account])

  const submit = async () => {
    const ruleValues = Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, num(v)]).filter(([, v]) => v !== null))
    const pushValues = Object.fromEntries(Object.entries(push).map(([k, v]) => [k, num(v)]).filter(([, v]) => v !== null))
    const numbers = [...Object.values(ruleValues), ...Object.values(pushValues), num(unmanaged), num(overlap), num(lookback)]
    if (numbers.some((n) => Number.isNaN(n))) {
      toast.error("Numbers only, please")
      return
    }
    // only the account's marketplaces: the server refuses a region for any other
    const regionMap = Object.fromEntries(
      Object.entries(regionIds).filter(([m, v]) => v && v !== DEFAULT && account.marketplace_ids.includes(m))
    )
    // the patch op is not on the form: keep what is stored
    const pushSettings: Record<string, unknown> = { ...pushValues, ...(s.push?.op ? { op: s.push.op } : {}) }
    const body: AdminUpdateAmazonAccountBody = {
      settings: {
        stock_location_ids: allLocations ? null : locationIds,
        sales_channel_id: channel === DEFAULT ? null : channel,
        region_ids: Object.keys(regionMap).length ? regionMap : null,
        rules: Object.keys(ruleValues).length ? (ruleValues as any) : null,
        unmanaged_quantity: num(unmanaged),
        push: Object.keys(pushSettings).length ? (pushSettings as any) : null,
        order_overlap_seconds: num(overlap),
        order_lookback_hours: num(lookback),
      },
    }
    let saved: AdminAmazonAccountUpdateResponse
    try {
      saved = await update.mutateAsync(body)
    } catch (e) {
      if (!isZeroStockRefusal(e)) {
        toast.error("Could not save the settings", { description: errorMessage(e) })
        return
      }
      // The server measured that this would empty most listings on Amazon: the merchant decides.
      const ok = await prompt({
        title: "Set these listings to 0 on Amazon?",
        description: `${zeroStockRefusalText(e)} Buyers cannot order them on Amazon until you change the settings back.`,
        confirmText: "Save anyway",
        cancelText: "Keep editing",
      })
      if (!ok) return
      try {
        saved = await update.mutateAsync({ ...body, confirm_zero_stock: true })
      } catch (again) {
        toast.error("Could not save the settings", { description: errorMessage(again) })
        return
      }
    }
    toast.success("Sync settings saved", { description: nextPushText(saved) })
    onOpenChange(false)
  }

  const merchantLocations = (locations?.stock_locations ?? []).filter((l) => !fbaLocationIds.has(l.id))

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content aria-describedby={undefined}>
        <Drawer.Header>
          <Drawer.Title>Sync settings · {account.name}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-6 overflow-y-auto">
          <div className="flex flex-col gap-y-2">
            <Label className="txt-compact-small-plus">Stock locations that count for Amazon</Label>
            <div className="flex items-center gap-x-2">
              <Checkbox id="loc-all" checked={allLocations} onCheckedChange={(v) => setAllLocations(v === true)} />
              <Label htmlFor="loc-all" className="txt-compact-small">
                All locations except the FBA locations
              </Label>
            </div>
            {!allLocations &&
              merchantLocations.map((l) => (
                <div key={l.id} className="ml-6 flex items-center gap-x-2">
                  <Checkbox
                    id={`loc-${l.id}`}
                    checked={locationIds.includes(l.id)}
                    onCheckedChange={(v) => setLocationIds((prev) => (v === true ? [...prev, l.id] : prev.filter((x) => x !== l.id)))}
                  />
                  <Label htmlFor={`loc-${l.id}`} className="txt-compact-small">
                    {l.name}
                  </Label>
                </div>
              ))}
          </div>

          <div className="flex flex-col gap-y-2">
            <Label className="txt-compact-small-plus">Sales channel of imported orders</Label>
            <Select value={channel} onValueChange={setChannel}>
              <Select.Trigger aria-label="Sales channel">
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                <Select.Item value={DEFAULT}>Default: a channel named “Amazon”</Select.Item>
                {(channels?.sales_channels ?? []).map((c) => (
                  <Select.Item key={c.id} value={c.id}>
                    {c.name}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
          </div>

          <div className="flex flex-col gap-y-2">
            <Label className="txt-compact-small-plus">Region of imported orders</Label>
            {account.marketplace_ids.map((m) => (
              <div key={m} className="grid grid-cols-2 items-center gap-x-2">
                <Text size="small">{marketplaceName(m)}</Text>
                <Select value={regionIds[m] ?? DEFAULT} onValueChange={(v) => setRegionIds((prev) => ({ ...prev, [m]: v }))}>
                  <Select.Trigger aria-label={`Region for ${marketplaceName(m)}`}>
                    <Select.Value />
                  </Select.Trigger>
                  <Select.Content>
                    <Select.Item value={DEFAULT}>Default: by currency</Select.Item>
                    {(regions?.regions ?? []).map((r) => (
                      <Select.Item key={r.id} value={r.id}>
                        {r.name} ({r.currency_code.toUpperCase()})
                      </Select.Item>
                    ))}
                  </Select.Content>
                </Select>
              </div>
            ))}
          </div>

          <div className="flex flex-col gap-y-2">
            <Label className="txt-compact-small-plus">Quantity rules (all SKUs of the account)</Label>
            <Text size="xsmall" className="text-ui-fg-subtle">
              Amazon gets: available − buffer, then the percentage, capped at max, 0 below min. A SKU can override these on the listings page.
            </Text>
            <div className="grid grid-cols-2 gap-3">
              <NumberField id="rule-buffer" label="Buffer (units kept back)" value={rules.buffer} onChange={(v) => setRules((r) => ({ ...r, buffer: v }))} />
              <NumberField id="rule-percentage" label="Percentage (0–100)" value={rules.percentage} onChange={(v) => setRules((r) => ({ ...r, percentage: v }))} />
              <NumberField id="rule-max" label="Maximum" value={rules.max} onChange={(v) => setRules((r) => ({ ...r, max: v }))} />
              <NumberField id="rule-min" label="Minimum (else 0)" value={rules.min} onChange={(v) => setRules((r) => ({ ...r, min: v }))} />
            </div>
            <NumberField id="unmanaged" label="Quantity for variants without inventory management" value={unmanaged} onChange={setUnmanaged} hint="Default 100." />
          </div>

          <div className="flex flex-col gap-y-2">
            <Label className="txt-compact-small-plus">Stock push</Label>
            <div className="grid grid-cols-2 gap-3">
              <NumberField
                id="push-patches"
                label="Quick updates per run"
                value={push.max_patches_per_run}
                onChange={(v) => setPush((p) => ({ ...p, max_patches_per_run: v }))}
                hint="Up to this many changes go out at once, one SKU at a time (default 10); the rest, and bigger batches, in a feed. 0 = always feeds."
              />
              <NumberField
                id="push-urgent"
                label="Urgent at or below"
                value={push.urgent_at_or_below}
                onChange={(v) => setPush((p) => ({ ...p, urgent_at_or_below: v }))}
                hint="Default 0: going out of stock jumps the queue."
              />
              <NumberField
                id="push-stuck"
                label="Feed stuck after (minutes)"
                value={push.stuck_after_minutes}
                onChange={(v) => setPush((p) => ({ ...p, stuck_after_minutes: v }))}
                hint="Default 120."
              />
              <NumberField id="order-overlap" label="Order import overlap (seconds)" value={overlap} onChange={setOverlap} hint="Default 300." />
              <NumberField
                id="order-lookback"
                label="First order import looks back (hours)"
                value={lookback}
                onChange={setLookback}
                hint="Orders created this long before the account was connected come in with the first import. Default 24; older orders: Import older orders on the account."
              />
            </div>
          </div>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button variant="secondary" size="small">
              Cancel
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={update.isPending}>
            Save settings
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
