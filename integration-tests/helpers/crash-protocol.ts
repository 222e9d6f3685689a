/**
 * What the crash test (integration-tests/http/order-lifecycle-crash.spec.ts) and its child process
 * (crash-child.ts) tell each other: the kill points, the child's environment and the lines of its report
 * file. No Medusa imports, so the spec can read it without loading the app.
 *
 * The child appends one JSON line per fact to the report file with a synchronous write, so every line
 * written before a SIGKILL is on disk when the parent reads it.
 */

/**
 * Where a child kills itself while applying a page of new orders, in the order the batch reaches them
 * (applyAmazonOrderBatchWorkflow). Each names a service method the page goes through; the child wraps it
 * (in the child only, never in src) and sends itself SIGKILL before or after its first matching call.
 */
export const KILL_POINTS = {
  /** The batch's per-order locks are taken (Locking Module), nothing written yet. */
  "batch-locks": { service: "locking", method: "acquire", when: "after", what: "the batch's per-order locks are taken" },
  /** The Medusa orders exist (one createOrders), without payment, reservation or plugin record. */
  "create-orders": { service: "order", method: "createOrders", when: "after", what: "the Medusa orders are created" },
  /** Reservations of the unshipped units exist. */
  reservations: { service: "inventory", method: "createReservationItems", when: "after", what: "the reservations are created" },
  /** Payment collections (session, payment, capture) exist. */
  payments: { service: "payment", method: "createPaymentCollections", when: "after", what: "the payments are written" },
  /**
   * The first Medusa fulfillment of units Amazon shipped exists; its units are not yet counted on the
   * order's items nor taken off stock (one later transaction writes both).
   */
  fulfilments: { service: "fulfillment", method: "createFulfillment", when: "after", what: "a fulfillment of shipped units is created" },
  /**
   * The amazon_order rows are inserted, before the stock changes are queued: committed on their own where
   * the record and the queue entry are separate writes, inside their shared transaction where they are one.
   */
  records: { service: "amazon", method: "createAmazonOrders", when: "after", what: "the amazon_order rows are inserted" },
  /** The records are linked to their Medusa orders. */
  "record-links": { service: "link", method: "create", when: "after", what: "the records are linked to their orders" },
  /** Everything is written (records, stock-push queue, links); the per-order locks are still held. */
  "before-release": { service: "locking", method: "release", when: "before", what: "the batch is about to release its per-order locks" },
} as const

export type KillPoint = keyof typeof KILL_POINTS

export function isKillPoint(value: string): value is KillPoint {
  return Object.prototype.hasOwnProperty.call(KILL_POINTS, value)
}

export type LockingVariant = "memory" | "redis"

/** The four SKUs every page orders (stock STOCK_PER_SKU each at one warehouse). */
export const CRASH_SKUS = ["CRASH-A", "CRASH-B", "CRASH-C", "CRASH-D"] as const
export const STOCK_PER_SKU = 100

/** A child's environment (all strings). */
export interface CrashChildEnv {
  CRASH_REPORT_FILE: string
  CRASH_SIM_URL: string
  CRASH_LOCKING: LockingVariant
  /** Redis locking: the Redis URL and the key namespace of this test run. */
  CRASH_REDIS_URL?: string
  CRASH_REDIS_NAMESPACE?: string
  /** JSON of CrashSeller. */
  CRASH_SELLER: string
  /** "seed": the first child, which creates the store; otherwise the report of the seed is read. */
  CRASH_SEED?: "1"
  /** Epoch ms the previous child died (absent for the first child). */
  CRASH_KILLED_AT?: string
  /** The round the previous child died in, and its page's Amazon order ids (JSON array) to recover. */
  CRASH_RECOVER_ROUND?: string
  CRASH_RECOVER_ORDERS?: string
  /** The round of the page this child applies and the kill point; absent: the last child only verifies. */
  CRASH_ROUND?: string
  CRASH_KILL_POINT?: KillPoint
  /** How long a child keeps re-running the import to recover (default 150 s). */
  CRASH_RECOVERY_LIMIT_MS?: string
}

export interface CrashSeller {
  sellerId: string
  clientId: string
  clientSecret: string
  refreshToken: string
  marketplaceId: string
}

export interface SeededStore {
  account_id: string
  location_id: string
  skus: Record<string, { variant_id: string; inventory_item_id: string }>
}

export interface PageOrder {
  amazon_order_id: string
  status: "UNSHIPPED" | "SHIPPED"
  items: { sku: string; quantity: number }[]
}

export interface ImportRun {
  started_at: number
  ended_at: number
  ran: boolean
  reason?: string
  error?: string
  marketplaces?: { status: string; orders: number; imported: number; pending: number; skipped: number; needs_attention: number; failed: number }[]
}

/** The store as the child saw it right after the first stock push of its life. */
export interface StoreSnapshot {
  /** Per Amazon order asked about. */
  orders: Record<
    string,
    {
      records: { id: string; import_status: string; order_id: string | null; attention_reason: string | null }[]
      medusa_order_ids: string[]
      /** Line items of every Medusa order of this Amazon order, with their reservations. */
      line_items: { id: string; sku: string; quantity: number; reservations: number[]; fulfilled: number }[]
      /** Live (not cancelled) fulfillments of those Medusa orders: their count of units. */
      fulfillments: number[]
    }
  >
  /** Per SKU at the warehouse. */
  levels: Record<string, { stocked: number; reserved: number }>
  /** The simulator's (Amazon's) quantity per SKU. */
  amazon: Record<string, number | null>
  /** Outbox rows left after that push. */
  outbox_left: number
  push: { patched: number; fed: number; candidates: number; outbox_rows: number }
}

export type ReportLine =
  | { type: "booted"; boot_ms: number; at: number; round: number | null }
  | { type: "seeded"; store: SeededStore; snapshot: StoreSnapshot }
  | { type: "recovered"; round: number; killed_at: number; runs: ImportRun[]; snapshot: StoreSnapshot }
  | { type: "page"; round: number; kill_point: KillPoint; orders: PageOrder[] }
  | { type: "not-killed"; round: number; kill_point: KillPoint; run: ImportRun }
  | { type: "error"; message: string }
