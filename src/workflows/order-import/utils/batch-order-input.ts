import type { AmazonTaxPlan, MedusaOrderInput } from "../../../lib/amazon/orders"
import { AMAZON_TAX_CODE, AMAZON_TAX_DESCRIPTION } from "../steps/set-amazon-order-tax-lines"

/** The variant fields a line item copies (those of Medusa's productVariantsFields that prepareLineItemData reads). */
export const LINE_ITEM_VARIANT_FIELDS = [
  "id",
  "title",
  "sku",
  "barcode",
  "thumbnail",
  "product.id",
  "product.title",
  "product.description",
  "product.subtitle",
  "product.thumbnail",
  "product.handle",
  "product.discountable",
  "product.is_giftcard",
  "product.type.id",
  "product.type.value",
  "product.collection.title",
  "inventory_items.inventory.requires_shipping",
]

export interface LineItemVariant {
  id: string
  title?: string | null
  sku?: string | null
  barcode?: string | null
  thumbnail?: string | null
  product?: {
    id: string
    title?: string | null
    description?: string | null
    subtitle?: string | null
    thumbnail?: string | null
    handle?: string | null
    is_giftcard?: boolean | null
    type?: { id?: string | null; value?: string | null } | null
    collection?: { title?: string | null } | null
  } | null
  inventory_items?: { inventory?: { requires_shipping?: boolean | null } | null }[] | null
}

/**
 * The order module input of one imported order, complete: line items carry the variant's product facts
 * (what createOrderWorkflow copies into them through prepareLineItemData, as for a custom price) and
 * Amazon's tax lines, so the batched import creates in one `createOrders` call the same order the
 * one-by-one path builds with createOrderWorkflow followed by setAmazonOrderTaxLinesStep.
 *
 * @example
 * const input = completeOrderInput(order, tax, variantsById, { customer_id: customer.id })
 */
export function completeOrderInput(
  order: MedusaOrderInput,
  tax: AmazonTaxPlan,
  variants: Map<string, LineItemVariant>,
  extra: { customer_id?: string; email?: string }
): Record<string, unknown> {
  const rateOf = new Map(tax.items.filter((t) => t.rate !== 0).map((t) => [t.order_item_id, t.rate]))
  const items = order.items.map((line) => {
    const variant = variants.get(line.variant_id)
    if (!variant?.product) {
      throw new Error(`variant ${line.variant_id} has no product`)
    }
    const product = variant.product
    const rate = rateOf.get(String(line.metadata.amazon_order_item_id))
    return {
      quantity: line.quantity,
      title: product.title,
      subtitle: variant.title,
      thumbnail: variant.thumbnail ?? product.thumbnail,
      product_id: product.id,
      product_title: product.title,
      product_description: product.description,
      product_subtitle: product.subtitle,
      product_type: product.type?.value ?? null,
      product_type_id: product.type?.id ?? null,
      product_collection: product.collection?.title ?? null,
      product_handle: product.handle,
      variant_id: variant.id,
      variant_sku: variant.sku,
      variant_barcode: variant.barcode,
      variant_title: variant.title,
      is_discountable: line.is_discountable,
      is_giftcard: product.is_giftcard ?? false,
      requires_shipping: !!variant.inventory_items?.some((i) => !!i.inventory?.requires_shipping),
      unit_price: line.unit_price,
      is_tax_inclusive: line.is_tax_inclusive,
      is_custom_price: true,
      metadata: line.metadata,
      tax_lines: rate !== undefined ? [{ rate, code: AMAZON_TAX_CODE, description: AMAZON_TAX_DESCRIPTION }] : [],
      adjustments: (line.adjustments ?? []).map((a) => ({ amount: a.amount, description: a.description, is_tax_inclusive: a.is_tax_inclusive })),
    }
  })
  const shippingRate = tax.shipping && tax.shipping.rate !== 0 ? tax.shipping.rate : null
  const shipping_methods = order.shipping_methods.map((method, i) => ({
    ...method,
    tax_lines: i === 0 && shippingRate !== null ? [{ rate: shippingRate, code: AMAZON_TAX_CODE, description: AMAZON_TAX_DESCRIPTION }] : [],
  }))
  return {
    ...order,
    ...(extra.email ? { email: extra.email } : {}),
    ...(extra.customer_id ? { customer_id: extra.customer_id } : {}),
    items,
    shipping_methods,
  }
}
