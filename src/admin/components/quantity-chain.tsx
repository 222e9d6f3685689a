import { Skeleton, StatusBadge, Table, Text } from "@medusajs/ui"
import type { AdminAmazonListingExplain } from "../../types/http"
import { useAmazonListingExplain } from "../hooks/api/amazon-listing-pushes"
import { ago, dateTime, errorMessage } from "../lib/format"

const CONFIRM: Record<string, { label: string; color: "green" | "orange" | "red" | "grey" }> = {
  waiting: { label: "Reading back", color: "orange" },
  confirmed: { label: "Confirmed", color: "green" },
  mismatch: { label: "Differed: sent again", color: "orange" },
  not_applied: { label: "Not applied by Amazon", color: "red" },
}

const RULE_WORDS: Record<string, string> = { buffer: "Buffer", percentage: "Percentage", max: "Maximum", min: "Minimum" }

const when = (iso: string | null) => (iso ? `${dateTime(iso)} (${ago(iso)})` : "–")

/** The step rows of the chain: store stock → rules → computed → sent → accepted → shown by Amazon. */
function steps(e: AdminAmazonListingExplain): { step: string; value: string; detail: string; testId: string }[] {
  const a = e.amazon
  const rows: { step: string; value: string; detail: string; testId: string }[] = []
  rows.push({
    step: "Store stock",
    value: e.available === null ? "–" : String(e.available),
    detail:
      e.manage_inventory === false
        ? "The variant does not track stock: the account's quantity for untracked variants"
        : e.inventory_items.length > 1
          ? "Whole kits the counted stock makes"
          : "Stocked − reserved at the counted locations",
    testId: "chain-available",
  })
  for (const r of e.rules) {
    rows.push({
      step: `${RULE_WORDS[r.rule] ?? r.rule} ${r.rule === "percentage" ? `${r.value} %` : r.value}`,
      value: `${r.before} → ${r.after}`,
      detail: `${r.source === "listing" ? "this SKU's own rule" : "the account's rule"}${r.overrides !== null ? ` (instead of the account's ${r.overrides})` : ""}${r.decided ? " · decided the number" : ""}`,
      testId: "chain-rule",
    })
  }
  rows.push({ step: "Quantity for Amazon", value: e.quantity === null ? "–" : String(e.quantity), detail: e.problem ?? (e.queued ? "A change is queued" : ""), testId: "chain-quantity" })
  rows.push({
    step: "Sent",
    value: a.last_sent_quantity === null ? "–" : String(a.last_sent_quantity),
    detail: when(a.last_sent_at) + (e.in_feed ? " · in a feed Amazon is processing" : ""),
    testId: "chain-sent",
  })
  rows.push({
    step: "Accepted by Amazon",
    value: a.last_accepted_quantity === null ? "–" : String(a.last_accepted_quantity),
    detail: a.push_status === "error" ? `${a.last_error_code ?? "Rejected"}: ${a.last_error ?? ""}` : when(a.last_accepted_at),
    testId: "chain-accepted",
  })
  rows.push({
    step: "Shown by Amazon",
    value: a.shown_quantity === null ? "–" : String(a.shown_quantity),
    detail: a.shown_at ? `${a.shown_source === "report" ? "in Amazon's listings report" : a.shown_source === "notification" ? "reported by Amazon's notification" : "read back from the listing"} · ${when(a.shown_at)}` : "not read yet",
    testId: "chain-shown",
  })
  return rows
}

/**
 * "Why this number": the chain from the store's stock (per counted location) through each rule to the
 * quantity sent, what Amazon accepted and what Amazon showed when the plugin last looked, with times.
 */
export const QuantityChain = ({ listingId, enabled }: { listingId: string; enabled: boolean }) => {
  const { data, isLoading, error } = useAmazonListingExplain(listingId, { enabled })
  if (isLoading) return <Skeleton className="h-24 w-full" />
  if (error) {
    return (
      <Text size="small" className="text-ui-fg-error">
        Could not explain the quantity: {errorMessage(error)}
      </Text>
    )
  }
  if (!data) return null
  const e = data.explain
  const confirm = e.amazon.confirm_status ? CONFIRM[e.amazon.confirm_status] : null
  const locations = e.inventory_items.flatMap((item) => item.locations.map((l) => ({ ...l, required: item.required_quantity })))
  return (
    <div className="flex flex-col gap-y-3" data-testid="quantity-chain">
      <div className="flex items-center justify-between gap-x-2">
        <Text size="small" weight="plus">
          Why this number
        </Text>
        {confirm && <StatusBadge color={confirm.color}>{confirm.label}</StatusBadge>}
      </div>
      <Text size="small" data-testid="quantity-chain-summary">
        {e.summary}
      </Text>
      {locations.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Location</Table.HeaderCell>
              <Table.HeaderCell>Stocked</Table.HeaderCell>
              <Table.HeaderCell>Reserved</Table.HeaderCell>
              <Table.HeaderCell>Counted</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {locations.map((l) => (
              <Table.Row key={`${l.location_id}-${l.required}`} data-testid="chain-location">
                <Table.Cell>{l.name ?? l.location_id}</Table.Cell>
                <Table.Cell>{l.stocked}</Table.Cell>
                <Table.Cell>{l.reserved}</Table.Cell>
                <Table.Cell>{l.counted ? "yes" : l.excluded_because === "fba" ? "no (Amazon's FBA stock)" : "no (not selected for this account)"}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      <Table>
        <Table.Body>
          {steps(e).map((s, i) => (
            <Table.Row key={`${s.testId}-${i}`} data-testid={s.testId}>
              <Table.Cell>{s.step}</Table.Cell>
              <Table.Cell className="font-medium">{s.value}</Table.Cell>
              <Table.Cell className="whitespace-normal">
                <Text size="xsmall" className="text-ui-fg-subtle">
                  {s.detail}
                </Text>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  )
}
