import { Button, Checkbox, Drawer, Input, Label, Select, Text, toast } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useCreateAmazonAccount, useUpdateAmazonAccount } from "../hooks/api/amazon-accounts"
import { errorMessage, MARKETPLACES } from "../lib/format"
import type { AdminAmazonAccount, AdminCreateAmazonAccountBody, AdminUpdateAmazonAccountBody, AmazonRegion } from "../../types/http"

const REGIONS: { value: AmazonRegion; label: string }[] = [
  { value: "NA", label: "North America (US, CA, MX, BR)" },
  { value: "EU", label: "Europe (UK, DE, FR, IT, ES, …)" },
  { value: "FE", label: "Far East (JP, AU, SG)" },
]

interface Props {
  open: boolean
  onOpenChange: (open: boolean) => void
  /** Editing an existing account; omitted = connect a new one. */
  account?: AdminAmazonAccount
}

/**
 * Connect an account or edit its credentials. Secrets are write-only: the form never receives them; on
 * edit an empty secret field keeps the stored one.
 */
export const AccountFormDrawer = ({ open, onOpenChange, account }: Props) => {
  const editing = !!account
  const [name, setName] = useState("")
  const [region, setRegion] = useState<AmazonRegion>("EU")
  const [sellerId, setSellerId] = useState("")
  const [marketplaces, setMarketplaces] = useState<string[]>([])
  const [clientId, setClientId] = useState("")
  const [clientSecret, setClientSecret] = useState("")
  const [refreshToken, setRefreshToken] = useState("")
  const [spApiUrl, setSpApiUrl] = useState("")
  const [tokenUrl, setTokenUrl] = useState("")
  const [sandbox, setSandbox] = useState(false)
  const create = useCreateAmazonAccount()
  const update = useUpdateAmazonAccount(account?.id ?? "")

  useEffect(() => {
    if (!open) return
    setName(account?.name ?? "")
    setRegion(account?.region ?? "EU")
    setSellerId(account?.seller_id ?? "")
    setMarketplaces(account?.marketplace_ids ?? [])
    setClientId(account?.lwa_client_id ?? "")
    setClientSecret("")
    setRefreshToken("")
    setSpApiUrl(account?.sp_api_base_url ?? "")
    setTokenUrl(account?.lwa_token_url ?? "")
    setSandbox(account?.sandbox ?? false)
  }, [open, account])

  const available = Object.entries(MARKETPLACES).filter(([, m]) => m.region === region)
  const toggle = (id: string, on: boolean) => setMarketplaces((prev) => (on ? [...new Set([...prev, id])] : prev.filter((m) => m !== id)))
  const pending = create.isPending || update.isPending

  // Where the credentials go changes only together with the credentials (the server insists too).
  const endpointChanged =
    !editing ||
    (spApiUrl.trim() || null) !== (account?.sp_api_base_url ?? null) ||
    (tokenUrl.trim() || null) !== (account?.lwa_token_url ?? null) ||
    sandbox !== (account?.sandbox ?? false)
  const needsSecrets = editing && endpointChanged && (!clientSecret || !refreshToken)

  const submit = async () => {
    if (needsSecrets) {
      toast.error("Enter the client secret and refresh token again", {
        description: "Changing the endpoint or the sandbox setting changes where the credentials are sent, so they must be re-entered.",
      })
      return
    }
    const body: AdminUpdateAmazonAccountBody = {
      name: name.trim(),
      region,
      seller_id: sellerId.trim(),
      marketplace_ids: marketplaces.filter((m) => MARKETPLACES[m]?.region === region),
      lwa_client_id: clientId.trim(),
    }
    if (endpointChanged) {
      body.sandbox = sandbox
      body.sp_api_base_url = spApiUrl.trim() || null
      body.lwa_token_url = tokenUrl.trim() || null
    }
    if (clientSecret) body.lwa_client_secret = clientSecret
    if (refreshToken) body.refresh_token = refreshToken
    try {
      if (editing) {
        await update.mutateAsync(body)
        toast.success("Account saved")
      } else {
        // a secret left empty is refused by the server (400, shown in the toast)
        await create.mutateAsync(body as AdminCreateAmazonAccountBody)
        toast.success("Amazon account connected", { description: "Run “Test connection” to check the credentials." })
      }
      onOpenChange(false)
    } catch (e) {
      toast.error(editing ? "Could not save the account" : "Could not connect the account", { description: errorMessage(e) })
    }
  }

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content aria-describedby={undefined}>
        <Drawer.Header>
          <Drawer.Title>{editing ? `Edit ${account!.name}` : "Connect an Amazon account"}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          {/* Also when editing: re-entering a secret or a new refresh token needs the same steps. */}
          <details className="txt-compact-small text-ui-fg-subtle rounded-md border px-3 py-2" data-testid="credentials-guide">
            <summary className="cursor-pointer text-ui-fg-base">Where do these values come from?</summary>
            <ol className="mt-2 flex list-decimal flex-col gap-y-1 pl-4">
              <li>
                In Seller Central (as the account's primary user): Apps and Services → Develop Apps. Register as a developer
                once, for a private app used by your own business only; request the roles Product Listing, Inventory and Order
                Tracking, Amazon Fulfillment (for FBA stock) and, to import buyer names and addresses of orders you ship,
                Direct-to-Consumer Shipping (Restricted).
              </li>
              <li>Add a new app client (type SP API, with those roles). Its LWA credentials (View) are the client ID and client secret.</li>
              <li>Authorize the app for your account (Authorize app): the refresh token (Atzr|…) is shown once — copy it here.</li>
              <li>The seller ID is the Merchant Token: Settings → Account Info → Your Merchant Token.</li>
              <li>Save, then Test connection: it exchanges the token and lists the marketplaces the account sells in.</li>
            </ol>
            <p className="mt-2">
              The plugin's README (section "Getting SP-API credentials", in the package: node_modules/medusa-amazon-stock-sync/README.md) has
              the details. Editing an account keeps a secret you leave empty.
            </p>
          </details>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="amazon-name">Name</Label>
            <Input id="amazon-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Amazon Europe" />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label>Region</Label>
            <Select value={region} onValueChange={(v) => setRegion(v as AmazonRegion)}>
              <Select.Trigger aria-label="Region">
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                {REGIONS.map((r) => (
                  <Select.Item key={r.value} value={r.value}>
                    {r.label}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="amazon-seller">Seller ID (Merchant Token)</Label>
            <Input id="amazon-seller" value={sellerId} onChange={(e) => setSellerId(e.target.value)} placeholder="A1B2C3D4E5F6G7" />
            <Text size="xsmall" className="text-ui-fg-subtle">
              Seller Central → Settings → Account Info → Merchant Token.
            </Text>
          </div>
          <div className="flex flex-col gap-y-2">
            <Label>Marketplaces</Label>
            <div className="grid grid-cols-2 gap-2">
              {available.map(([id, m]) => (
                <div key={id} className="flex items-center gap-x-2">
                  <Checkbox id={`mp-${id}`} checked={marketplaces.includes(id)} onCheckedChange={(v) => toggle(id, v === true)} />
                  <Label htmlFor={`mp-${id}`} className="txt-compact-small">
                    {m.name} ({m.country})
                  </Label>
                </div>
              ))}
            </div>
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="amazon-client-id">LWA client ID</Label>
            <Input id="amazon-client-id" value={clientId} onChange={(e) => setClientId(e.target.value)} placeholder="amzn1.application-oa2-client.…" />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="amazon-client-secret">LWA client secret</Label>
            <Input
              id="amazon-client-secret"
              type="password"
              autoComplete="new-password"
              value={clientSecret}
              onChange={(e) => setClientSecret(e.target.value)}
              placeholder={account?.lwa_client_secret_set ? "set – leave empty to keep" : "amzn1.oa2-cs.v1.…"}
            />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="amazon-refresh-token">Refresh token</Label>
            <Input
              id="amazon-refresh-token"
              type="password"
              autoComplete="new-password"
              value={refreshToken}
              onChange={(e) => setRefreshToken(e.target.value)}
              placeholder={account?.refresh_token_set ? "set – leave empty to keep" : "Atzr|…"}
            />
            <Text size="xsmall" className="text-ui-fg-subtle">
              Stored encrypted and never shown again. A new refresh token restarts the 365-day authorisation.
            </Text>
          </div>
          <div className="flex items-center gap-x-2">
            <Checkbox id="amazon-sandbox" checked={sandbox} onCheckedChange={(v) => setSandbox(v === true)} />
            <Label htmlFor="amazon-sandbox" className="txt-compact-small">
              Sandbox app (Amazon's SP-API sandbox instead of production)
            </Label>
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="amazon-endpoint">SP-API endpoint (optional)</Label>
            <Input id="amazon-endpoint" value={spApiUrl} onChange={(e) => setSpApiUrl(e.target.value)} placeholder="default: Amazon's production endpoint of the region" />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="amazon-token-url">LWA token URL (optional)</Label>
            <Input id="amazon-token-url" value={tokenUrl} onChange={(e) => setTokenUrl(e.target.value)} placeholder="default: https://api.amazon.com/auth/o2/token" />
            <Text size="xsmall" className="text-ui-fg-subtle">
              Leave both empty to talk to Amazon. Another endpoint (a local SP-API simulator, a proxy) works only if
              the store's configuration allows it (plugin option allowedEndpoints); changing it needs the secrets
              re-entered.
            </Text>
          </div>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button variant="secondary" size="small">
              Cancel
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={pending}>
            {editing ? "Save" : "Connect account"}
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
