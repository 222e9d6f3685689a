import { randomUUID } from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { parseNotification, type ParseResult } from "../../../lib/amazon/notifications/parse-notification"
import { describeAwsError, type QueueReader, type SqsMessage } from "../../../lib/aws/sqs-reader"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type { NotificationInboxInput } from "../../../modules/amazon/repositories"
import type AmazonModuleService from "../../../modules/amazon/service"
import { consumerTiming, notificationConsumerLockKey, NOTIFICATIONS_STREAM } from "../constants"
import { MAX_APPLY_ATTEMPTS, NotificationApplier } from "./notification-applier"

/**
 * The consumers of Amazon notifications: one loop per active set-up, in the worker processes, one per cluster.
 *
 * Each loop holds the set-up's lock (the Locking Module; a lease renewed before every receive, so a dead holder
 * frees it within a minute and another instance takes over), long-polls the queue, and for every batch:
 *   1. parses and validates each message (parseNotification: never throws);
 *   2. records the batch in the inbox in one statement, idempotent by NotificationId (amazon_notification);
 *   3. only then deletes the messages from the queue;
 *   4. hands the new rows to the applier (the work: getOrder and the order workflows, an FBA pass, …).
 * A crash before 3 leaves the messages in the queue: SQS hands them out again after the visibility timeout and
 * step 2 absorbs what was recorded already. A crash after 3 leaves rows `received`: the next holder of the lock
 * applies them first thing. So nothing received is lost and nothing is applied twice.
 *
 * Started (and kept in line with the set-ups) by the `amazon-notifications` job every minute and at once by
 * the `amazon.notifications_changed` subscriber; `AMAZON_NOTIFICATIONS=off` keeps a process out of it. Polling
 * never depends on this: the order, FBA and feed jobs run at their usual cadence whatever happens here.
 */

/** Test seams: a hook that throws ConsumerCrash stops its loop on the spot, like a killed process. */
export class ConsumerCrash extends Error {}
export interface ConsumerHooks {
  beforeRecord?: (setupId: string, messages: SqsMessage[]) => void | Promise<void>
  beforeDelete?: (setupId: string, messages: SqsMessage[]) => void | Promise<void>
}

type SetupRow = { id: string; account_id: string; queue_url: string; aws_access_key_id: string; aws_secret_access_key_encrypted: string | null }

/** What a running loop depends on: a new queue or key (a new set-up) restarts it; its counters do not. */
function configVersion(setup: SetupRow): string {
  return `${setup.queue_url}|${setup.aws_access_key_id}|${setup.aws_secret_access_key_encrypted ?? ""}`
}

/** How long a loop that found the lock taken waits before trying again. */
const LOCK_RETRY_MS = 15_000
/** The lock's lease is renewed, and the heartbeat written, at most this often (a busy queue receives many times a second). */
const RENEW_EVERY_MS = 10_000
/** Seller → account of this store, cached this long (a batch of a busy queue would read it every time). */
const SELLERS_TTL_MS = 30_000
/** Errors reading the queue are written to the set-up (and the sync log) at most this often. */
const ERROR_RECORD_EVERY_MS = 60_000

class SetupConsumer {
  private stopped = false
  private readonly abort = new AbortController()
  private done: Promise<void> = Promise.resolve()
  private readonly ownerId = `amazon-notifications:${randomUUID()}`
  holding = false
  /** The loop ended on its own (a crash): the next sync starts a new one. */
  ended = false
  /** Messages received by this loop (tests and diagnostics). */
  received = 0

  constructor(
    private readonly container: MedusaContainer,
    readonly setup: SetupRow,
    private readonly applier: NotificationApplier,
    private readonly hooks: ConsumerHooks
  ) {}

  get version(): string {
    return configVersion(this.setup)
  }

  start(): void {
    this.done = this.run()
      .catch((e) => {
        if (!(e instanceof ConsumerCrash)) {
          this.container.resolve(ContainerRegistrationKeys.LOGGER).error(`amazon notifications: the consumer of ${this.setup.id} stopped: ${(e as Error)?.message ?? e}`)
        }
      })
      .finally(() => {
        this.ended = true
      })
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.abort.abort()
    await this.done
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      this.abort.signal.addEventListener("abort", () => {
        clearTimeout(timer)
        resolve()
      }, { once: true })
    })
  }

  private async run(): Promise<void> {
    const amazon = this.container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const locking = this.container.resolve(Modules.LOCKING)
    const key = notificationConsumerLockKey(this.setup.id)
    let reader: QueueReader | undefined
    let failures = 0
    let lastErrorAt = 0
    let renewedAt = 0
    let beatAt = 0
    try {
      while (!this.stopped) {
        const timing = consumerTiming()
        if (!this.holding || Date.now() - renewedAt >= RENEW_EVERY_MS) {
          try {
            // taking it again extends the lease: a loop that stops renewing (a dead process) loses it soon after
            await locking.acquire(key, { ownerId: this.ownerId, expire: timing.waitSeconds + 40 })
            renewedAt = Date.now()
          } catch {
            this.holding = false
            await this.sleep(LOCK_RETRY_MS)
            continue
          }
        }
        if (!this.holding) {
          this.holding = true
          await this.resumeUnapplied(amazon)
        }
        let messages: SqsMessage[]
        try {
          reader ??= (await amazon.openNotificationQueue(this.setup.id)).reader
          messages = await reader.receive({ max: 10, waitSeconds: timing.waitSeconds, visibilitySeconds: timing.visibilitySeconds, signal: this.abort.signal })
        } catch (e) {
          if (this.stopped) break
          failures += 1
          const now = Date.now()
          if (now - lastErrorAt >= ERROR_RECORD_EVERY_MS) {
            lastErrorAt = now
            await this.recordQueueError(amazon, e, failures === 1)
          }
          reader?.close()
          reader = undefined
          await this.sleep(Math.min(60_000, 1_000 * 2 ** Math.min(failures - 1, 6)))
          continue
        }
        if (failures) {
          failures = 0
          lastErrorAt = 0
          await amazon.updateAmazonNotificationSetups({ id: this.setup.id, last_error: null, last_error_at: null }).catch(() => undefined)
        }
        if (Date.now() - beatAt >= RENEW_EVERY_MS) {
          // the heartbeat the dashboard reads ("queue read …"): every 10 s is plenty, not every receive
          await amazon.countNotificationsOnSetup(this.setup.id, {}, { last_receive_at: new Date() })
          beatAt = Date.now()
        }
        if (messages.length) {
          this.received += messages.length
          await this.handleBatch(amazon, reader, messages)
        }
      }
    } finally {
      reader?.close()
      if (this.holding) {
        await locking.release(key, { ownerId: this.ownerId }).catch(() => undefined)
        this.holding = false
      }
    }
  }

  private async handleBatch(amazon: AmazonModuleService, reader: QueueReader, messages: SqsMessage[]): Promise<void> {
    const sellers = await this.sellerAccounts(amazon)
    const parsed = messages.map((m) => parseNotification(m.body))
    // one row per notification: the same one twice in a batch (a duplicate delivery) is one insert
    const byKey = new Map<string, { result: ParseResult; input: NotificationInboxInput }>()
    for (const result of parsed) {
      const input = this.toInbox(result, sellers)
      const seen = byKey.get(input.notification_key)
      if (seen) seen.input.deliveries = (seen.input.deliveries ?? 1) + 1
      else byKey.set(input.notification_key, { result, input })
    }
    await this.hooks.beforeRecord?.(this.setup.id, messages)
    const recorded = await amazon.recordNotificationInbox([...byKey.values()].map((v) => v.input))
    await this.hooks.beforeDelete?.(this.setup.id, messages)
    const notDeleted = await reader.delete(messages.map((m) => m.receiptHandle)).catch(() => messages.map((m) => m.receiptHandle))
    if (notDeleted.length) {
      // they come back after the visibility timeout and are recorded as duplicates then: nothing lost
      this.container.resolve(ContainerRegistrationKeys.LOGGER).warn(`amazon notifications: SQS did not delete ${notDeleted.length} message(s) of ${this.setup.id}; they will be received again`)
    }
    const newKeys = new Map(recorded.inserted.map((r) => [r.notification_key, r.id]))
    let invalid = 0
    for (const { result, input } of byKey.values()) {
      const rowId = newKeys.get(input.notification_key)
      if (!rowId) continue
      if (input.status === "invalid") invalid += 1
      if (result.ok && input.status === "received" && input.account_id) {
        this.applier.enqueue({ row_id: rowId, setup_id: this.setup.id, account_id: input.account_id, notification: result.notification, attempts: 0 })
      }
    }
    await amazon.countNotificationsOnSetup(
      this.setup.id,
      { received: messages.length, duplicates: messages.length - recorded.inserted.length, invalid },
      // when it arrived here (Amazon's event times follow Amazon's clock, and a late one would look current)
      { last_message_at: new Date() }
    )
  }

  private toInbox(result: ParseResult, sellers: Map<string, string>): NotificationInboxInput {
    if (!result.ok) {
      return {
        account_id: this.setup.account_id,
        notification_key: result.key,
        notification_type: result.type,
        subject: null,
        event_time: null,
        status: "invalid",
        outcome: `${result.code}: ${result.reason}`,
        payload: result.raw,
      }
    }
    const n = result.notification
    const accountId = n.seller_id ? sellers.get(n.seller_id) ?? null : this.setup.account_id
    return {
      account_id: accountId,
      notification_key: n.notification_id,
      notification_type: n.type,
      subject: n.subject,
      event_time: n.event_time && !Number.isNaN(Date.parse(n.event_time)) ? new Date(n.event_time) : null,
      status: accountId ? "received" : "ignored",
      outcome: accountId ? null : `No account of this store has seller ${n.seller_id}`,
      payload: result.raw,
    }
  }

  private sellers: { at: number; map: Map<string, string> } | null = null

  /** Seller id → account id of this store's enabled accounts (a queue may be shared by several). */
  private async sellerAccounts(amazon: AmazonModuleService): Promise<Map<string, string>> {
    if (!this.sellers || Date.now() - this.sellers.at >= SELLERS_TTL_MS) {
      const accounts = await amazon.listAmazonAccounts({ enabled: true }, { select: ["id", "seller_id"] })
      this.sellers = { at: Date.now(), map: new Map(accounts.map((a) => [a.seller_id, a.id])) }
    }
    return this.sellers.map
  }

  /** Rows a previous holder recorded but did not finish (killed after the delete): applied first. */
  private async resumeUnapplied(amazon: AmazonModuleService): Promise<void> {
    const rows = await amazon.listAmazonNotifications(
      { account_id: this.setup.account_id, status: ["received", "failed"], attempts: { $lt: MAX_APPLY_ATTEMPTS } },
      { take: 1000, order: { received_at: "ASC" }, select: ["id", "account_id", "payload", "attempts", "status"] }
    )
    for (const row of rows) {
      const result = parseNotification(JSON.stringify(row.payload ?? null))
      if (result.ok && row.account_id) {
        this.applier.enqueue({ row_id: row.id, setup_id: this.setup.id, account_id: row.account_id, notification: result.notification, attempts: row.attempts ?? 0 })
      }
    }
  }

  private async recordQueueError(amazon: AmazonModuleService, e: unknown, first: boolean): Promise<void> {
    const { code, message } = describeAwsError(e)
    await amazon.updateAmazonNotificationSetups({ id: this.setup.id, last_error: message, last_error_at: new Date() }).catch(() => undefined)
    if (first) {
      await amazon
        .recordSyncLog({
          account_id: this.setup.account_id,
          stream: NOTIFICATIONS_STREAM,
          level: "error",
          code: "NOTIFICATIONS_QUEUE_ERROR",
          message: `The notification queue cannot be read (${message}). Polling goes on, so orders and stock arrive at the usual pace; fix the queue or its AWS key, or remove notifications.`,
          context: { setup_id: this.setup.id, aws_code: code },
        })
        .catch(() => undefined)
    }
  }
}

export class NotificationConsumers {
  private readonly consumers = new Map<string, SetupConsumer>()
  private syncing: Promise<void> | null = null
  private applier_: NotificationApplier | null = null
  hooks: ConsumerHooks = {}

  /** Starts a loop for every active set-up of an enabled account, restarts changed ones, stops the rest. */
  sync(container: MedusaContainer): Promise<void> {
    // one sync at a time; a call during one waits for it and runs again (the set-ups may have changed since)
    const run = (this.syncing ?? Promise.resolve()).then(() => this.doSync(container))
    this.syncing = run.finally(() => {
      if (this.syncing === run) this.syncing = null
    })
    return run
  }

  private async doSync(container: MedusaContainer): Promise<void> {
    const timing = consumerTiming()
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const setups = timing.enabled ? await amazon.listAmazonNotificationSetups(
          { status: "active" },
          { select: ["id", "account_id", "queue_url", "aws_access_key_id", "aws_secret_access_key_encrypted"] }
        ) : []
    const enabled = setups.length
      ? new Set((await amazon.listAmazonAccounts({ id: setups.map((s) => s.account_id), enabled: true }, { select: ["id"] })).map((a) => a.id))
      : new Set<string>()
    const wanted = new Map(setups.filter((s) => enabled.has(s.account_id)).map((s) => [s.id, s as SetupRow]))
    for (const [id, consumer] of [...this.consumers]) {
      const next = wanted.get(id)
      if (!next || consumer.ended || configVersion(next) !== consumer.version) {
        this.consumers.delete(id)
        await consumer.stop()
      }
    }
    for (const [id, setup] of wanted) {
      if (!this.consumers.has(id)) {
        this.applier_ ??= new NotificationApplier(container)
        const consumer = new SetupConsumer(container, setup, this.applier_, this.hooks)
        this.consumers.set(id, consumer)
        consumer.start()
      }
    }
  }

  /** Stops every loop of this process (shutdown, tests). Received messages not yet recorded return to the queue. */
  async stopAll(): Promise<void> {
    const all = [...this.consumers.values()]
    this.consumers.clear()
    await Promise.all(all.map((c) => c.stop()))
    this.applier_?.stop()
  }

  /** Waits until the work handed to the applier so far is done (tests, the benchmark). */
  async idle(): Promise<void> {
    await this.applier_?.idle()
  }

  /** This process's loops: which set-up, whether it holds the lock, messages received. */
  state(): { setup_id: string; holding: boolean; received: number }[] {
    return [...this.consumers.values()].map((c) => ({ setup_id: c.setup.id, holding: c.holding, received: c.received }))
  }
}

/** The process's consumers (state per process on purpose: a loop is a connection, not data). */
export const notificationConsumers = new NotificationConsumers()

export function ensureNotificationConsumers(container: MedusaContainer): Promise<void> {
  return notificationConsumers.sync(container)
}
