import { Badge, Button, Switch, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useDeleteAmazonAccount, useTestAmazonConnection, useUpdateAmazonAccount } from "../hooks/api/amazon-accounts"
import { useRegions, useSalesChannels, useStockLocations } from "../hooks/api/store"
import { ago, dateTime, errorMessage, marketplaceName } from "../lib/format"
import type { AdminAmazonAccount, AdminAmazonConnectionResult } from "../../types/http"
import { AccountFormDrawer } from "./account-form-drawer"
import { AccountMcf } from "./account-mcf"
import { AccountNotifications } from "./account-notifications"
import { AccountSettingsDrawer } from "./account-settings-drawer"
import { OrderBackfill } from "./order-backfill"
import { Field, Section } from "./section"

const AUTH_WARN_DAYS = 335
const AUTH_EXPIRES_DAYS = 365

function authorization(authorizedAt: string | null) {
  if (!authorizedAt) return { text: "unknown", color: "orange" as const }
  const days = Math.floor((Date.now() - Date.parse(authorizedAt)) / 86_400_000)
  if (days >= AUTH_EXPIRES_DAYS) return { text: `expired (${days} days old)`, color: "red" as const }
  if (days >= AUTH_WARN_DAYS) return { text: `expires in ${AUTH_EXPIRES_DAYS - days} days`, color: "orange" as const }
  return { text: `${dateTime(authorizedAt)} (valid ${AUTH_EXPIRES_DAYS - days} more days)`, color: "green" as const }
}

/** One connected account: credentials (as set / missing), marketplaces, settings summary and actions. */
export const AccountCard = ({ account }: { account: AdminAmazonAccount }) => {
  const [editOpen, setEditOpen] = useState(false)
  const [settingsOpen, setSettingsOpen] = useState(false)
  const [result, setResult] = useState<AdminAmazonConnectionResult | null>(null)
  const test = useTestAmazonConnection(account.id)
  const update = useUpdateAmazonAccount(account.id)
  const remove = useDeleteAmazonAccount(account.id)
  const prompt = usePrompt()
  const { data: locations } = useStockLocations()
  const { data: channels } = useSalesChannels()
  const { data: regions } = useRegions()
  const s = account.settings ?? {}
  const auth = authorization(account.authorized_at)

  const runTest = async () => {
    setResult(null)
    try {
      const { connection } = await test.mutateAsync()
      setResult(connection)
    } catch (e) {
      toast.error("Test connection failed", { description: errorMessage(e) })
    }
  }

  const toggle = async (enabled: boolean) => {
    try {
      await update.mutateAsync({ enabled })
      toast.success(enabled ? "Sync enabled" : "Sync disabled")
    } catch (e) {
      toast.error("Could not change the account", { description: errorMessage(e) })
    }
  }

  const del = async () => {
    const ok = await prompt({
      title: `Disconnect ${account.name}?`,
      description: "Its listings, SKU mappings, feeds and FBA snapshots are removed from the store. Nothing changes on Amazon (turn notifications off first to delete their subscriptions there); imported orders stay.",
      confirmText: "Disconnect",
      cancelText: "Cancel",
    })
    if (!ok) return
    try {
      await remove.mutateAsync()
      toast.success("Account disconnected")
    } catch (e) {
      toast.error("Could not disconnect", { description: errorMessage(e) })
    }
  }

  const locationNames = s.stock_location_ids
    ? s.stock_location_ids.map((id) => locations?.stock_locations.find((l) => l.id === id)?.name ?? id).join(", ") || "none"
    : "All except FBA locations"
  const channelName = s.sales_channel_id ? channels?.sales_channels.find((c) => c.id === s.sales_channel_id)?.name ?? s.sales_channel_id : "Amazon (default)"
  const regionText = s.region_ids
    ? Object.entries(s.region_ids)
        .map(([m, r]) => `${marketplaceName(m)} → ${regions?.regions.find((x) => x.id === r)?.name ?? r}`)
        .join(", ")
    : "the region of the order's currency (default)"
  const rulesText = s.rules && Object.keys(s.rules).length
    ? Object.entries(s.rules)
        .map(([k, v]) => `${k} ${k === "percentage" ? `${v} %` : v}`)
        .join(", ")
    : "None (full available quantity)"

  return (
    <Section
      title={account.name}
      testId={`amazon-account-${account.seller_id}`}
      description={`Seller ${account.seller_id} · region ${account.region}`}
      actions={
        <>
          <div className="flex items-center gap-x-2">
            <Switch id={`enabled-${account.id}`} checked={account.enabled} onCheckedChange={toggle} aria-label="Sync enabled" />
            <Badge size="2xsmall" color={account.enabled ? "green" : "grey"}>
              {account.enabled ? "Enabled" : "Disabled"}
            </Badge>
          </div>
        </>
      }
    >
      <div className="grid grid-cols-2 gap-4 px-6 py-4 lg:grid-cols-3">
        <Field label="Marketplaces">{account.marketplace_ids.map(marketplaceName).join(", ")}</Field>
        <Field label="LWA client ID">
          <span className="break-all">{account.lwa_client_id}</span>
        </Field>
        <Field label="Credentials">
          Client secret: {account.lwa_client_secret_set ? "set" : "missing"} · Refresh token: {account.refresh_token_set ? "set" : "missing"}
        </Field>
        <Field label="Authorised">
          <Badge size="2xsmall" color={auth.color}>
            {auth.text}
          </Badge>
        </Field>
        <Field label="Endpoint">{account.sp_api_base_url ?? (account.sandbox ? "Amazon sandbox" : "Amazon production")}</Field>
        <Field label="Last connection test">
          {account.last_connection_test
            ? `${account.last_connection_test.ok ? "OK" : `Failed (${account.last_connection_test.code})`} · ${ago(account.last_connection_test.at)}`
            : "not run yet (Test connection checks the credentials and marketplaces)"}
        </Field>
      </div>
      <div className="grid grid-cols-2 gap-4 px-6 py-4 lg:grid-cols-3">
        <Field label="Stock that counts">{locationNames}</Field>
        <Field label="Imported orders go to">
          {channelName} · {regionText}
        </Field>
        <Field label="Quantity rules">{rulesText}</Field>
        <Field label="Quick updates per run">{s.push?.max_patches_per_run ?? "10 (default)"}</Field>
        <Field label="Feed stuck after">{s.push?.stuck_after_minutes ?? 120} min</Field>
        <Field label="Variants without stock tracking">offered as {s.unmanaged_quantity ?? 100}</Field>
        <Field label="First import looks back">{s.order_lookback_hours ?? 24} hours</Field>
      </div>
      <OrderBackfill accountId={account.id} lookbackHours={s.order_lookback_hours ?? 24} />
      <AccountNotifications accountId={account.id} />
      <AccountMcf account={account} />
      {result && (
        <div className="px-6 py-4" data-testid="connection-result">
          {result.ok ? (
            <div className="flex flex-col gap-y-1">
              <Text size="small" weight="plus" className="text-ui-tag-green-text">
                Connected to Amazon in {result.latency_ms} ms
              </Text>
              <Text size="small">
                Selling in: {result.marketplaces.map((m) => `${m.name} (${m.country_code}, ${m.currency_code})${m.is_participating ? "" : " – not participating"}`).join(", ")}
              </Text>
              {result.missing_marketplace_ids.length > 0 && (
                <Text size="small" className="text-ui-tag-orange-text">
                  Not selling in: {result.missing_marketplace_ids.map(marketplaceName).join(", ")}
                </Text>
              )}
            </div>
          ) : (
            <div className="flex flex-col gap-y-1">
              <Text size="small" weight="plus" className="text-ui-fg-error">
                Connection failed: {result.code}
              </Text>
              <Text size="small">{result.message}</Text>
            </div>
          )}
        </div>
      )}
      <div className="flex flex-wrap items-center justify-end gap-2 px-6 py-4">
        <Button size="small" variant="danger" onClick={del} isLoading={remove.isPending}>
          Disconnect
        </Button>
        <Button size="small" variant="secondary" onClick={() => setEditOpen(true)}>
          Edit credentials
        </Button>
        <Button size="small" variant="secondary" onClick={() => setSettingsOpen(true)}>
          Sync settings
        </Button>
        <Button size="small" onClick={runTest} isLoading={test.isPending}>
          Test connection
        </Button>
      </div>
      <AccountFormDrawer open={editOpen} onOpenChange={setEditOpen} account={account} />
      <AccountSettingsDrawer open={settingsOpen} onOpenChange={setSettingsOpen} account={account} />
    </Section>
  )
}
