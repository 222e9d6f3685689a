import { Badge, Button, Input, Label, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useAmazonOrderBackfill, useRequestAmazonOrderBackfill } from "../hooks/api/amazon-accounts"
import { dateTime, errorMessage, marketplaceName } from "../lib/format"
import type { AdminAmazonOrderBackfill } from "../../types/http"

const STATUS: Record<AdminAmazonOrderBackfill["status"], { text: string; color: "grey" | "blue" | "green" | "red" }> = {
  queued: { text: "Waiting for the next order import", color: "grey" },
  running: { text: "Importing (goes on as Amazon's quota allows)", color: "blue" },
  done: { text: "Done", color: "green" },
  failed: { text: "Stopped", color: "red" },
}

/** The earliest date Amazon serves orders from (2 years back), as YYYY-MM-DD. */
function earliestDate(): string {
  return new Date(Date.now() - 729 * 86_400_000).toISOString().slice(0, 10)
}

/**
 * "Import older orders": orders created since a chosen date (within Amazon's 2 years), imported by the
 * order import in the background, within Amazon's quota (a large history takes hours: Amazon allows one
 * orders page of 100 about every 3 minutes after a burst of 20). Orders already imported are skipped;
 * units Amazon shipped before are recorded without leaving the store's stock again.
 */
export const OrderBackfill = ({ accountId, lookbackHours }: { accountId: string; lookbackHours: number }) => {
  const [since, setSince] = useState("")
  const { data } = useAmazonOrderBackfill(accountId)
  const request = useRequestAmazonOrderBackfill(accountId)
  const backfills = data?.backfills ?? []
  const active = backfills.some((b) => b.status === "queued" || b.status === "running")

  const start = async () => {
    if (!since) {
      toast.error("Choose the date to import orders from")
      return
    }
    try {
      await request.mutateAsync({ created_after: since })
      toast.success("Importing older orders", { description: "They arrive in the background; progress shows here." })
    } catch (e) {
      toast.error("Could not start the import of older orders", { description: errorMessage(e) })
    }
  }

  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid={`order-backfill-${accountId}`}>
      <div className="flex flex-col gap-y-1">
        <Text size="small" weight="plus">
          Import older orders
        </Text>
        <Text size="small" className="text-ui-fg-subtle">
          The first import brings orders of the last {lookbackHours} hours (see Sync settings). Older ones, up to 2 years back, come from here.
          Orders Amazon already shipped are recorded as shipped without taking their units off your stock again.
        </Text>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-y-1">
          <Label size="small" htmlFor={`backfill-since-${accountId}`}>
            Orders created since
          </Label>
          <Input
            id={`backfill-since-${accountId}`}
            type="date"
            size="small"
            min={earliestDate()}
            max={new Date().toISOString().slice(0, 10)}
            value={since}
            onChange={(e) => setSince(e.target.value)}
          />
        </div>
        <Button size="small" variant="secondary" onClick={start} isLoading={request.isPending} disabled={active}>
          Import older orders
        </Button>
      </div>
      {backfills.map((b) => (
        <div key={b.marketplace_id} className="flex flex-wrap items-center gap-2">
          <Text size="small">
            {marketplaceName(b.marketplace_id)} · since {b.created_after.slice(0, 10)}:
          </Text>
          <Badge size="2xsmall" color={STATUS[b.status].color}>
            {STATUS[b.status].text}
          </Badge>
          <Text size="small" className="text-ui-fg-subtle">
            {b.counts.orders} orders read ({b.counts.imported + b.counts.pending} imported, {b.counts.skipped} already there
            {b.counts.needs_attention ? `, ${b.counts.needs_attention} need attention` : ""}
            {b.counts.failed ? `, ${b.counts.failed} failed` : ""}) in {b.pages} pages
            {b.finished_at ? ` · finished ${dateTime(b.finished_at)}` : b.updated_at ? ` · last page ${dateTime(b.updated_at)}` : ""}
          </Text>
          {b.error && (
            <Text size="small" className="text-ui-fg-error">
              {b.error} — choose the date again to restart; imported orders are skipped.
            </Text>
          )}
        </div>
      ))}
    </div>
  )
}
