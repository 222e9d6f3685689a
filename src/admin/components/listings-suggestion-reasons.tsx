import { Badge, Text } from "@medusajs/ui"
import type { AdminAmazonListingSuggestion } from "../../types/http"

/** A suggested variant: SKU, product · variant title, and why it was suggested. */
export const SuggestionSummary = ({ suggestion: s }: { suggestion: AdminAmazonListingSuggestion }) => (
  <div className="flex min-w-0 flex-col gap-y-1">
    <Text size="small" weight="plus" className="truncate">
      {s.variant_sku ?? "no SKU"}
      <span className="text-ui-fg-subtle font-normal"> · {[s.product_title, s.variant_title].filter(Boolean).join(" · ")}</span>
    </Text>
    <div className="flex flex-wrap gap-1">
      {s.reasons.map((r) => (
        <Badge key={r} size="2xsmall" color={r.includes("SKU") ? "green" : "grey"}>
          {r}
        </Badge>
      ))}
      {s.current && (
        <Badge size="2xsmall" color="blue">
          linked now
        </Badge>
      )}
      {s.linked_elsewhere && (
        <Badge size="2xsmall" color="orange">
          sold as {s.linked_elsewhere.seller_sku}
        </Badge>
      )}
    </div>
  </div>
)

/** The suggestion to pick by default: the best one that is free, when it is a SKU or identifier match or a very alike title. */
export function defaultSuggestion(suggestions: AdminAmazonListingSuggestion[] | undefined): AdminAmazonListingSuggestion | undefined {
  const best = suggestions?.find((s) => !s.linked_elsewhere && !s.current)
  return best && best.score >= 72 ? best : undefined
}
