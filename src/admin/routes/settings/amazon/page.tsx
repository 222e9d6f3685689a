import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Badge, Container, Heading, Table, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { sdk } from "../../../lib/sdk"

type Account = {
  id: string
  name: string
  region: string
  seller_id: string
  marketplace_ids: string[]
  enabled: boolean
  authorized_at: string | null
  lwa_client_secret_set: boolean
  refresh_token_set: boolean
}

const AmazonSettingsPage = () => {
  const { data, isLoading, error } = useQuery({
    queryKey: ["amazon", "accounts"],
    queryFn: () => sdk.client.fetch<{ accounts: Account[]; count: number }>("/admin/amazon/accounts"),
  })

  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h1">Amazon</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Seller accounts whose stock and orders are synced with this store.
        </Text>
      </div>
      <div className="px-6 py-4">
        {isLoading && <Text>Loading accounts…</Text>}
        {error && <Text className="text-ui-fg-error">Could not load accounts: {(error as Error).message}</Text>}
        {data && data.accounts.length === 0 && <Text>No Amazon account is connected yet.</Text>}
        {data && data.accounts.length > 0 && (
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Name</Table.HeaderCell>
                <Table.HeaderCell>Seller</Table.HeaderCell>
                <Table.HeaderCell>Region</Table.HeaderCell>
                <Table.HeaderCell>Marketplaces</Table.HeaderCell>
                <Table.HeaderCell>Credentials</Table.HeaderCell>
                <Table.HeaderCell>Status</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {data.accounts.map((a) => (
                <Table.Row key={a.id}>
                  <Table.Cell>{a.name}</Table.Cell>
                  <Table.Cell>{a.seller_id}</Table.Cell>
                  <Table.Cell>{a.region}</Table.Cell>
                  <Table.Cell>{a.marketplace_ids.join(", ")}</Table.Cell>
                  <Table.Cell>{a.lwa_client_secret_set && a.refresh_token_set ? "set" : "missing"}</Table.Cell>
                  <Table.Cell>
                    <Badge color={a.enabled ? "green" : "grey"}>{a.enabled ? "enabled" : "disabled"}</Badge>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </div>
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "Amazon",
})

export default AmazonSettingsPage
