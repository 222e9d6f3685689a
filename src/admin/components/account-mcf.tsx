import { Button, Checkbox, Input, Label, Select, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useUpdateAmazonAccount } from "../hooks/api/amazon-accounts"
import { useOfferAmazonMcfShipping } from "../hooks/api/amazon-mcf"
import { useSalesChannels } from "../hooks/api/store"
import { errorMessage, MARKETPLACES, marketplaceName } from "../lib/format"
import type { AdminAmazonAccount } from "../../types/http"

const TIERS = ["STANDARD", "EXPEDITED"] as const

/**
 * "Ship store orders from FBA" (Multi-Channel Fulfillment): offer Amazon-shipped delivery in the store's
 * checkout, served from this account's FBA stock, and how Amazon should ship (at once or on hold; all or
 * nothing). Amazon bills its MCF fee per order; the prices here are what the customer pays.
 */
export const AccountMcf = ({ account }: { account: AdminAmazonAccount }) => {
  const s = account.settings ?? {}
  const fba = s.fba_location_ids ?? {}
  const marketplaces = account.marketplace_ids.filter((m) => fba[m])
  const [marketplace, setMarketplace] = useState(marketplaces[0] ?? "")
  const [channels, setChannels] = useState<string[]>([])
  const [prices, setPrices] = useState<Record<string, string>>({ STANDARD: "4.90", EXPEDITED: "" })
  const { data: salesChannels } = useSalesChannels()
  const offer = useOfferAmazonMcfShipping(account.id)
  const update = useUpdateAmazonAccount(account.id)
  const currency = MARKETPLACES[marketplace]?.currency ?? "EUR"

  const submit = async () => {
    try {
      const { mcf } = await offer.mutateAsync({
        marketplace_id: marketplace,
        sales_channel_ids: channels,
        prices: TIERS.filter((t) => prices[t]?.trim()).map((t) => ({ service_tier: t, currency_code: currency.toLowerCase(), amount: Number(prices[t]) })),
      })
      toast.success("Amazon MCF shipping is offered", {
        description: mcf.created.length ? `Created: ${mcf.created.join(", ")}.` : "Everything was in place already.",
      })
    } catch (e) {
      toast.error("Could not offer Amazon MCF shipping", { description: errorMessage(e) })
    }
  }

  const saveHow = async (patch: { action?: "SHIP" | "HOLD"; policy?: "FILL_OR_KILL" | "FILL_ALL" | "FILL_ALL_AVAILABLE" }) => {
    try {
      await update.mutateAsync({ settings: { mcf: { ...(s.mcf ?? {}), ...patch } } })
      toast.success("MCF settings saved")
    } catch (e) {
      toast.error("Could not save the MCF settings", { description: errorMessage(e) })
    }
  }

  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid={`mcf-${account.id}`}>
      <div className="flex flex-col gap-y-1">
        <Text size="small" weight="plus">
          Ship store orders from FBA (Multi-Channel Fulfillment)
        </Text>
        <Text size="small" className="text-ui-fg-subtle">
          Your own shop's orders can ship from Amazon's warehouses out of the FBA stock. This adds Amazon shipping options to the checkout; an order
          fulfilled from the FBA location is sent to Amazon, and its tracking comes back as the shipment. Amazon bills its MCF fee per order.
        </Text>
      </div>
      {!marketplaces.length ? (
        <Text size="small" className="text-ui-fg-subtle">
          There is no FBA location yet: run "Sync FBA stock" on the dashboard once.
        </Text>
      ) : (
        <div className="flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-y-1">
            <Label size="small">Ship from</Label>
            <Select size="small" value={marketplace} onValueChange={setMarketplace}>
              <Select.Trigger>
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                {marketplaces.map((m) => (
                  <Select.Item key={m} value={m}>
                    FBA stock of {marketplaceName(m)}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
          </div>
          {TIERS.map((t) => (
            <div key={t} className="flex flex-col gap-y-1">
              <Label size="small" htmlFor={`mcf-price-${t}-${account.id}`}>
                {t === "STANDARD" ? "Standard" : "Expedited"} price ({currency})
              </Label>
              <Input
                id={`mcf-price-${t}-${account.id}`}
                size="small"
                type="number"
                min={0}
                step="0.01"
                value={prices[t] ?? ""}
                onChange={(e) => setPrices((p) => ({ ...p, [t]: e.target.value }))}
                placeholder={t === "STANDARD" ? "4.90" : "not offered"}
              />
            </div>
          ))}
          <div className="flex flex-col gap-y-1">
            <Label size="small">For the sales channels</Label>
            <div className="flex flex-wrap gap-3">
              {(salesChannels?.sales_channels ?? []).map((c) => (
                <div key={c.id} className="flex items-center gap-x-1">
                  <Checkbox
                    id={`mcf-channel-${c.id}-${account.id}`}
                    checked={channels.includes(c.id)}
                    onCheckedChange={(v) => setChannels((prev) => (v === true ? [...prev, c.id] : prev.filter((x) => x !== c.id)))}
                  />
                  <Label size="small" htmlFor={`mcf-channel-${c.id}-${account.id}`}>
                    {c.name}
                  </Label>
                </div>
              ))}
            </div>
          </div>
          <Button size="small" variant="secondary" onClick={submit} isLoading={offer.isPending} disabled={!channels.length || !prices.STANDARD?.trim()}>
            Offer Amazon shipping
          </Button>
        </div>
      )}
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-y-1">
          <Label size="small">Amazon ships</Label>
          <Select size="small" value={s.mcf?.action ?? "SHIP"} onValueChange={(v) => saveHow({ action: v as "SHIP" | "HOLD" })}>
            <Select.Trigger>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="SHIP">at once</Select.Item>
              <Select.Item value="HOLD">on hold until released (up to 14 days)</Select.Item>
            </Select.Content>
          </Select>
        </div>
        <div className="flex flex-col gap-y-1">
          <Label size="small">When stock is short</Label>
          <Select size="small" value={s.mcf?.policy ?? "FILL_OR_KILL"} onValueChange={(v) => saveHow({ policy: v as "FILL_OR_KILL" | "FILL_ALL" | "FILL_ALL_AVAILABLE" })}>
            <Select.Trigger>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="FILL_OR_KILL">ship nothing (re-allocate the order)</Select.Item>
              <Select.Item value="FILL_ALL">ship what is there, the rest when it arrives</Select.Item>
              <Select.Item value="FILL_ALL_AVAILABLE">ship what is there, cancel the rest</Select.Item>
            </Select.Content>
          </Select>
        </div>
      </div>
    </div>
  )
}
