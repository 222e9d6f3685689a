import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, Table, Text } from "@medusajs/ui"
import { useState } from "react"
import { Link } from "react-router-dom"
import { AccountCard } from "../../../components/account-card"
import { AccountFormDrawer } from "../../../components/account-form-drawer"
import { Section } from "../../../components/section"
import { useAmazonAccounts } from "../../../hooks/api/amazon-accounts"
import { useAmazonStatus } from "../../../hooks/api/amazon-sync"
import { cronInWords, errorMessage } from "../../../lib/format"

/** Settings → Amazon: connected accounts, credentials, marketplaces, what counts, rules, schedules. */
const AmazonSettingsPage = () => {
  const { data, isLoading, error } = useAmazonAccounts()
  const { data: status } = useAmazonStatus()
  const [connectOpen, setConnectOpen] = useState(false)

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="flex items-start justify-between gap-x-4 px-6 py-4">
        <div>
          <Heading level="h1">Amazon</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Seller accounts whose stock and orders are synced with this store. See the{" "}
            <Link to="/amazon" className="text-ui-fg-interactive">
              Amazon sync dashboard
            </Link>{" "}
            for what is happening now.
          </Text>
        </div>
        <Button size="small" onClick={() => setConnectOpen(true)}>
          Connect account
        </Button>
      </Container>

      {isLoading && (
        <Container>
          <Text>Loading accounts…</Text>
        </Container>
      )}
      {error && (
        <Container>
          <Text className="text-ui-fg-error">Could not load accounts: {errorMessage(error)}</Text>
        </Container>
      )}
      {data && data.accounts.length === 0 && (
        <Container>
          <Text>No Amazon account is connected yet. Connect one with the LWA credentials of your SP-API app.</Text>
        </Container>
      )}
      {data?.accounts.map((a) => <AccountCard key={a.id} account={a} />)}

      <Section
        title="Schedules"
        description="The plugin's background jobs, on the server's clock. Change a schedule by setting its environment variable (cron, seconds allowed) and restarting the server."
      >
        {/* on a phone the table scrolls inside its card, not the page */}
        <div className="overflow-x-auto">
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Job</Table.HeaderCell>
                <Table.HeaderCell>Schedule</Table.HeaderCell>
                <Table.HeaderCell>Set with</Table.HeaderCell>
                <Table.HeaderCell>What it does</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {(status?.status.schedules ?? []).map((j) => {
                const words = cronInWords(j.schedule)
                return (
                  <Table.Row key={j.name}>
                    <Table.Cell>{j.name}</Table.Cell>
                    <Table.Cell>
                      {words !== j.schedule && <span className="mr-2">{words}</span>}
                      <code className="text-ui-fg-subtle">{j.schedule}</code>
                    </Table.Cell>
                    <Table.Cell>{j.env ? <code>{j.env}</code> : "–"}</Table.Cell>
                    <Table.Cell className="whitespace-normal">{j.description}</Table.Cell>
                  </Table.Row>
                )
              })}
            </Table.Body>
          </Table>
        </div>
      </Section>
      <AccountFormDrawer open={connectOpen} onOpenChange={setConnectOpen} />
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Amazon",
})

export default AmazonSettingsPage
