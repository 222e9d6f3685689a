import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { placeStoreOrder } from "../integration-tests/helpers/store-seed"
import { AMAZON_MODULE } from "../src/modules/amazon"
import type AmazonModuleService from "../src/modules/amazon/service"
import { applyQuantityRules } from "../src/lib/stock/available-quantity"
import type { DemoCatalogue } from "./seed"
import type { Stack } from "./stack"
import { StoreOrderLags } from "./store-order-lag"

/** Keeps traffic going on both sides and narrates what the plugin does about it. */
export class DemoTraffic {
  private timers: NodeJS.Timeout[] = []
  private stopped = false
  private cat!: DemoCatalogue
  private readonly amazon: AmazonModuleService
  private readonly seen = {
    quantities: new Map<string, number | undefined>(),
    feeds: new Map<string, string>(),
    orders: new Map<string, string>(),
    fba: new Map<string, number | null>(),
    logs: new Set<string>(),
    available: new Map<string, number>(),
  }
  private readonly storeOrderLags = new StoreOrderLags()
  private readonly stats = {
    storeOrders: 0,
    /** One per quantity Amazon showed for a store order, timed from the newest order it carried. */
    storeToAmazonLagsSeconds: [] as number[],
    /** Store orders carried to Amazon by a later order's push (not timed, see store-order-lag.ts). */
    storeOrdersSuperseded: 0,
    amazonOrdersSeeded: 0,
    amazonOrdersImported: [] as { amazonOrderId: string; medusaOrderId: string; status: string }[],
    amazonOrderStockEffects: [] as string[],
    feedsSubmitted: 0,
    feedsDone: 0,
    fbaLevels: {} as Record<string, number>,
    errors: [] as string[],
  }

  constructor(private readonly stack: Stack, private readonly say: (l: string) => void) {
    this.amazon = stack.container.resolve<AmazonModuleService>(AMAZON_MODULE)
  }

  async start(cat: DemoCatalogue) {
    this.cat = cat
    for (const sku of cat.mfnSkus) this.seen.quantities.set(sku, this.stack.sim.control.getQuantity(sku))
    for (const sku of cat.mfnSkus) this.seen.available.set(sku, await this.available(sku))
    this.every(1_000, () => this.observe())
    // Store side: a shopper buys something every 25 s.
    this.after(15_000, () => this.storeOrder("DEMO-TEE-S"))
    this.every(25_000, () => this.storeOrder(cat.mfnSkus[this.stats.storeOrders % cat.mfnSkus.length]), 40_000)
    // Amazon side: orders arrive and move through their statuses; one is cancelled by the buyer.
    this.after(5_000, () => this.amazonOrder("DEMO-MUG", 2, "PENDING", [[25_000, "UNSHIPPED"], [50_000, "SHIPPED"]]))
    this.after(30_000, () => this.amazonOrder("DEMO-TEE-S", 1, "UNSHIPPED", [[40_000, "SHIPPED"]]))
    this.after(45_000, () => this.amazonOrder("DEMO-TEE-M", 1, "PENDING", [[30_000, "CANCELLED"]]))
    // Amazon's warehouse sells three bottles.
    this.after(60_000, () => {
      this.stack.sim.control.setFbaStock({ sku: cat.fbaSku, fulfillable: 37, inboundShipped: 12 })
      this.say(`amazon: FBA sold 3 × ${cat.fbaSku} (Amazon's warehouse now holds 37)`)
    })
  }

  stop() {
    this.stopped = true
    this.timers.forEach((t) => clearTimeout(t))
    this.timers = []
  }

  summary() {
    const lags = [...this.stats.storeToAmazonLagsSeconds].sort((a, b) => a - b)
    return {
      ...this.stats,
      storeOrdersNotYetOnAmazon: this.storeOrderLags.waiting.length,
      storeOrderLoweredAmazon: lags.length > 0,
      amazonOrderBecameMedusaOrder: this.stats.amazonOrdersImported.length > 0,
      storeToAmazonLagP50Seconds: lags.length ? lags[Math.floor(lags.length / 2)] : null,
    }
  }

  private every(ms: number, fn: () => Promise<void> | void, firstDelay = ms) {
    const tick = async () => {
      if (this.stopped) return
      try {
        await fn()
      } catch (e) {
        this.error(`demo step failed: ${(e as { message?: string })?.message ?? String(e)}`)
      }
      if (!this.stopped) this.timers.push(setTimeout(tick, ms))
    }
    this.timers.push(setTimeout(tick, firstDelay))
  }

  private after(ms: number, fn: () => Promise<void> | void) {
    this.timers.push(
      setTimeout(async () => {
        if (this.stopped) return
        try {
          await fn()
        } catch (e) {
          this.error(`demo step failed: ${(e as { message?: string })?.message ?? String(e)}`)
        }
      }, ms)
    )
  }

  private error(msg: string) {
    this.stats.errors.push(msg)
    this.say(`!! ${msg}`)
  }

  private async available(sku: string): Promise<number> {
    const query = this.stack.container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["inventory_items.inventory.location_levels.*"],
      filters: { id: this.cat.variants[sku] },
    })
    let total = 0
    for (const item of data[0]?.inventory_items ?? []) {
      for (const level of item.inventory?.location_levels ?? []) {
        if (this.cat.store.locationIds.includes(level.location_id)) {
          total += Number(level.stocked_quantity) - Number(level.reserved_quantity)
        }
      }
    }
    return total
  }

  private async storeOrder(sku: string) {
    const available = await this.available(sku)
    if (available <= 1) {
      this.say(`store: ${sku} is sold out in the store, no order`)
      return
    }
    const orderId = await placeStoreOrder(this.stack.container, this.cat.store, [{ variant_id: this.cat.variants[sku], quantity: 1 }])
    this.stats.storeOrders++
    this.storeOrderLags.placed({ orderId, sku, placedAt: Date.now(), expectedOnAmazon: applyQuantityRules(available - 1, this.cat.rules) })
    this.say(`store: order ${orderId} placed for 1 × ${sku} (store available ${available} → ${available - 1})`)
  }

  private async amazonOrder(sku: string, qty: number, status: "PENDING" | "UNSHIPPED", next: [number, "UNSHIPPED" | "SHIPPED" | "CANCELLED"][]) {
    const order = this.stack.sim.control.seedOrder({
      fulfillmentStatus: status,
      buyer: { buyerEmail: "buyer-demo@marketplace.amazon.de", buyerName: "Max Käufer" } as any,
      recipient: {
        deliveryAddress: { name: "Max Käufer", addressLine1: "Hauptstr. 5", city: "München", postalCode: "80331", countryCode: "DE" },
      } as any,
      orderItems: [{ sellerSku: sku, quantityOrdered: qty, unitPrice: "19.90", shippingPrice: "3.90" }],
    })
    this.stats.amazonOrdersSeeded++
    this.say(`amazon: new order ${order.orderId} (${status}) for ${qty} × ${sku}`)
    for (const [delay, to] of next) {
      this.after(delay, () => {
        if (to === "CANCELLED") {
          this.stack.sim.control.requestBuyerCancellation(order.orderId, { reason: "Changed my mind", cancelNow: true })
        } else {
          this.stack.sim.control.transitionOrder(order.orderId, { to })
        }
        this.say(`amazon: order ${order.orderId} → ${to}${to === "CANCELLED" ? " (buyer-requested)" : ""}`)
      })
    }
  }

  /** Reads what the plugin recorded and what Amazon (the simulator) shows, and narrates the changes. */
  private async observe() {
    const sim = this.stack.sim.control
    for (const sku of this.cat.mfnSkus) {
      const q = sim.getQuantity(sku)
      const before = this.seen.quantities.get(sku)
      if (q !== before) {
        this.seen.quantities.set(sku, q)
        this.say(`amazon: ${sku} now shows ${before ?? "—"} → ${q}`)
        const reached = this.storeOrderLags.observed(sku, q, Date.now())
        if (reached) {
          this.stats.storeToAmazonLagsSeconds.push(Number(reached.lagSeconds.toFixed(1)))
          this.stats.storeOrdersSuperseded += reached.superseded.length
          const earlier = reached.superseded.length
          this.say(
            `  ↳ the store order reached Amazon in ${reached.lagSeconds.toFixed(1)} s` +
              (earlier ? ` (with ${earlier} earlier store order${earlier === 1 ? "" : "s"} of ${sku})` : "")
          )
        }
      }
    }

    const feeds = await this.amazon.listAmazonFeeds({}, { order: { created_at: "ASC" }, take: 200 })
    for (const f of feeds) {
      const key = `${f.status}/${f.accepted_count ?? ""}/${f.error_count ?? ""}`
      if (this.seen.feeds.get(f.id) === key) continue
      const first = !this.seen.feeds.has(f.id)
      this.seen.feeds.set(f.id, key)
      if (first) this.stats.feedsSubmitted++
      if (f.status === "processed" || f.status === "DONE") this.stats.feedsDone++
      this.say(
        `plugin: feed ${f.amazon_feed_id ?? f.id} (${f.message_count} SKU${f.message_count === 1 ? "" : "s"}) ${f.status}` +
          (f.accepted_count != null ? `: ${f.accepted_count} accepted, ${f.error_count ?? 0} rejected` : "")
      )
    }

    const orders = await this.amazon.listAmazonOrders({}, { take: 200 })
    for (const o of orders) {
      const key = `${o.status}/${o.import_status}/${o.order_id ?? ""}`
      if (this.seen.orders.get(o.amazon_order_id) === key) continue
      this.seen.orders.set(o.amazon_order_id, key)
      if (o.import_status === "imported" && o.order_id) {
        if (!this.stats.amazonOrdersImported.some((x) => x.amazonOrderId === o.amazon_order_id)) {
          this.stats.amazonOrdersImported.push({ amazonOrderId: o.amazon_order_id, medusaOrderId: o.order_id, status: o.status })
        }
        this.say(`plugin: Amazon order ${o.amazon_order_id} (${o.status}) is Medusa order ${o.order_id}`)
      } else {
        this.say(`plugin: Amazon order ${o.amazon_order_id} ${o.import_status}${o.attention_reason ? `: ${o.attention_reason}` : ""}`)
      }
    }

    for (const sku of this.cat.mfnSkus) {
      const now = await this.available(sku)
      const before = this.seen.available.get(sku)
      if (before !== undefined && now !== before) {
        this.say(`store: ${sku} available ${before} → ${now}`)
        this.stats.amazonOrderStockEffects.push(`${sku}: ${before} → ${now}`)
      }
      this.seen.available.set(sku, now)
    }

    const fba = await this.amazon.listAmazonFbaStocks({}, { take: 50 })
    for (const s of fba) {
      if (this.seen.fba.get(s.seller_sku) === s.fulfillable) continue
      this.seen.fba.set(s.seller_sku, s.fulfillable)
      if (s.fulfillable != null) this.stats.fbaLevels[s.seller_sku] = s.fulfillable
      this.say(`plugin: FBA ${s.seller_sku}: ${s.fulfillable} fulfillable, ${s.inbound_shipped ?? 0} inbound → set at the FBA location`)
    }

    const logs = await this.amazon.listAmazonSyncLogs({ level: ["error", "warn"] }, { order: { created_at: "ASC" }, take: 100 })
    for (const l of logs) {
      if (this.seen.logs.has(l.id)) continue
      this.seen.logs.add(l.id)
      this.say(`plugin ${l.level}: [${l.stream}] ${l.code ? `${l.code}: ` : ""}${l.message}`)
    }
  }
}
