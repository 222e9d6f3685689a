import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { CsvFormatError, parseCsv } from "../../../../../lib/mapping/csv"
import {
  listingKey,
  MAPPING_IMPORT_MAX_ROWS,
  planMappingImport,
  readMappingRows,
  type MappingExportRow,
  type MappingPreview,
} from "../../../../../lib/mapping/mapping-file"
import { AMAZON_MODULE } from "../../../../../modules/amazon"
import type AmazonModuleService from "../../../../../modules/amazon/service"
import { loadLinkState } from "../../../../../workflows/admin/steps/plan-listing-links"

/** Rows per query.graph page of the export, and ids per lookup of the import. */
const PAGE = 2000

/** Every listing of the filter with its variant, ordered by account, marketplace, SKU and channel. */
export async function readMappingExportRows(
  container: MedusaContainer,
  filters: { account_id?: string; marketplace_id?: string | string[] }
): Promise<MappingExportRow[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const out: MappingExportRow[] = []
  for (let skip = 0; ; skip += PAGE) {
    const { data } = await query.graph({
      entity: "amazon_listing",
      fields: ["id", "account_id", "marketplace_id", "seller_sku", "fulfillment_channel", "asin", "item_name", "product_variant.id", "product_variant.sku"],
      filters,
      pagination: { skip, take: PAGE, order: { account_id: "ASC", marketplace_id: "ASC", seller_sku: "ASC", fulfillment_channel: "ASC", id: "ASC" } },
    })
    for (const l of data as any[]) {
      out.push({
        account_id: l.account_id,
        marketplace_id: l.marketplace_id,
        seller_sku: l.seller_sku,
        fulfillment_channel: l.fulfillment_channel,
        asin: l.asin ?? null,
        item_name: l.item_name ?? null,
        variant_sku: l.product_variant?.sku ?? null,
        variant_id: l.product_variant?.id ?? null,
      })
    }
    if (data.length < PAGE) break
  }
  return out
}

/**
 * Reads an uploaded mapping file and decides each row (lib/mapping/mapping-file.ts) after looking up the
 * listings and variants it names. Read-only. A file that is not CSV, lacks the key columns or has more than
 * 5,000 rows is a 400.
 */
export async function previewMappingImport(container: MedusaContainer, csv: string): Promise<MappingPreview> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const accounts = await amazon.listAmazonAccounts({}, { select: ["id"] })
  let rows: ReturnType<typeof readMappingRows>
  try {
    rows = readMappingRows(parseCsv(csv, { maxRows: MAPPING_IMPORT_MAX_ROWS }), accounts.map((a) => a.id))
  } catch (e) {
    if (e instanceof CsvFormatError) throw new MedusaError(MedusaError.Types.INVALID_DATA, e.message)
    throw e
  }

  const valid = rows.filter((r) => !r.error && r.account_id)
  const listingIdByKey = new Map<string, string>()
  const skus = [...new Set(valid.map((r) => r.seller_sku))]
  for (let i = 0; i < skus.length; i += PAGE) {
    const found = await amazon.listAmazonListings(
      { seller_sku: skus.slice(i, i + PAGE), account_id: [...new Set(valid.map((r) => r.account_id!))] },
      { select: ["id", "account_id", "marketplace_id", "seller_sku", "fulfillment_channel"] }
    )
    for (const l of found) listingIdByKey.set(listingKey(l), l.id)
  }

  const variantIdBySku = new Map<string, string>()
  const variantSkus = [...new Set(valid.map((r) => r.variant_sku).filter((s): s is string => !!s))]
  for (let i = 0; i < variantSkus.length; i += PAGE) {
    const { data } = await query.graph({ entity: "product_variant", fields: ["id", "sku"], filters: { sku: variantSkus.slice(i, i + PAGE) } })
    for (const v of data as { id: string; sku: string | null }[]) if (v.sku) variantIdBySku.set(v.sku, v.id)
  }

  const listingIds = [...listingIdByKey.values()]
  const { listings, variants } = await loadLinkState(container, listingIds, [
    ...variantIdBySku.values(),
    ...valid.map((r) => r.variant_id).filter((id): id is string => !!id),
  ])
  // the variants linked now, for the preview's "currently" column
  const current = await loadLinkState(container, [], [...listings.values()].map((l) => l.variant_id).filter((id): id is string => !!id))
  for (const [id, v] of current.variants) if (!variants.has(id)) variants.set(id, v)

  return planMappingImport(rows, { listing_id_by_key: listingIdByKey, listings, variant_id_by_sku: variantIdBySku, variants })
}
