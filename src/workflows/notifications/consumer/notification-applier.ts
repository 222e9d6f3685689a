import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { ParsedNotification } from "../../../lib/amazon/notifications/parse-notification"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { NOTIFICATIONS_STREAM } from "../constants"
import { applyNotification, RetryableApplyError } from "./apply-notification"

/** A recorded notification waiting for its work. */
export interface ApplyJob {
  row_id: string
  setup_id: string
  account_id: string
  notification: ParsedNotification
  attempts: number
}

/** Tries of a notification whose work failed for a passing reason (quota, 5xx) before polling is left to heal it. */
export const MAX_APPLY_ATTEMPTS = 5
const CONCURRENCY = 4

/**
 * Runs the work of recorded notifications, in this process, after their SQS messages were deleted: a few at a
 * time, and those about the same order, SKU or feed one after the other (their inbox order), so two changes
 * of one order never race. A passing failure is tried again with backoff, at most MAX_APPLY_ATTEMPTS times;
 * after that, or for any other failure, the row stays `failed` with the error and a warning goes to the sync
 * log: the next poll applies the same change anyway.
 */
export class NotificationApplier {
  private readonly chains = new Map<string, Promise<void>>()
  private active = 0
  private readonly slots: (() => void)[] = []
  private readonly retries = new Set<NodeJS.Timeout>()
  private pending = 0

  constructor(private readonly container: MedusaContainer) {}

  enqueue(job: ApplyJob): void {
    // FBA changes are not chained: they overlap on purpose, so the pass they share (applyFbaChange runs one per
    // account + marketplace, and one more after it when asked during it) absorbs a burst of one per SKU
    const key = job.notification.type === "FBA_INVENTORY_AVAILABILITY_CHANGES" ? `fba:${job.row_id}` : `${job.account_id}:${job.notification.subject}`
    this.pending += 1
    const previous = this.chains.get(key) ?? Promise.resolve()
    const next = previous.then(() => this.withSlot(() => this.apply(job))).finally(() => {
      this.pending -= 1
      if (this.chains.get(key) === next) this.chains.delete(key)
    })
    this.chains.set(key, next)
  }

  /** Jobs queued or running (tests and the dashboard's "applying"). */
  get backlog(): number {
    return this.pending
  }

  /** Resolves once everything queued so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size) {
      await Promise.allSettled([...this.chains.values()])
    }
  }

  stop(): void {
    for (const t of this.retries) clearTimeout(t)
    this.retries.clear()
  }

  private async withSlot(fn: () => Promise<void>): Promise<void> {
    if (this.active >= CONCURRENCY) {
      await new Promise<void>((resolve) => this.slots.push(resolve))
    }
    this.active += 1
    try {
      await fn()
    } finally {
      this.active -= 1
      this.slots.shift()?.()
    }
  }

  private async apply(job: ApplyJob): Promise<void> {
    const amazon = this.container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const logger = this.container.resolve(ContainerRegistrationKeys.LOGGER)
    const attempts = job.attempts + 1
    try {
      const result = await applyNotification(this.container, job.account_id, job.notification)
      await amazon.updateAmazonNotifications({ id: job.row_id, status: result.status, outcome: result.outcome, error: null, attempts, applied_at: new Date() })
      if (result.status === "applied") {
        await amazon.countNotificationsOnSetup(job.setup_id, { applied: 1 })
      }
    } catch (e) {
      const message = String((e as Error)?.message ?? (e as { error?: { message?: string } })?.error?.message ?? e).slice(0, 1000)
      await amazon.updateAmazonNotifications({ id: job.row_id, status: "failed", error: message, attempts }).catch(() => undefined)
      if (e instanceof RetryableApplyError && attempts < MAX_APPLY_ATTEMPTS) {
        const delay = Math.min(60_000, 2_000 * 2 ** (attempts - 1))
        const timer = setTimeout(() => {
          this.retries.delete(timer)
          this.enqueue({ ...job, attempts })
        }, delay)
        timer.unref()
        this.retries.add(timer)
        return
      }
      logger.warn(`amazon notifications: ${job.notification.type} ${job.notification.subject} could not be applied: ${message}`)
      await amazon
        .recordSyncLog({
          account_id: job.account_id,
          stream: NOTIFICATIONS_STREAM,
          level: "warn",
          code: "NOTIFICATION_NOT_APPLIED",
          message: `Amazon's ${job.notification.type} notification about ${job.notification.subject} could not be applied (${message}). The next poll applies the same change; nothing to do unless this repeats.`,
          context: { notification_row_id: job.row_id, notification_type: job.notification.type, subject: job.notification.subject },
        })
        .catch(() => undefined)
    }
  }
}
