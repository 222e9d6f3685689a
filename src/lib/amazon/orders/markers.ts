/**
 * Metadata markers shared by the order import (Amazon → Medusa) and the order actions (Medusa → Amazon),
 * so neither echoes the other's changes back.
 */

/**
 * On a Medusa fulfillment: the plugin created it because Amazon reported the units shipped (an FBA order,
 * or an FBM order shipped in Seller Central). Such a fulfillment is never confirmed back to Amazon.
 */
export const FULFILLMENT_FROM_AMAZON_KEY = "amazon_source"
export const FULFILLMENT_FROM_AMAZON_VALUE = "amazon"

/**
 * On a Medusa order: the plugin cancelled it because Amazon reported it cancelled. Such a cancellation is
 * never sent back to Amazon.
 */
export const ORDER_CANCELLED_BY_AMAZON_KEY = "amazon_cancelled_by_amazon"

/** On a Medusa order: the reason staff chose for cancelling it on Amazon (POST_ORDER_ACKNOWLEDGEMENT_DATA). */
export const ORDER_CANCEL_REASON_KEY = "amazon_cancel_reason"

export function isFulfillmentFromAmazon(metadata: Record<string, unknown> | null | undefined): boolean {
  return metadata?.[FULFILLMENT_FROM_AMAZON_KEY] === FULFILLMENT_FROM_AMAZON_VALUE
}
