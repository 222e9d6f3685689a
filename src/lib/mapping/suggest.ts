/**
 * Ranks store variants as the one an Amazon listing probably sells. Pure: the candidates are read
 * elsewhere (medusa-tables.ts, variantMatchCandidates); this decides the order and says why.
 *
 * Score (0–100), the best signal wins:
 * - 100 the variant SKU equals the seller SKU;
 * - 90 they are equal ignoring case and separators ("abc_123" ~ "ABC-123");
 * - 85 the variant's EAN, UPC or barcode equals the seller SKU (merchants often use the GTIN as SKU;
 *   leading zeros are ignored, so a 12-digit UPC matches its 13-digit EAN form);
 * - up to 80 for title similarity (titleSimilarity × 80), counted from 40 % alike. Below any SKU signal:
 *   two products of a range share most words, a SKU names exactly one.
 */
import { titleSimilarity, titleWords } from "./title-score"

export interface SuggestionListing {
  seller_sku: string
  item_name: string | null
}

export interface VariantCandidate {
  id: string
  sku: string | null
  title: string | null
  product_id: string
  product_title: string | null
  barcode: string | null
  ean: string | null
  upc: string | null
}

export interface RankedSuggestion<C extends VariantCandidate = VariantCandidate> {
  candidate: C
  score: number
  /** Why, for the merchant: "same SKU", "EAN equals the SKU", "title 82% alike". */
  reasons: string[]
}

/** Titles less alike than this are no suggestion. */
export const MIN_TITLE_SIMILARITY = 0.4

/** Lower-case letters and digits only: how "the same SKU ignoring case and separators" is compared. */
export function normalizeSku(sku: string | null | undefined): string {
  return (sku ?? "").toLowerCase().replace(/[^a-z0-9]/g, "")
}

/** A GTIN without its leading zeros, or null when the value is not all digits. */
export function gtinKey(value: string | null | undefined): string | null {
  const v = (value ?? "").trim()
  return /^\d{8,14}$/.test(v) ? v.replace(/^0+/, "") : null
}

/** The text a variant is known by: product title and variant title ("Ceramic mug Red"). */
export function variantTitle(c: Pick<VariantCandidate, "title" | "product_title">): string {
  return [c.product_title, c.title].filter((t) => t && t !== "Default variant").join(" ")
}

function identifierReason(listing: SuggestionListing, c: VariantCandidate): string | null {
  const sku = listing.seller_sku.trim()
  const key = gtinKey(sku)
  for (const [field, label] of [
    ["ean", "EAN"],
    ["upc", "UPC"],
    ["barcode", "barcode"],
  ] as const) {
    const value = c[field]?.trim()
    if (value && (value === sku || (key !== null && gtinKey(value) === key))) {
      return `${label} equals the SKU`
    }
  }
  return null
}

/** Scores one candidate; null when nothing links it to the listing. */
export function scoreCandidate<C extends VariantCandidate>(listing: SuggestionListing, c: C): RankedSuggestion<C> | null {
  const reasons: string[] = []
  let score = 0
  if (c.sku && c.sku === listing.seller_sku) {
    score = 100
    reasons.push("same SKU")
  } else if (c.sku && normalizeSku(c.sku) !== "" && normalizeSku(c.sku) === normalizeSku(listing.seller_sku)) {
    score = 90
    reasons.push("same SKU ignoring case and separators")
  }
  const identifier = identifierReason(listing, c)
  if (identifier) {
    score = Math.max(score, 85)
    reasons.push(identifier)
  }
  const similarity = titleSimilarity(listing.item_name, variantTitle(c))
  if (similarity >= MIN_TITLE_SIMILARITY) {
    score = Math.max(score, Math.round(similarity * 80))
    reasons.push(`title ${Math.round(similarity * 100)}% alike`)
  }
  return reasons.length ? { candidate: c, score, reasons } : null
}

/** The best `limit` candidates, best first (ties: more reasons, then SKU, so the answer is stable). */
export function rankSuggestions<C extends VariantCandidate>(listing: SuggestionListing, candidates: readonly C[], limit = 5): RankedSuggestion<C>[] {
  const seen = new Set<string>()
  const ranked: RankedSuggestion<C>[] = []
  for (const c of candidates) {
    if (seen.has(c.id)) continue
    seen.add(c.id)
    const r = scoreCandidate(listing, c)
    if (r) ranked.push(r)
  }
  const byCodePoint = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)
  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      // on a tie, more evidence first (same SKU form and a similar title beats the SKU alone)
      b.reasons.length - a.reasons.length ||
      byCodePoint(a.candidate.sku ?? "", b.candidate.sku ?? "") ||
      byCodePoint(a.candidate.id, b.candidate.id)
  )
  return ranked.slice(0, limit)
}

/**
 * The words worth looking a candidate up by (for the SQL prefilter): 3+ characters or numbers, longest
 * first, at most `max`.
 */
export function lookupWords(itemName: string | null | undefined, max = 12): string[] {
  return titleWords(itemName)
    .filter((w) => w.length >= 3 || /^\d+$/.test(w))
    .sort((a, b) => b.length - a.length)
    .slice(0, max)
}
