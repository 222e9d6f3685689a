/**
 * Which store order a quantity on Amazon comes from, for the demo's "reached Amazon in … s" lines.
 *
 * Pure (no clock, no I/O): the demo passes the times in, and integration-tests/http/demo.spec.ts tests it.
 *
 * Amazon's quantity changes only when the plugin pushes one, and a push sends the store's availability at the
 * moment it was read, through the account's rules. So each store order expects Amazon to show, at most, the
 * ruled availability left after it; Amazon showing that value or less means a push read the stock after the
 * order. The lag is measured from the newest order a quantity covers: older pending orders of the SKU are
 * covered by the same push and are retired with it (superseded), never timed — timing them would report the
 * later order's push as their own lag. An order can stay pending when stock rises in between (a cancelled
 * Amazon order releases its reservation), until a later order's quantity covers it.
 */

export interface PendingStoreOrder {
  orderId: string
  sku: string
  /** ms since the epoch */
  placedAt: number
  /** What Amazon shows once a push has read the stock after this order (the ruled availability). */
  expectedOnAmazon: number
}

export interface StoreOrderReachedAmazon {
  /** The newest order this quantity covers: the one the lag is measured from. */
  order: PendingStoreOrder
  lagSeconds: number
  /** Older pending orders of the same SKU that the same push carried. */
  superseded: PendingStoreOrder[]
}

export class StoreOrderLags {
  private pending: PendingStoreOrder[] = []

  placed(order: PendingStoreOrder): void {
    this.pending.push(order)
  }

  /** Orders not (yet) seen on Amazon. */
  get waiting(): readonly PendingStoreOrder[] {
    return this.pending
  }

  /** Amazon now shows `quantity` for `sku` (at `at`, ms). Returns the store order that quantity reflects, if any. */
  observed(sku: string, quantity: number | undefined, at: number): StoreOrderReachedAmazon | undefined {
    if (quantity === undefined) {
      return undefined
    }
    const covered = this.pending.filter((p) => p.sku === sku && quantity <= p.expectedOnAmazon)
    if (!covered.length) {
      return undefined
    }
    this.pending = this.pending.filter((p) => !covered.includes(p))
    const newest = covered.reduce((a, b) => (b.placedAt >= a.placedAt ? b : a))
    return {
      order: newest,
      lagSeconds: Math.max(0, (at - newest.placedAt) / 1000),
      superseded: covered.filter((p) => p !== newest),
    }
  }
}
