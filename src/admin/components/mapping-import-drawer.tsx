import { Alert, Badge, Button, Drawer, Input, Label, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useImportAmazonListingMapping } from "../hooks/api/amazon-listings"
import { errorMessage, marketplaceName } from "../lib/format"
import type { AdminAmazonMappingImportResponse, AmazonMappingAction } from "../../types/http"

/** The server refuses larger files; checked here first so the merchant is not left waiting for the upload. */
const MAX_BYTES = 2 * 1024 * 1024

const ACTION_COLOR: Record<AmazonMappingAction, "green" | "orange" | "grey" | "red"> = {
  link: "green",
  unlink: "orange",
  unchanged: "grey",
  error: "red",
}

/**
 * Import the mapping file: pick a CSV (the export's columns), see what each row would do (link, unlink,
 * unchanged, or why not), then apply — only when no row is an error, after a confirmation. The file is
 * sent as text in a JSON body (the admin API takes JSON only).
 */
export const MappingImportDrawer = ({ open, onClose }: { open: boolean; onClose: () => void }) => {
  const [csv, setCsv] = useState<string | null>(null)
  const [fileName, setFileName] = useState("")
  const [preview, setPreview] = useState<AdminAmazonMappingImportResponse | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const run = useImportAmazonListingMapping()
  const prompt = usePrompt()

  useEffect(() => {
    if (!open) {
      setCsv(null)
      setFileName("")
      setPreview(null)
      setFailure(null)
    }
  }, [open])

  const pick = async (file: File | undefined) => {
    setPreview(null)
    setFailure(null)
    if (!file) return
    if (file.size > MAX_BYTES) {
      setFailure(`${file.name} is larger than 2 MB; split it into smaller files.`)
      return
    }
    const text = await file.text()
    setCsv(text)
    setFileName(file.name)
    try {
      setPreview(await run.mutateAsync({ csv: text, dry_run: true }))
    } catch (e) {
      setFailure(errorMessage(e))
    }
  }

  const changes = preview ? preview.totals.link + preview.totals.unlink : 0
  const apply = async () => {
    if (!csv || !preview) return
    const ok = await prompt({
      title: `Apply ${changes} change(s)?`,
      description: `${preview.totals.link} link(s) and ${preview.totals.unlink} unlink(s) from ${fileName}. Linked merchant-fulfilled SKUs get their variant's stock with the next push; unlinked SKUs keep the quantity Amazon last received.`,
      confirmText: "Apply",
      cancelText: "Cancel",
    })
    if (!ok) return
    try {
      const res = await run.mutateAsync({ csv, dry_run: false })
      toast.success(`Mapping imported: ${res.totals.link} linked, ${res.totals.unlink} unlinked`)
      onClose()
    } catch (e) {
      // the links changed since the preview: show the file's rows again as they stand now
      toast.error("Nothing was applied", { description: errorMessage(e) })
      try {
        setPreview(await run.mutateAsync({ csv, dry_run: true }))
      } catch (again) {
        setFailure(errorMessage(again))
      }
    }
  }

  const shown = preview ? [...preview.rows].sort((a, b) => Number(b.action === "error") - Number(a.action === "error") || a.line - b.line) : []

  return (
    <Drawer open={open} onOpenChange={(o) => !o && onClose()}>
      <Drawer.Content aria-describedby={undefined} className="max-w-full sm:max-w-2xl">
        <Drawer.Header>
          <Drawer.Title>Import the SKU mapping</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex min-w-0 flex-col gap-y-4 overflow-y-auto">
          <Text size="small" className="text-ui-fg-subtle">
            Columns as in the export: seller_sku, marketplace_id, fulfillment_channel (default MERCHANT), account_id (optional with one account), and
            variant_sku or variant_id. An empty variant unlinks the listing. Nothing is written before you apply.
          </Text>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="mapping-file">CSV file (up to 5,000 rows, 2 MB)</Label>
            <Input id="mapping-file" type="file" accept=".csv,text/csv" onChange={(e) => pick(e.target.files?.[0])} />
          </div>
          {run.isPending && !preview && <Text size="small">Reading {fileName || "the file"}…</Text>}
          {failure && (
            <Alert variant="error" data-testid="mapping-import-failure">
              {failure}
            </Alert>
          )}
          {preview && (
            <>
              <div className="flex flex-wrap gap-2" data-testid="mapping-import-totals">
                <Badge color="green">{preview.totals.link} to link</Badge>
                <Badge color="orange">{preview.totals.unlink} to unlink</Badge>
                <Badge color="grey">{preview.totals.unchanged} unchanged</Badge>
                <Badge color={preview.totals.error ? "red" : "grey"}>{preview.totals.error} with errors</Badge>
              </div>
              {preview.totals.error > 0 && (
                <Alert variant="warning">Correct the rows with errors in the file and pick it again: nothing is applied while a row is wrong.</Alert>
              )}
              <div className="min-w-0 overflow-x-auto rounded-lg border">
                <Table>
                  <Table.Header>
                    <Table.Row>
                      <Table.HeaderCell>Line</Table.HeaderCell>
                      <Table.HeaderCell>Amazon SKU</Table.HeaderCell>
                      <Table.HeaderCell>Action</Table.HeaderCell>
                      <Table.HeaderCell>Variant / reason</Table.HeaderCell>
                    </Table.Row>
                  </Table.Header>
                  <Table.Body>
                    {shown.map((r) => (
                      <Table.Row key={r.line}>
                        <Table.Cell>{r.line}</Table.Cell>
                        <Table.Cell>
                          <div className="flex flex-col">
                            <span className="whitespace-nowrap">{r.seller_sku || "–"}</span>
                            <span className="text-ui-fg-muted txt-compact-xsmall whitespace-nowrap">
                              {marketplaceName(r.marketplace_id)} · {r.fulfillment_channel === "AMAZON" ? "FBA" : "Merchant"}
                            </span>
                          </div>
                        </Table.Cell>
                        <Table.Cell>
                          <Badge size="2xsmall" color={ACTION_COLOR[r.action]}>
                            {r.action}
                          </Badge>
                        </Table.Cell>
                        <Table.Cell className="min-w-[12rem] whitespace-normal">
                          {r.action === "error" ? (
                            <span className="text-ui-fg-error">{r.error}</span>
                          ) : r.action === "unlink" ? (
                            <span className="text-ui-fg-subtle">was {r.current_variant_sku ?? "linked"}</span>
                          ) : (
                            <span>
                              {r.variant_sku ?? r.variant_id ?? "not linked"}
                              {r.action === "link" && r.current_variant_sku ? <span className="text-ui-fg-subtle"> (was {r.current_variant_sku})</span> : null}
                            </span>
                          )}
                        </Table.Cell>
                      </Table.Row>
                    ))}
                  </Table.Body>
                </Table>
              </div>
            </>
          )}
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Close
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={apply} disabled={!preview || preview.totals.error > 0 || changes === 0} isLoading={run.isPending && !!preview}>
            Apply {changes} change(s)
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
